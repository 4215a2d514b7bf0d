import { render, screen, within } from '@testing-library/react';
import { GroupTrend } from './GroupTrend';

describe('GroupTrend', () => {
  it('stacks the level counts per day and names the latest', () => {
    render(
      <GroupTrend
        points={[
          {
            day: '2026-03-02',
            entities: 10,
            levels: { none: 2, bronze: 4, silver: 3, gold: 1 },
          },
          {
            day: '2026-03-01',
            entities: 10,
            levels: { none: 5, bronze: 3, silver: 2, gold: 0 },
          },
        ]}
      />,
    );

    const chart = screen.getByRole('img');
    expect(chart).toHaveAccessibleName(
      'Entities per level from 2026-03-01 to 2026-03-02; on 2026-03-02: Gold 1, Silver 3, Bronze 4, No level 2',
    );
    expect(chart.querySelectorAll('polygon')).toHaveLength(4);
    expect(screen.getByText('Silver')).toBeInTheDocument();
  });

  it('draws a single day as one column with its day once, not as a flat band between two copies of the day', () => {
    render(
      <GroupTrend
        points={[
          {
            day: '2026-03-01',
            entities: 10,
            levels: { none: 5, bronze: 3, silver: 2, gold: 0 },
          },
        ]}
      />,
    );

    const chart = screen.getByRole('img');
    expect(chart.querySelectorAll('polygon')).toHaveLength(0);
    expect(chart.querySelectorAll('rect')).toHaveLength(4);
    expect(within(chart).getAllByText(/2026-03-01/)).toHaveLength(1);
    expect(within(chart).getByText(/one day so far/)).toBeInTheDocument();
  });

  it('says when there is no history yet', () => {
    render(<GroupTrend points={[]} />);
    expect(screen.getByText(/No history yet/)).toBeInTheDocument();
  });
});
