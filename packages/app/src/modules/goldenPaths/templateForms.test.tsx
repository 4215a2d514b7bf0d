import path from 'node:path';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { mockApis } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { StepperProps } from '@backstage/plugin-scaffolder-react/alpha';
import { goldenPathsApiRef } from './api/GoldenPathsClient';
import { renderTemplateForm } from './fields/__testUtils__/renderTemplateForm';
import { OwnerGroup } from './fields/OwnerGroup/OwnerGroup';
import { ServiceName } from './fields/ServiceName/ServiceName';
import { ServicePlan } from './fields/ServicePlan/ServicePlan';
import { Tier } from './fields/Tier/Tier';

type Template = {
  metadata: { name: string };
  spec: {
    parameters: Array<{
      title: string;
      description?: string;
      properties?: StepperProps['manifest']['steps'][number]['schema'];
    }>;
  };
};

/**
 * A golden path's template.yaml, as the catalog serves it: jest's YAML
 * transform reads it as JSON. The templates belong to no package, so the
 * path is resolved here rather than imported.
 */
const loadTemplate = (name: string): Template =>
  jest.requireActual(
    path.resolve(__dirname, '../../../../../templates', name, 'template.yaml'),
  );

/** The values above that the template asks for. */
const valuesOf = (template: Template, given: Record<string, string>) => {
  const asked = new Set(
    template.spec.parameters.flatMap(page =>
      Object.keys(page.properties ?? {}),
    ),
  );
  return Object.fromEntries(
    Object.entries(given).filter(([key]) => asked.has(key)),
  );
};

/** The steps as the scaffolder backend serves them for the form. */
const formSteps = (template: Template): StepperProps['manifest']['steps'] =>
  template.spec.parameters.map(({ title, description, ...schema }) => ({
    title,
    description,
    schema,
  }));

const entity = (kind: string, name: string, spec: object): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec,
});

const entities = [
  entity('Group', 'payments-team', {
    type: 'team',
    children: [],
    profile: { displayName: 'Payments Team' },
  }),
  {
    ...entity('System', 'checkout-system', { owner: 'payments-team' }),
    metadata: {
      name: 'checkout-system',
      namespace: 'default',
      title: 'Checkout',
    },
  },
];

const values = {
  name: 'refund-api',
  description: 'Refunds card payments',
  owner: 'group:default/payments-team',
  system: 'system:default/checkout-system',
  tier: 'standard',
  infrastructure: 'PostgreSQLInstance',
  schedule: '30 2 * * 1-5',
  docsUrl: 'https://docs.example.com/refund-api',
  runbookUrl: 'https://runbooks.example.com/refund-api',
  onCall: 'payments-primary',
  slo: '99.9% of requests under 300 ms over 30 days',
};

function renderGoldenPath(template: Template, given: Record<string, string>) {
  return renderTemplateForm({
    steps: formSteps(template),
    extensions: [
      { name: 'CausewayServiceName', component: ServiceName },
      { name: 'CausewayOwnerGroup', component: OwnerGroup },
      { name: 'CausewayTier', component: Tier },
      { name: 'CausewayServicePlan', component: ServicePlan },
    ],
    apis: [
      catalogApiMock({ entities }),
      mockApis.identity({
        userEntityRef: 'user:default/jane',
        ownershipEntityRefs: ['group:default/payments-team'],
      }),
      mockApis.permission(),
      [
        goldenPathsApiRef,
        {
          getTiers: async () => [],
          getPlatformApis: async () => [],
        },
      ],
    ],
    initialState: valuesOf(template, given),
  });
}

/** The stepper's step labels, in order. */
const stepLabels = async () =>
  (await screen.findAllByText(/./, { selector: '.MuiStepLabel-label' })).map(
    label => label.textContent,
  );

describe.each(['service-nodejs', 'service-go', 'service-python', 'cron-job'])(
  'the %s form',
  name => {
    const template = loadTemplate(name);

    it('has one review step, listing what will be created in the words of the form: display names, not refs or keys', async () => {
      renderGoldenPath(template, values);

      const labels = await stepLabels();
      expect(labels.filter(label => /review/i.test(label ?? ''))).toEqual([
        'Review',
      ]);
      expect(labels[labels.length - 1]).toBe('Review');

      for (let step = 1; step < labels.length - 1; step++) {
        await userEvent.click(
          await screen.findByRole('button', { name: 'Next' }),
        );
      }
      await userEvent.click(
        await screen.findByRole('button', { name: 'Review' }),
      );
      await screen.findByRole('button', { name: 'Create' });

      const review = screen.getByRole('table');
      const rows = within(review)
        .getAllByRole('row')
        .map(row => row.textContent ?? '');
      // One row: the plan, whose lines carry their own labels.
      expect(rows).toHaveLength(1);
      const [plan] = rows;
      expect(plan).toMatch(/^What will be created/);
      expect(plan).toContain(
        'Catalog entity: component:default/refund-api owned by Payments Team in Checkout',
      );
      expect(plan).toContain(
        'Documentation: https://docs.example.com/refund-api',
      );
      expect(plan).toContain(
        'Runbook: https://runbooks.example.com/refund-api',
      );
      expect(plan).toContain('On-call: payments-primary');
      expect(plan).toContain('Description: Refunds card payments');
      expect(plan).not.toContain('group:default/');
      expect(plan).not.toContain('system:default/');
      // No key spelled out by the stock review ("Plan > Gitops Folder").
      expect(plan).not.toContain('>');
    });

    it('refuses documentation and runbook links that are not http(s)', async () => {
      renderGoldenPath(template, {
        ...values,
        docsUrl: 'data:text/html,<script>alert(1)</script>',
        runbookUrl: 'file:///etc/passwd',
      });
      const labels = await stepLabels();
      for (let step = 1; step < labels.length - 1; step++) {
        await userEvent.click(
          await screen.findByRole('button', { name: 'Next' }),
        );
      }
      await userEvent.click(
        await screen.findByRole('button', { name: 'Review' }),
      );

      expect(
        await screen.findAllByText(
          /must be a link starting with http:\/\/ or https:\/\//,
        ),
      ).not.toHaveLength(0);
      expect(screen.queryByRole('button', { name: 'Create' })).toBeNull();
    });
  },
);
