import { act, fireEvent, screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderTemplateForm } from '../__testUtils__/renderTemplateForm';
import { CHECK_DELAY_MS, ServiceName } from './ServiceName';
import { serviceNameValidation } from './validation';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payment-service', namespace: 'default' },
    spec: { type: 'service', owner: 'payments-team', lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'ledger', namespace: 'default' },
    spec: { owner: 'group:default/finance' },
  },
  // Same name, other namespace: does not block the default namespace.
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', namespace: 'storefront' },
    spec: {
      type: 'service',
      owner: 'storefront-team',
      lifecycle: 'production',
    },
  },
  // A Group of that name is not a service name clash.
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments-team', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

const steps = [
  {
    title: 'Service',
    schema: {
      type: 'object',
      required: ['name'],
      properties: {
        name: {
          title: 'Name',
          type: 'string',
          'ui:field': 'CausewayServiceName',
        },
      },
    },
  },
];
const extensions = [
  {
    name: 'CausewayServiceName',
    component: ServiceName,
    validation: serviceNameValidation,
  },
];

function renderNameField(catalogApi = catalogApiMock({ entities })) {
  renderTemplateForm({ steps, extensions, apis: [catalogApi] });
  return screen.getByRole('textbox', { name: /Name/ });
}

const type = (input: HTMLElement, value: string) =>
  fireEvent.change(input, { target: { value } });

describe('CausewayServiceName', () => {
  afterEach(() => jest.useRealTimers());

  it('says a name is taken, and by what', async () => {
    type(renderNameField(), 'payment-service');

    expect(
      await screen.findByText(
        'payment-service is taken: component payment-service, owned by payments-team',
      ),
    ).toBeInTheDocument();
  });

  it('says a free name is available', async () => {
    type(renderNameField(), 'payment-gateway');

    expect(
      await screen.findByText('payment-gateway is available'),
    ).toBeInTheDocument();
  });

  it('counts Systems, but not other namespaces or Groups', async () => {
    const input = renderNameField();

    type(input, 'ledger');
    expect(
      await screen.findByText(
        'ledger is taken: system ledger, owned by finance',
      ),
    ).toBeInTheDocument();

    type(input, 'checkout');
    expect(
      await screen.findByText('checkout is available'),
    ).toBeInTheDocument();

    type(input, 'payments-team');
    expect(
      await screen.findByText('payments-team is available'),
    ).toBeInTheDocument();
  });

  it.each([
    [
      'capitals and underscores',
      'Payment_Service',
      "May only contain lowercase letters, digits and '-', not 'P', '_', 'S'",
    ],
    [
      'a leading dash',
      '-payments',
      'Must start with a lowercase letter or a digit',
    ],
    [
      'a trailing dash',
      'payments-',
      'Must end with a lowercase letter or a digit',
    ],
    [
      '64 characters',
      'a'.repeat(64),
      'Must be at most 63 characters (this one has 64)',
    ],
  ])(
    'names the rule a name with %s breaks, without asking the catalog',
    async (_, name, rule) => {
      const catalogApi = catalogApiMock({ entities });
      const getEntities = jest.spyOn(catalogApi, 'getEntities');
      type(renderNameField(catalogApi), name);

      expect(await screen.findByText(rule)).toBeInTheDocument();
      expect(getEntities).not.toHaveBeenCalled();
    },
  );

  it('asks the catalog once, after typing pauses', async () => {
    jest.useFakeTimers();
    const catalogApi = catalogApiMock({ entities });
    const getEntities = jest.spyOn(catalogApi, 'getEntities');
    const input = renderNameField(catalogApi);

    for (const value of [
      'p',
      'pa',
      'pay',
      'paym',
      'payme',
      'paymen',
      'payment',
    ]) {
      type(input, value);
      act(() => jest.advanceTimersByTime(100));
    }
    expect(getEntities).not.toHaveBeenCalled();
    expect(screen.getByRole('status')).toHaveTextContent('Checking the name…');

    await act(async () => {
      jest.advanceTimersByTime(CHECK_DELAY_MS);
    });
    expect(getEntities).toHaveBeenCalledTimes(1);
    expect(getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: {
          'metadata.namespace': 'default',
          'metadata.name': 'payment',
          kind: ['Component', 'Resource', 'API', 'System'],
        },
      }),
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      'payment is available',
    );
  });

  it('keeps the form on its step while the name is taken', async () => {
    const { onCreate } = renderTemplateForm({
      steps,
      extensions,
      apis: [catalogApiMock({ entities })],
    });
    type(screen.getByRole('textbox', { name: /Name/ }), 'payment-service');
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));

    // The step's validation reports the same sentence the field shows.
    expect(
      await screen.findAllByText(
        'payment-service is taken: component payment-service, owned by payments-team',
      ),
    ).not.toHaveLength(0);
    expect(screen.getByRole('textbox', { name: /Name/ })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();

    type(screen.getByRole('textbox', { name: /Name/ }), 'payment-gateway');
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    expect(
      await screen.findByRole('button', { name: 'Create' }),
    ).toBeInTheDocument();
    expect(onCreate).not.toHaveBeenCalled();
  });
});
