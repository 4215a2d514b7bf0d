import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { scorecardApiRef } from '@causeway/plugin-scorecard';
import { EntityLevel } from '@causeway/plugin-scorecard-common';
import { catalogIndexRouteRef, scaffolderRootRouteRef } from '../../routes';
import { SHOWN_SERVICES, YourServices } from './YourServices';

const JANE = 'user:default/jane';
const PAYMENTS_TEAM = 'group:default/payments-team';

// The catalog stores ownership as relations; that is what the query filters on.
function component(
  name: string,
  owner: string,
  spec: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { owner, ...spec },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

const entities: Entity[] = [
  component('payments-api', PAYMENTS_TEAM, {
    type: 'service',
    lifecycle: 'production',
    system: 'payments',
  }),
  component('ledger-worker', JANE, {
    type: 'service',
    lifecycle: 'experimental',
    system: 'system:finance/ledger',
  }),
  component('jane-sandbox', JANE, {
    type: 'website',
    lifecycle: 'experimental',
  }),
  // Someone else's component, and an API (not a Component) owned by the team.
  component('checkout-web', 'group:default/storefront-team', {
    type: 'website',
    lifecycle: 'production',
  }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'payments-openapi', namespace: 'default' },
    spec: { type: 'openapi', lifecycle: 'production', owner: PAYMENTS_TEAM },
    relations: [{ type: 'ownedBy', targetRef: PAYMENTS_TEAM }],
  },
];

/**
 * The scorecard backend's overview: the levels of the evaluated entities
 * whose owner is one of those asked for (the catalog's ownedBy).
 */
function scorecard(levels: Record<string, EntityLevel>, all = entities) {
  const getOverview = jest.fn(async (query: { owner?: string[] }) => {
    const items = all
      .filter(entity => query.owner?.includes(entity.spec?.owner as string))
      .filter(entity => levels[entity.metadata.name])
      .map(entity => ({
        entityRef: `component:default/${entity.metadata.name}`,
        level: levels[entity.metadata.name],
        passed: 0,
        failed: 0,
        waived: 0,
        failingChecks: [],
        evaluatedAt: '2026-12-01T00:00:00Z',
      }));
    return {
      items,
      totalItems: items.length,
      levels: { none: 0, bronze: 0, silver: 0, gold: 0 },
    };
  });
  return { getOverview };
}

function renderYourServices(
  catalogApi: ReturnType<typeof catalogApiMock>,
  ownershipEntityRefs = [JANE, PAYMENTS_TEAM],
  scorecardApi: object = scorecard({}),
) {
  return renderInTestApp(<YourServices />, {
    apis: [
      catalogApi,
      mockApis.identity({ userEntityRef: JANE, ownershipEntityRefs }),
      [scorecardApiRef, scorecardApi],
    ],
    mountedRoutes: {
      '/catalog': catalogIndexRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
      '/create': scaffolderRootRouteRef,
    },
  });
}

const rowNames = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0].textContent);

describe('YourServices', () => {
  it('lists the components owned by the user or their groups', async () => {
    await renderYourServices(catalogApiMock({ entities }));

    const table = await screen.findByRole('table', { name: 'Your services' });
    const [header, ...rows] = within(table).getAllByRole('row');
    expect(header).toHaveTextContent('NameLevelTypeSystem');
    expect(rows).toHaveLength(3);

    const [sandbox, ledger, payments] = rows.map(row => within(row));
    expect(sandbox.getByRole('link', { name: 'jane-sandbox' })).toHaveAttribute(
      'href',
      '/catalog/default/component/jane-sandbox',
    );
    expect(sandbox.getByText('website')).toBeInTheDocument();
    expect(sandbox.getByText('—')).toBeInTheDocument();

    expect(ledger.getByRole('link', { name: 'ledger' })).toHaveAttribute(
      'href',
      '/catalog/finance/system/ledger',
    );

    expect(
      payments.getByRole('link', { name: 'payments-api' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    expect(payments.getByText('service')).toBeInTheDocument();
    expect(payments.getByRole('link', { name: 'payments' })).toHaveAttribute(
      'href',
      '/catalog/default/system/payments',
    );

    expect(screen.queryByText('checkout-web')).not.toBeInTheDocument();
    expect(screen.queryByText('payments-openapi')).not.toBeInTheDocument();
  });

  it('lists those that most need work first: the lowest level first, those not graded last', async () => {
    const scorecardApi = scorecard({
      'payments-api': 'gold',
      'ledger-worker': 'bronze',
    });
    await renderYourServices(
      catalogApiMock({ entities }),
      [JANE, PAYMENTS_TEAM],
      scorecardApi,
    );

    const table = await screen.findByRole('table', { name: 'Your services' });
    expect(rowNames(table)).toEqual([
      'ledger-worker',
      'payments-api',
      'jane-sandbox',
    ]);
    const levels = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(row => within(row).getAllByRole('cell')[1].textContent);
    expect(levels).toEqual(['Bronze', 'Gold', 'Not graded']);
    // One question for the user and their teams.
    expect(scorecardApi.getOverview).toHaveBeenCalledTimes(1);
    expect(scorecardApi.getOverview).toHaveBeenCalledWith(
      expect.objectContaining({
        owner: [JANE, PAYMENTS_TEAM],
        kind: 'component',
      }),
    );
  });

  it(`shows the ${SHOWN_SERVICES} that most need work and links to all of them in the catalog`, async () => {
    const many = Array.from({ length: 14 }, (_, i) =>
      component(`svc-${String(i).padStart(2, '0')}`, PAYMENTS_TEAM, {
        type: 'service',
      }),
    );
    // The last two alphabetically are the worst.
    const levels: Record<string, EntityLevel> = Object.fromEntries(
      many.map((entity, i) => [
        entity.metadata.name,
        i >= 12 ? 'none' : 'silver',
      ]),
    );
    await renderYourServices(
      catalogApiMock({ entities: many }),
      [JANE, PAYMENTS_TEAM],
      scorecard(levels, many),
    );

    const table = await screen.findByRole('table', { name: 'Your services' });
    const names = rowNames(table);
    expect(names).toHaveLength(SHOWN_SERVICES);
    expect(names.slice(0, 3)).toEqual(['svc-12', 'svc-13', 'svc-00']);
    expect(
      screen.getByRole('link', {
        name: 'See all 14 of your services in the catalog',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog?filters%5Bkind%5D=component&filters%5Buser%5D=owned',
    );
  });

  it('still lists the services, by name, when the scorecard cannot be reached', async () => {
    await renderYourServices(
      catalogApiMock({ entities }),
      [JANE, PAYMENTS_TEAM],
      {
        getOverview: jest.fn().mockRejectedValue(new Error('503 Unavailable')),
      },
    );

    const table = await screen.findByRole('table', { name: 'Your services' });
    expect(rowNames(table)).toEqual([
      'jane-sandbox',
      'ledger-worker',
      'payments-api',
    ]);
    expect(
      screen.getByText(/the scorecard levels could not be loaded/),
    ).toHaveTextContent('503 Unavailable');
    expect(screen.queryByRole('link', { name: /See all/ })).toBeNull();
  });

  it('asks the catalog once, with all of the user’s ownership refs', async () => {
    const catalogApi = catalogApiMock({ entities });
    const getEntities = jest.spyOn(catalogApi, 'getEntities');
    const getEntityByRef = jest.spyOn(catalogApi, 'getEntityByRef');
    const getEntitiesByRefs = jest.spyOn(catalogApi, 'getEntitiesByRefs');

    await renderYourServices(catalogApi);
    await screen.findByRole('table', { name: 'Your services' });

    expect(getEntities).toHaveBeenCalledTimes(1);
    expect(getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: {
          kind: 'component',
          'relations.ownedBy': [JANE, PAYMENTS_TEAM],
        },
      }),
    );
    expect(getEntityByRef).not.toHaveBeenCalled();
    expect(getEntitiesByRefs).not.toHaveBeenCalled();
  });

  it('says so when nothing is owned, and points to the golden paths', async () => {
    await renderYourServices(catalogApiMock({ entities }), [
      'user:default/newcomer',
    ]);

    expect(
      await screen.findByText(/Neither you nor your teams own any components/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Start one from a golden path' }),
    ).toHaveAttribute('href', '/create');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('does not ask the catalog for an identity that owns nothing', async () => {
    const catalogApi = catalogApiMock({ entities });
    const getEntities = jest.spyOn(catalogApi, 'getEntities');

    await renderYourServices(catalogApi, []);

    expect(
      await screen.findByText(/Neither you nor your teams own any components/),
    ).toBeInTheDocument();
    expect(getEntities).not.toHaveBeenCalled();
  });

  it('shows the error when the catalog query fails', async () => {
    await renderYourServices(
      catalogApiMock.mock({
        getEntities: jest.fn().mockRejectedValue(new Error('403 Forbidden')),
      }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load your services: 403 Forbidden',
    );
  });
});
