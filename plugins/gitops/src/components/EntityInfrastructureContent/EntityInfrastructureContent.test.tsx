import { screen, within } from '@testing-library/react';
import {
  claim,
  gitopsApiMock,
  infrastructureView,
  NO_CLUSTERS,
} from '../../__testUtils__/gitopsApiMock';
import { renderInGitOpsApp } from '../../__testUtils__/renderInGitOpsApp';
import { catalogEntity } from '../../__testUtils__/catalogEntity';
import { EntityInfrastructureContent } from './EntityInfrastructureContent';

const clusterRow = (claimName: string, cluster: string) =>
  within(
    within(
      screen.getByRole('table', { name: `${claimName} in the clusters` }),
    ).getByRole('row', { name: new RegExp(`^${cluster}`) }),
  );

describe('EntityInfrastructureContent', () => {
  it('shows a claim that is not Ready with the cluster’s reason', async () => {
    renderInGitOpsApp(<EntityInfrastructureContent />);

    expect(
      await screen.findByText('PostgreSQLInstance payments-db'),
    ).toBeInTheDocument();
    const production = clusterRow('payments-db', 'production');
    expect(production.getByLabelText('Ready: False')).toBeInTheDocument();
    expect(
      production.getByText(
        'ReconcileError: cannot create DB instance: quota exceeded',
      ),
    ).toBeVisible();
    expect(production.getByLabelText('Synced: True')).toBeInTheDocument();
    // Synced is True: its reason is not worth a line.
    expect(production.queryByText('ReconcileSuccess')).toBeNull();
    expect(production.getByTitle('2026-03-01T10:05:00Z')).toBeInTheDocument();
    expect(production.getByText('payments-db-connection')).toBeInTheDocument();

    expect(
      clusterRow('payments-db', 'staging').getByText(/Not found in cluster/),
    ).toBeInTheDocument();
  });

  it('shows what git declares: parameters, connection secret and the catalog resource', async () => {
    renderInGitOpsApp(<EntityInfrastructureContent />);

    const parameters = await screen.findAllByRole('list', {
      name: 'Parameters',
    });
    expect(
      within(parameters[0])
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(['storageGB: 20', 'version: 16', 'highAvailability: false']);
    expect(screen.getByText(/Part of the service/)).toBeInTheDocument();
    expect(screen.getByText(/A dependency of the service/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'payments-events' }),
    ).toHaveAttribute('href', '/catalog/default/resource/payments-events');
  });

  it('shows a cluster’s error in its row, beside the other cluster’s state', async () => {
    renderInGitOpsApp(<EntityInfrastructureContent />);

    await screen.findByText('Queue payments-events');
    expect(
      clusterRow('payments-events', 'staging').getByRole('alert'),
    ).toHaveTextContent(
      'cluster staging: the service account may not get queues.platform.causeway.dev (HTTP 403)',
    );
    expect(
      clusterRow('payments-events', 'production').getByLabelText('Ready: True'),
    ).toBeInTheDocument();
  });

  it('says how to add a cluster when none is configured', async () => {
    const api = gitopsApiMock({
      infrastructure: infrastructureView({
        clusters: NO_CLUSTERS,
        claims: [claim({ clusters: [] })],
      }),
    });
    renderInGitOpsApp(<EntityInfrastructureContent />, { api });

    expect(await screen.findByText(NO_CLUSTERS.message)).toBeInTheDocument();
    expect(screen.getByText('PostgreSQLInstance payments-db')).toBeVisible();
  });

  it('says a service without claims claims no infrastructure, and where to add one', async () => {
    const api = gitopsApiMock({
      infrastructure: infrastructureView({ claims: [] }),
    });
    renderInGitOpsApp(<EntityInfrastructureContent />, {
      api,
      entity: catalogEntity('Component', 'checkout-web'),
    });

    expect(
      await screen.findByText('This service claims no infrastructure'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Claim templates' }),
    ).toHaveAttribute('href', '/create');
    expect(api.getInfrastructureView).toHaveBeenCalledWith({
      kind: 'component',
      namespace: 'default',
      name: 'checkout-web',
    });
  });
});
