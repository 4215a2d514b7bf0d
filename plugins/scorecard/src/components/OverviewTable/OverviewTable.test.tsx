import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { overviewItem } from '../../__testUtils__/scorecardApiMock';
import { renderInScorecardApp } from '../../__testUtils__/renderInScorecardApp';
import { ScorecardCheck } from '../../api/ScorecardClient';
import { OverviewPaging, OverviewTable } from './OverviewTable';

const paging: OverviewPaging = {
  sort: 'level',
  order: 'asc',
  limit: 10,
  offset: 10,
};

const check = (
  id: string,
  title: string,
  level: ScorecardCheck['level'],
): [string, ScorecardCheck] => [id, { id, title, description: 'd', level }];

function renderTable(onPagingChange = jest.fn()) {
  renderInScorecardApp(
    <OverviewTable
      items={[
        overviewItem('component:default/ledger-worker', {
          failingChecks: ['a', 'b', 'c', 'd', 'e'],
        }),
      ]}
      totalItems={42}
      paging={paging}
      onPagingChange={onPagingChange}
      checks={new Map([check('a', 'Owned by a team', 'bronze')])}
    />,
  );
  return onPagingChange;
}

describe('OverviewTable', () => {
  it('names the failing checks by title, the first three of them', async () => {
    renderTable();

    const [, row] = within(
      await screen.findByRole('table', { name: 'Scorecards' }),
    ).getAllByRole('row');
    expect(row).toHaveTextContent('Owned by a team, b, c and 2 more');
    expect(screen.getByText('11–20 of 42')).toBeInTheDocument();
  });

  it('leads the failing checks with what blocks the next level, then higher levels', async () => {
    renderInScorecardApp(
      <OverviewTable
        items={[
          overviewItem('component:default/ledger-worker', {
            level: 'none',
            // In the check files' order, a bronze blocker fifth.
            failingChecks: ['slo', 'replicas', 'pdb', 'runbook', 'owner'],
          }),
        ]}
        totalItems={1}
        paging={paging}
        onPagingChange={jest.fn()}
        checks={
          new Map([
            check('slo', 'Has an SLO', 'gold'),
            check('replicas', 'At least two replicas', 'silver'),
            check('pdb', 'Has a disruption budget', 'silver'),
            check('runbook', 'Has a runbook', 'gold'),
            check('owner', 'Owned by a team', 'bronze'),
          ])
        }
      />,
    );

    const [, row] = within(
      await screen.findByRole('table', { name: 'Scorecards' }),
    ).getAllByRole('row');
    expect(row).toHaveTextContent(
      'Owned by a team, At least two replicas, Has a disruption budget and 2 more',
    );
  });

  it('asks for another order from the first page, and for other pages', async () => {
    const onPagingChange = renderTable();

    await userEvent.click(await screen.findByRole('button', { name: 'Level' }));
    expect(onPagingChange).toHaveBeenLastCalledWith({
      ...paging,
      order: 'desc',
      offset: 0,
    });

    await userEvent.click(screen.getByRole('button', { name: 'Entity' }));
    expect(onPagingChange).toHaveBeenLastCalledWith({
      ...paging,
      sort: 'name',
      order: 'asc',
      offset: 0,
    });

    await userEvent.click(screen.getByRole('button', { name: /next page/i }));
    expect(onPagingChange).toHaveBeenLastCalledWith({ ...paging, offset: 20 });
  });

  it('wraps headings and cells only between words, and scrolls rather than squeezing a word', async () => {
    renderTable();

    const table = await screen.findByRole('table', { name: 'Scorecards' });
    const cells = [
      ...within(table).getAllByRole('columnheader'),
      ...within(table).getAllByRole('cell'),
    ];
    // break-word or anywhere let a squeezed column split "Entity" into
    // "Entit/y" (the browser may then break inside any word).
    const breaking = cells
      .map(cell => getComputedStyle(cell))
      .filter(
        style =>
          ['break-word', 'break-all'].includes(style.wordBreak) ||
          style.overflowWrap === 'anywhere',
      );
    expect(breaking).toHaveLength(0);
    // Headings ("Passed", "Failing checks") stay on one line.
    expect(
      within(table)
        .getAllByRole('columnheader')
        .filter(header => getComputedStyle(header).whiteSpace !== 'nowrap'),
    ).toHaveLength(0);
    expect(getComputedStyle(table.parentElement!).overflowX).toBe('auto');
  });
});
