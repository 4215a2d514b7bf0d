import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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
              'ui:backstage': { review: { explode: true } },
            },
          },
        },
      },
    ],
    extensions: [{ name: 'CausewayServicePlan', component: ServicePlan }],
    apis: [],
    initialState: values,
  });
}

async function planShown() {
  await userEvent.click(screen.getByRole('button', { name: 'Next' }));
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
  it('lists what will be created from the earlier steps, and passes it to Review', async () => {
    const { onCreate } = renderPlan(
      {
        environment: 'production',
        namespaceFrom: 'owner',
        objects: OBJECTS,
        claims: {
          PostgreSQLInstance: 'PostgreSQL database NAME-db',
          RedisCache: 'Redis cache NAME-cache',
        },
      },
      {
        name: 'payment-service',
        owner: 'group:default/payments-team',
        system: 'system:default/payments',
        infrastructure: 'PostgreSQLInstance',
      },
    );

    expect(await planShown()).toEqual({
      'Source repository': 'payment-service',
      'GitOps folder': 'apps/production/payments-team/payment-service/',
      'Kubernetes objects':
        'Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy, ServiceMonitor, Argo CD Application',
      Claims: 'PostgreSQL database payment-service-db',
      'Catalog entity':
        'component:default/payment-service owned by payments-team in payments',
    });

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    // The Review step explodes the plan's lines under its key.
    expect(await screen.findByText('Plan > Gitops Folder')).toBeInTheDocument();
    expect(
      screen.getByText('apps/production/payments-team/payment-service/'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        plan: {
          sourceRepository: 'payment-service',
          gitopsFolder: 'apps/production/payments-team/payment-service/',
          kubernetesObjects: OBJECTS.join(', '),
          claims: 'PostgreSQL database payment-service-db',
          catalogEntity:
            'component:default/payment-service owned by payments-team in payments',
        },
      }),
    );
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

    expect(await planShown()).not.toHaveProperty('Claims');
  });
});
