import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderTemplateForm } from '../__testUtils__/renderTemplateForm';
import {
  GoldenPathsApi,
  goldenPathsApiRef,
  ServiceTier,
} from '../../api/GoldenPathsClient';
import { Tier } from './Tier';

// The field shows the id and the description; the rest is for the backend.
const tier = (id: string, description: string): ServiceTier => ({
  id,
  description,
  replicas: { min: 1, max: 2 },
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '200m', memory: '256Mi' },
});
const tiers = [
  tier(
    'critical',
    'Customer-facing, paged at night: 3 to 10 replicas, 2 always up.',
  ),
  tier('standard', 'Most services: 2 to 5 replicas, 1 always up.'),
];

function renderTierField(goldenPathsApi: GoldenPathsApi) {
  return renderTemplateForm({
    steps: [
      {
        title: 'Runtime',
        schema: {
          type: 'object',
          required: ['tier'],
          properties: {
            tier: {
              title: 'Tier',
              type: 'string',
              default: 'standard',
              'ui:field': 'CausewayTier',
            },
          },
        },
      },
    ],
    extensions: [{ name: 'CausewayTier', component: Tier }],
    apis: [[goldenPathsApiRef, goldenPathsApi]],
  });
}

describe('CausewayTier', () => {
  it('offers each tier with the explanation the platform team configured', async () => {
    const { onCreate } = renderTierField({ getTiers: async () => tiers });

    const group = await screen.findByRole('radiogroup', { name: /Tier/ });
    const [critical, standard] = within(group).getAllByRole('radio');
    expect(critical.closest('label')).toHaveTextContent(
      `critical${tiers[0].description}`,
    );
    expect(
      within(group).getByText(
        'Customer-facing, paged at night: 3 to 10 replicas, 2 always up.',
      ),
    ).toBeInTheDocument();
    expect(
      within(group).getByText('Most services: 2 to 5 replicas, 1 always up.'),
    ).toBeInTheDocument();
    expect(standard).toBeChecked();

    await userEvent.click(critical);
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create' }),
    );
    expect(onCreate).toHaveBeenCalledWith({ tier: 'critical' });
  });

  it('says so when the tiers cannot be loaded', async () => {
    renderTierField({
      getTiers: async () => {
        throw new Error('401 Unauthorized');
      },
    });

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the service tiers: 401 Unauthorized',
    );
  });
});
