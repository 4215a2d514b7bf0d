import { render, screen, within } from '@testing-library/react';
import { createTheme } from '@mui/material/styles';
import { ENTITY_LEVELS, levelLabel } from '../../levels';
import { contrastRatio, renderInMode } from '../../__testUtils__/contrast';
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

  it.each(['light', 'dark'] as const)(
    'names the levels beside the axis at least 4.5:1 against the card in the %s theme',
    mode => {
      renderInMode(
        mode,
        <LevelTrend
          points={[{ day: '2026-01-01', level: 'gold', passed: 9, failed: 0 }]}
        />,
      );
      const { paper } = createTheme({ palette: { mode } }).palette.background;
      // Backstage's dark card is lighter than MUI's: both must read.
      const cards = mode === 'dark' ? [paper, '#424242'] : [paper];
      const chart = screen.getByRole('img');
      const faint = ENTITY_LEVELS.flatMap(level => {
        const fill = within(chart)
          .getByText(levelLabel(level))
          .getAttribute('fill')!;
        return cards
          .filter(card => contrastRatio(fill, card) < 4.5)
          .map(card => `${levelLabel(level)} on ${card}`);
      });
      expect(faint).toEqual([]);
    },
  );
});
