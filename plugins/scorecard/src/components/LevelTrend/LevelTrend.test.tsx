import { render, screen } from '@testing-library/react';
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

  it('says when there is no history yet', () => {
    render(<LevelTrend points={[]} />);
    expect(screen.getByText(/No history yet/)).toBeInTheDocument();
  });
});
