import { render, screen } from '@testing-library/react';
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

  it('says when there is no history yet', () => {
    render(<GroupTrend points={[]} />);
    expect(screen.getByText(/No history yet/)).toBeInTheDocument();
  });
});
