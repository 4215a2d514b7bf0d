import { useLocation } from 'react-router-dom';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  defaultEntityPresentation,
  EntityPresentationApi,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
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

const entities = [
  catalogEntity('Group', 'payments'),
  catalogEntity('Group', 'platform'),
  catalogEntity('System', 'billing'),
  catalogEntity('Component', 'ledger-worker'),
];

/**
 * The catalog's presentation (what entity links show) for these entities,
 * by the rule the catalog plugin's presentation API applies.
 */
function presentationApi(known: Entity[]): EntityPresentationApi {
  return {
    forEntity(entityOrRef, context) {
      const entity =
        typeof entityOrRef === 'string'
          ? known.find(e => stringifyEntityRef(e) === entityOrRef)
          : entityOrRef;
      const snapshot = defaultEntityPresentation(
        entity ?? entityOrRef,
        context,
      );
      return { snapshot, promise: Promise.resolve(snapshot) };
    },
  };
}

/** The element whose text, across its children, is this. */
const wholeText = (text: string) => (_: string, element: Element | null) =>
  element?.textContent === text &&
  ![...element.children].some(child => child.textContent === text);

/** The page's URL query, as a user would copy it. */
function Search() {
  return <output aria-label="Search">{useLocation().search}</output>;
}

function renderPage(
  scorecardApi: ScorecardApi,
  options: { allowed?: boolean; url?: string; catalog?: Entity[] } = {},
) {
  const { allowed = false, url, catalog = entities } = options;
  return renderInScorecardApp(
    <>
      <ScorecardsPage />
      <Search />
    </>,
    {
      api: scorecardApi,
      allowed,
      initialRouteEntries: url ? [url] : undefined,
      apis: [
        catalogApiMock({ entities: catalog }),
        [entityPresentationApiRef, presentationApi(catalog)],
      ],
    },
  );
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

    await pick('Failing check', 'At least two replicas');
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
      await screen.findByText(wholeText('Last 90 days: payments')),
    ).toBeInTheDocument();
  }, 30_000);

  it('opens the view a shared URL names, and keeps a changed view in the URL through a reload', async () => {
    const scorecardApi = api();
    const shared =
      '/?owner=group%3Adefault%2Fpayments&below=silver&failingCheck=two-replicas&sort=failed&order=desc';
    const { unmount } = renderPage(scorecardApi, { url: shared });

    await screen.findByRole('table', { name: 'Scorecards' });
    expect(scorecardApi.getOverview).toHaveBeenCalledTimes(1);
    expect(lastOverviewQuery(scorecardApi)).toEqual({
      owner: 'group:default/payments',
      below: 'silver',
      failingCheck: 'two-replicas',
      sort: 'failed',
      order: 'desc',
      limit: 25,
      offset: 0,
    });
    expect(screen.getByRole('combobox', { name: 'Level' })).toHaveTextContent(
      'Below silver',
    );
    expect(
      await screen.findByDisplayValue('At least two replicas'),
    ).toBeInTheDocument();
    expect(await screen.findByDisplayValue('payments')).toBeInTheDocument();

    // Another level and the next page: both in the URL.
    await pick('Level', 'Below gold');
    await userEvent.click(screen.getByRole('button', { name: /next page/i }));
    await waitFor(() =>
      expect(lastOverviewQuery(scorecardApi)).toMatchObject({
        below: 'gold',
        offset: 25,
      }),
    );
    const search = screen.getByRole('status', { name: 'Search' }).textContent!;
    expect(new URLSearchParams(search).get('below')).toBe('gold');

    // A reload at that URL asks for the same view.
    const seen = lastOverviewQuery(scorecardApi);
    unmount();
    const reloaded = api();
    renderPage(reloaded, { url: `/${search}` });
    await screen.findByRole('table', { name: 'Scorecards' });
    expect(reloaded.getOverview).toHaveBeenCalledTimes(1);
    expect(lastOverviewQuery(reloaded)).toEqual(seen);
  }, 30_000);

  it('names owners in the filter and the trend as the table’s owner links do', async () => {
    const catalog = [
      catalogEntity('Group', 'payments', {
        spec: { profile: { displayName: 'Payments Team' } },
      }),
      ...entities.slice(1),
    ];
    renderPage(api(), { url: '/?owner=payments', catalog });

    const table = await screen.findByRole('table', { name: 'Scorecards' });
    const [, ledger] = within(table).getAllByRole('row');
    expect(
      within(ledger).getByRole('link', { name: 'Payments Team' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByDisplayValue('Payments Team'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(wholeText('Last 90 days: Payments Team')),
    ).toBeInTheDocument();
  });

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
    renderPage(api(), { allowed: true });

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
