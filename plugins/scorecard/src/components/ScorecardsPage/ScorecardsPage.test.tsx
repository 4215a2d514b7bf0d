import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { ScorecardApi } from '../../api/ScorecardClient';
import {
  overviewItem,
  scorecardApiMock,
} from '../../__testUtils__/scorecardApiMock';
import { renderInScorecardApp } from '../../__testUtils__/renderInScorecardApp';
import { catalogEntity } from '../../__testUtils__/catalogEntity';
import { ScorecardsPage } from './ScorecardsPage';

const checks = [
  {
    id: 'owned-by-team',
    title: 'Owned by a team',
    description: 'd',
    level: 'bronze' as const,
  },
  {
    id: 'two-replicas',
    title: 'At least two replicas',
    description: 'd',
    level: 'silver' as const,
  },
];

function api(overrides: Partial<ScorecardApi> = {}) {
  return scorecardApiMock({
    getChecks: jest.fn(async () => ({
      checks,
      waivers: { maxDays: 180 },
      problems: [
        {
          file: 'scorecards/availability.yaml',
          line: 13,
          message: 'check typo: rule.fact: unknown fact "gitops.replica"',
        },
      ],
    })),
    getOverview: jest.fn(async () => ({
      items: [
        overviewItem('component:default/ledger-worker', {
          level: 'none',
          owner: 'group:default/payments',
          system: 'system:default/billing',
          passed: 2,
          failed: 2,
          failingChecks: ['owned-by-team', 'two-replicas'],
        }),
        overviewItem('component:default/payments-api', {
          title: 'Payments API',
          level: 'gold',
          owner: 'group:default/payments',
          passed: 9,
          failed: 0,
        }),
      ],
      totalItems: 60,
      levels: { none: 20, bronze: 25, silver: 10, gold: 5 },
    })),
    getHistory: jest.fn(async () => [
      {
        day: '2026-03-01',
        entities: 60,
        levels: { none: 20, bronze: 25, silver: 10, gold: 5 },
      },
    ]),
    ...overrides,
  });
}

function renderPage(scorecardApi: ScorecardApi, allowed = false) {
  return renderInScorecardApp(<ScorecardsPage />, {
    api: scorecardApi,
    allowed,
    apis: [
      catalogApiMock({
        entities: [
          catalogEntity('Group', 'payments'),
          catalogEntity('Group', 'platform'),
          catalogEntity('System', 'billing'),
          catalogEntity('Component', 'ledger-worker'),
        ],
      }),
    ],
  });
}

const lastOverviewQuery = (scorecardApi: jest.Mocked<ScorecardApi>) =>
  scorecardApi.getOverview.mock.calls.at(-1)?.[0];

async function pick(label: string, option: string) {
  await userEvent.click(screen.getByRole('combobox', { name: label }));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

describe('ScorecardsPage', () => {
  it('shows the levels, the matching entities and the organisation’s trend', async () => {
    const scorecardApi = api();
    renderPage(scorecardApi);

    const table = await screen.findByRole('table', { name: 'Scorecards' });
    expect(scorecardApi.getOverview).toHaveBeenCalledWith({
      sort: 'level',
      order: 'asc',
      limit: 25,
      offset: 0,
    });
    const [, ledger, payments] = within(table).getAllByRole('row');
    expect(ledger).toHaveTextContent(
      'ledger-worker' +
        'payments' +
        'billing' +
        'No level' +
        '220' +
        'Owned by a team, At least two replicas',
    );
    expect(
      within(payments).getByRole('link', { name: 'Payments API' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/scorecard',
    );

    expect(
      screen.getByRole('img', { name: /^Entities per level: Gold 5/ }),
    ).toHaveAccessibleName(
      'Entities per level: Gold 5, Silver 10, Bronze 25, No level 20',
    );
    expect(scorecardApi.getHistory).toHaveBeenCalledWith({
      groupRef: undefined,
      days: 90,
    });
    expect(
      await screen.findByText('Last 90 days: the whole organisation'),
    ).toBeInTheDocument();
    // Why a check may be missing from the results.
    expect(
      screen.getByText(/1 problem in the check files/),
    ).toBeInTheDocument();
  });

  it('asks the server again when a filter changes, from the first page', async () => {
    const scorecardApi = api();
    renderPage(scorecardApi);
    await screen.findByRole('table', { name: 'Scorecards' });

    await userEvent.click(screen.getByRole('button', { name: /next page/i }));
    await waitFor(() =>
      expect(lastOverviewQuery(scorecardApi)).toMatchObject({ offset: 25 }),
    );

    await pick('Level', 'Gold');
    await waitFor(() =>
      expect(lastOverviewQuery(scorecardApi)).toEqual({
        level: 'gold',
        sort: 'level',
        order: 'asc',
        limit: 25,
        offset: 0,
      }),
    );

    await pick('Failing check', 'At least two replicas (Silver)');
    await waitFor(() =>
      expect(lastOverviewQuery(scorecardApi)).toMatchObject({
        level: 'gold',
        failingCheck: 'two-replicas',
      }),
    );

    await pick('System', 'billing');
    await pick('Owner', 'payments');
    await waitFor(() =>
      expect(lastOverviewQuery(scorecardApi)).toEqual({
        level: 'gold',
        failingCheck: 'two-replicas',
        system: 'system:default/billing',
        owner: 'group:default/payments',
        sort: 'level',
        order: 'asc',
        limit: 25,
        offset: 0,
      }),
    );
    // The trend follows the chosen owner.
    expect(scorecardApi.getHistory).toHaveBeenLastCalledWith({
      groupRef: 'group:default/payments',
      days: 90,
    });
    expect(
      await screen.findByText('Last 90 days: payments'),
    ).toBeInTheDocument();
  }, 30_000);

  it('sorts and pages on the server', async () => {
    const scorecardApi = api();
    renderPage(scorecardApi);
    await screen.findByRole('table', { name: 'Scorecards' });

    await userEvent.click(screen.getByRole('button', { name: 'Failed' }));
    await waitFor(() =>
      expect(lastOverviewQuery(scorecardApi)).toMatchObject({
        sort: 'failed',
        order: 'asc',
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Failed' }));
    await waitFor(() =>
      expect(lastOverviewQuery(scorecardApi)).toMatchObject({
        sort: 'failed',
        order: 'desc',
        offset: 0,
      }),
    );

    await pick('Rows per page:', '50');
    await waitFor(() =>
      expect(lastOverviewQuery(scorecardApi)).toMatchObject({
        limit: 50,
        offset: 0,
      }),
    );
    expect(screen.getByText('1–50 of 60')).toBeInTheDocument();
  }, 30_000);

  it('shows platform admins the problems in the check files', async () => {
    renderPage(api(), true);

    const alert = await screen.findByText(/1 problem in the check files/);
    expect(alert.closest('[role="alert"]')).toHaveTextContent(
      'scorecards/availability.yaml:13 check typo: rule.fact: unknown fact "gitops.replica"',
    );
  });

  it('keeps the level and trend cards within the width of the table below them', async () => {
    renderPage(api());

    const tableCard = (
      await screen.findByRole('table', { name: 'Scorecards' })
    ).closest('.MuiCard-root')!;
    const page = tableCard.parentElement!;
    const cards = [
      screen.getByText('Levels of the matching entities'),
      await screen.findByText('Last 90 days: the whole organisation'),
    ].map(title => title.closest('.MuiCard-root')!);
    for (const card of cards) {
      // Between each card and the page: nothing wider than its parent (MUI's
      // Grid is 100% + its spacing) and no negative margin pulling it out.
      const between: Element[] = [];
      for (let e = card.parentElement; e && e !== page; e = e.parentElement) {
        between.push(e);
      }
      expect(between.length).toBeGreaterThan(0);
      const outward = between.filter(e => {
        const style = getComputedStyle(e);
        return (
          /calc\(100% \+/.test(style.width) ||
          [style.marginLeft, style.marginRight].some(m => m.startsWith('-'))
        );
      });
      expect(outward).toEqual([]);
    }
    // Side by side on wide screens, stacked on narrow ones.
    expect(getComputedStyle(cards[0].parentElement!).display).toBe('grid');
  });
});
