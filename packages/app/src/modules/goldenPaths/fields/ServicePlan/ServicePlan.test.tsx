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

// A golden path in the shape of the templates: the service on the first step,
// the plan alone on the last.
const steps = [
  {
    title: 'Service',
    schema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        owner: { type: 'string' },
        system: { type: 'string' },
        environment: { type: 'string', enum: ['staging', 'production'] },
        database: { type: 'string', enum: ['none', 'small', 'large'] },
        cache: { type: 'boolean' },
      },
    },
  },
  {
    title: 'Check',
    schema: {
      type: 'object',
      properties: {
        plan: {
          title: 'What will be created',
          type: 'object',
          'ui:field': 'CausewayServicePlan',
          'ui:options': {
            host: 'git.causeway.internal',
            namespace: 'payments',
            objects: OBJECTS,
            claims: {
              database: 'PostgreSQLInstance {value} (payment-service-db)',
              cache: 'RedisCache (payment-service-cache)',
            },
          },
        },
      },
    },
  },
];

function renderPlan(values: Record<string, string | boolean>) {
  return renderTemplateForm({
    steps,
    extensions: [{ name: 'CausewayServicePlan', component: ServicePlan }],
    apis: [],
    initialState: values,
  });
}

const linesOf = (table: HTMLElement) =>
  Object.fromEntries(
    within(table)
      .getAllByRole('row')
      .map(row => {
        const [label, value] = [
          within(row).getByRole('rowheader'),
          within(row).getByRole('cell'),
        ];
        return [label.textContent, value.textContent];
      }),
  );

describe('CausewayServicePlan', () => {
  it('lists what will be created from the earlier steps, and passes it to Review', async () => {
    const { onCreate } = renderPlan({
      name: 'payment-service',
      owner: 'group:default/payments-team',
      system: 'payments',
      environment: 'production',
      database: 'small',
      cache: false,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));

    const table = await screen.findByRole('table', {
      name: 'What will be created',
    });
    expect(linesOf(table)).toEqual({
      'Source repository': 'payment-service on git.causeway.internal',
      'GitOps folder': 'apps/production/payments/payment-service/',
      'Kubernetes objects':
        'Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy, ServiceMonitor, Argo CD Application',
      Claims: 'PostgreSQLInstance small (payment-service-db)',
      'Catalog entity':
        'component:default/payment-service owned by payments-team in payments',
    });

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    // The Review step explodes the plan's lines under its key.
    expect(
      await screen.findByText('payment-service on git.causeway.internal'),
    ).toBeInTheDocument();
    expect(screen.getByText('Plan > Gitops Folder')).toBeInTheDocument();
    expect(
      screen.getByText('apps/production/payments/payment-service/'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        plan: {
          sourceRepository: 'payment-service on git.causeway.internal',
          gitopsFolder: 'apps/production/payments/payment-service/',
          kubernetesObjects: OBJECTS.join(', '),
          claims: 'PostgreSQLInstance small (payment-service-db)',
          catalogEntity:
            'component:default/payment-service owned by payments-team in payments',
        },
      }),
    );
  });

  it('leaves out claims that were not asked for, and names what is still missing', async () => {
    renderPlan({ name: 'ledger-worker', database: 'none', cache: true });
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));

    const lines = linesOf(
      await screen.findByRole('table', { name: 'What will be created' }),
    );
    expect(lines.Claims).toBe('RedisCache (payment-service-cache)');
    expect(lines['GitOps folder']).toBe(
      'apps/<environment>/payments/ledger-worker/',
    );
    expect(lines['Catalog entity']).toBe('component:default/ledger-worker');
  });
});
