import { render, screen, within } from '@testing-library/react';
import { LevelTrend } from './LevelTrend';

describe('LevelTrend', () => {
  it('steps between levels on the days they changed', () => {
    render(
      <LevelTrend
        points={[
          { day: '2026-01-03', level: 'silver', passed: 6, failed: 0 },
          { day: '2026-01-01', level: 'bronze', passed: 4, failed: 2 },
          { day: '2026-01-02', level: 'bronze', passed: 4, failed: 2 },
        ]}
      />,
    );

    const chart = screen.getByRole('img');
    expect(chart).toHaveAccessibleName(
      'Level over time: Bronze from 2026-01-01, Silver from 2026-01-03',
    );
    expect(screen.getByText('2026-01-01')).toBeInTheDocument();
    expect(screen.getByText('2026-01-03')).toBeInTheDocument();
  });

  it('draws a single day as a point with its day once, not as a flat line between two copies of the day', () => {
    render(
      <LevelTrend
        points={[{ day: '2026-01-01', level: 'silver', passed: 6, failed: 0 }]}
      />,
    );

    const chart = screen.getByRole('img');
    expect(chart).toHaveAccessibleName(
      'Level over time: Silver from 2026-01-01',
    );
    expect(chart.querySelectorAll('path')).toHaveLength(0);
    expect(chart.querySelectorAll('circle')).toHaveLength(1);
    expect(within(chart).getAllByText(/2026-01-01/)).toHaveLength(1);
    expect(within(chart).getByText(/one day so far/)).toBeInTheDocument();
  });

  it('says when there is no history yet', () => {
    render(<LevelTrend points={[]} />);
    expect(screen.getByText(/No history yet/)).toBeInTheDocument();
  });
});
