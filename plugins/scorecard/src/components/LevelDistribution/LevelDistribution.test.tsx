import { render, screen } from '@testing-library/react';
import { LevelDistribution } from './LevelDistribution';

describe('LevelDistribution', () => {
  it('draws a bar per level, longest for the most entities', () => {
    render(
      <LevelDistribution levels={{ none: 2, bronze: 8, silver: 4, gold: 0 }} />,
    );

    const chart = screen.getByRole('img');
    expect(chart).toHaveAccessibleName(
      'Entities per level: Gold 0, Silver 4, Bronze 8, No level 2',
    );
    const widths = Array.from(chart.querySelectorAll('rect')).map(rect =>
      Number(rect.getAttribute('width')),
    );
    const [gold, silver, bronze, none] = widths;
    expect(gold).toBe(0);
    expect(bronze).toBeGreaterThan(silver);
    expect(silver).toBe(bronze / 2);
    expect(none).toBe(bronze / 4);
  });
});
