import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { scaffolderRootRouteRef } from '../../routes';
import { YourServices } from './YourServices';

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

function renderYourServices(
  catalogApi: ReturnType<typeof catalogApiMock>,
  ownershipEntityRefs = [JANE, PAYMENTS_TEAM],
) {
  return renderInTestApp(<YourServices />, {
    apis: [
      catalogApi,
      mockApis.identity({ userEntityRef: JANE, ownershipEntityRefs }),
    ],
    mountedRoutes: {
      '/catalog/:namespace/:kind/:name': entityRouteRef,
      '/create': scaffolderRootRouteRef,
    },
  });
}

describe('YourServices', () => {
  it('lists the components owned by the user or their groups', async () => {
    await renderYourServices(catalogApiMock({ entities }));

    const table = await screen.findByRole('table', { name: 'Your services' });
    const [header, ...rows] = within(table).getAllByRole('row');
    expect(header).toHaveTextContent('NameTypeLifecycleSystem');
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
    expect(payments.getByText('production')).toBeInTheDocument();
    expect(payments.getByRole('link', { name: 'payments' })).toHaveAttribute(
      'href',
      '/catalog/default/system/payments',
    );

    expect(screen.queryByText('checkout-web')).not.toBeInTheDocument();
    expect(screen.queryByText('payments-openapi')).not.toBeInTheDocument();
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
