import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderTemplateForm } from '../__testUtils__/renderTemplateForm';
import { ServicePlan } from './ServicePlan';

const OBJECTS = [
  'Deployment',
  'Service',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'ServiceMonitor',
  'Argo CD Application',
];

// A golden path in the shape of templates/service-nodejs: the service on the
// first step, the plan alone on the last.
function renderPlan(
  uiOptions: Record<string, string | string[] | Record<string, string>>,
  values: Record<string, string | boolean>,
) {
  return renderTemplateForm({
    steps: [
      {
        title: 'Your service',
        schema: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            owner: { type: 'string' },
            system: { type: 'string' },
            infrastructure: {
              type: 'string',
              enum: ['none', 'PostgreSQLInstance', 'RedisCache'],
            },
            database: { type: 'string', enum: ['none', 'small', 'large'] },
            environment: { type: 'string' },
          },
        },
      },
      {
        title: 'Review',
        schema: {
          type: 'object',
          properties: {
            plan: {
              title: 'What will be created',
              type: 'object',
              'ui:field': 'CausewayServicePlan',
              'ui:options': uiOptions,
              'ui:backstage': { review: { explode: false } },
            },
          },
        },
      },
    ],
    extensions: [{ name: 'CausewayServicePlan', component: ServicePlan }],
    apis: [
      catalogApiMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Group',
            metadata: { name: 'payments-team', namespace: 'default' },
            spec: { type: 'team', profile: { displayName: 'Payments Team' } },
          },
        ],
      }),
    ],
    initialState: values,
  });
}

async function goToPlan() {
  await userEvent.click(await screen.findByRole('button', { name: 'Next' }));
}

async function planShown() {
  const table = await screen.findByRole('table', {
    name: 'What will be created',
  });
  return Object.fromEntries(
    within(table)
      .getAllByRole('row')
      .map(row => [
        within(row).getByRole('rowheader').textContent,
        within(row).getByRole('cell').textContent,
      ]),
  );
}

describe('CausewayServicePlan', () => {
  it('lists what will be created from the earlier steps, owners by display name, and passes it to Review', async () => {
    const { onCreate } = renderPlan(
      {
        environment: 'production',
        namespaceFrom: 'owner',
        objects: OBJECTS,
        claims: {
          PostgreSQLInstance: 'PostgreSQL database NAME-db',
          RedisCache: 'Redis cache NAME-cache',
        },
        details: { docsUrl: 'Documentation', onCall: 'On-call' },
      },
      {
        name: 'payment-service',
        owner: 'group:default/payments-team',
        system: 'system:default/payments',
        infrastructure: 'PostgreSQLInstance',
        docsUrl: 'https://docs.example.com/payments',
      },
    );

    const plan = {
      'Source repository': 'payment-service',
      'GitOps folder': 'apps/production/payments-team/payment-service/',
      'Kubernetes objects':
        'Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy, ServiceMonitor, Argo CD Application',
      Claims: 'PostgreSQL database payment-service-db',
      // A system the catalog does not know keeps its name.
      'Catalog entity':
        'component:default/payment-service owned by Payments Team in payments',
      Documentation: 'https://docs.example.com/payments',
    };
    await goToPlan();
    await waitFor(async () => expect(await planShown()).toEqual(plan));

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    // The Review step lists the plan's lines under their own labels.
    expect(
      await screen.findByText('apps/production/payments-team/payment-service/'),
    ).toBeInTheDocument();
    expect(screen.getByText('GitOps folder:')).toBeInTheDocument();
    expect(screen.queryByText(/Plan >/)).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith(expect.objectContaining({ plan }));
  });

  it('takes claims from named values, a host, and says what is still missing', async () => {
    renderPlan(
      {
        host: 'git.causeway.internal',
        namespace: 'ledger',
        environmentFrom: 'environment',
        claims: { database: 'PostgreSQLInstance NAME-db (VALUE)' },
      },
      { name: 'ledger-worker', database: 'small', infrastructure: 'none' },
    );

    await goToPlan();
    expect(await planShown()).toEqual({
      'Source repository': 'ledger-worker on git.causeway.internal',
      'GitOps folder': 'apps/<environment>/ledger/ledger-worker/',
      Claims: 'PostgreSQLInstance ledger-worker-db (small)',
      'Catalog entity': 'component:default/ledger-worker',
    });
  });

  it('lists no claim when none was asked for', async () => {
    renderPlan(
      { claims: { PostgreSQLInstance: 'PostgreSQL database NAME-db' } },
      { name: 'checkout', infrastructure: 'none', database: 'none' },
    );

    await goToPlan();
    expect(await planShown()).not.toHaveProperty('Claims');
  });
});
