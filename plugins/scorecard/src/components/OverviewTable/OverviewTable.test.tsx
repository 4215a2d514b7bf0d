import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { overviewItem } from '../../__testUtils__/scorecardApiMock';
import { renderInScorecardApp } from '../../__testUtils__/renderInScorecardApp';
import { OverviewPaging, OverviewTable } from './OverviewTable';

const paging: OverviewPaging = {
  sort: 'level',
  order: 'asc',
  limit: 10,
  offset: 10,
};

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
      checkTitles={new Map([['a', 'Owned by a team']])}
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
