import { screen, within } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import {
  gitopsApiMock,
  gitopsView,
  NO_CLUSTERS,
  productionDrift,
} from '../../__testUtils__/gitopsApiMock';
import { renderInGitOpsApp } from '../../__testUtils__/renderInGitOpsApp';
import { EntityGitOpsContent } from './EntityGitOpsContent';

const section = (name: string) => within(screen.getByRole('region', { name }));

/** The cells of each row of a table, as text. */
const rows = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .map(row =>
      within(row)
        .queryAllByRole('cell')
        .map(cell => cell.textContent),
    );

describe('EntityGitOpsContent', () => {
  it('asks for the entity on the page', async () => {
    const api = gitopsApiMock();
    renderInGitOpsApp(<EntityGitOpsContent />, { api });

    expect(await screen.findByText('Drift')).toBeInTheDocument();
    expect(api.getGitOpsView).toHaveBeenCalledWith({
      kind: 'component',
      namespace: 'default',
      name: 'payments-api',
    });
  });

  it('shows a drifted replica count with git’s and the cluster’s values side by side', async () => {
    renderInGitOpsApp(<EntityGitOpsContent />);

    await screen.findByText('Drift');
    const production = section('production');
    expect(
      production.getByLabelText(
        '3 in sync · 1 different · 1 missing in cluster · 1 not in git',
      ),
    ).toBeInTheDocument();
    const differences = production.getByRole('table', {
      name: 'Differences of Deployment payments-team/payments-api',
    });
    expect(rows(differences)).toEqual([
      [],
      ['spec.replicas', '2', '5'],
      ['containers[app].env.FEATURE_FLAGS', '—', '"fast-refunds"'],
    ]);

    const objects = production.getByRole('table', {
      name: 'Objects in production',
    });
    const vpa = within(objects).getByRole('row', {
      name: /VerticalPodAutoscaler/,
    });
    expect(within(vpa).getByText('Missing in cluster')).toBeInTheDocument();
    expect(within(vpa).getByText(/compared by presence only/i)).toBeVisible();
    const hotfix = within(objects).getByRole('row', {
      name: /payments-api-hotfix/,
    });
    expect(within(hotfix).getByText('Not in git')).toBeInTheDocument();
  });

  it('shows a cluster’s error while the other cluster’s objects still show', async () => {
    renderInGitOpsApp(<EntityGitOpsContent />);

    await screen.findByText('Drift');
    const staging = section('staging');
    expect(staging.getByRole('alert')).toHaveTextContent(
      'cluster staging: the API server could not be reached (ECONNREFUSED)',
    );
    expect(staging.queryByRole('table')).toBeNull();
    expect(
      section('production').getByRole('table', {
        name: 'Objects in production',
      }),
    ).toBeInTheDocument();
  });

  it('says how to add a cluster when none is configured, and still lists the files', async () => {
    const api = gitopsApiMock({
      gitops: gitopsView({ clusters: NO_CLUSTERS, drift: [] }),
    });
    renderInGitOpsApp(<EntityGitOpsContent />, { api });

    expect(
      await screen.findByText(/No Kubernetes cluster is configured/),
    ).toHaveTextContent(NO_CLUSTERS.message);
    expect(
      screen.getByRole('listitem', {
        name: 'apps/production/payments-team/payments-api/service.yaml',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Recent commits' }),
    ).toBeInTheDocument();
  });

  it('says when the user may not read cluster objects', async () => {
    const api = gitopsApiMock({
      gitops: gitopsView({
        clusters: { configured: true, denied: true },
        drift: [],
      }),
    });
    renderInGitOpsApp(<EntityGitOpsContent />, { api });

    expect(
      await screen.findByText(
        'You may not read cluster objects (permission kubernetes.resources.read)',
      ),
    ).toBeInTheDocument();
  });

  it('lists the files with their objects, unknown kinds and parse problems', async () => {
    renderInGitOpsApp(<EntityGitOpsContent />);

    const file = within(
      await screen.findByRole('listitem', {
        name: 'apps/production/payments-team/payments-api/extras.yaml',
      }),
    );
    expect(
      file.getByText(/VerticalPodAutoscaler/).closest('li'),
    ).toHaveTextContent(
      "VerticalPodAutoscaler payments-team/payments-api (not known to Causeway's parsers)",
    );
    expect(
      file.getByText('Line 14: bad indentation of a mapping entry'),
    ).toBeVisible();

    const deployment = within(
      screen.getByRole('listitem', {
        name: 'apps/production/payments-team/payments-api/deployment.yaml',
      }),
    );
    expect(
      deployment.getByRole('link', {
        name: 'apps/production/payments-team/payments-api/deployment.yaml',
      }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining(
        '/blob/3f9c2a17e0b4d5c6a7b8c9d0e1f2a3b4c5d6e7f8/',
      ),
    );
    expect(deployment.queryByText(/not known/)).toBeNull();
  });

  it('shows the folder, the commit read and the recent commits', async () => {
    renderInGitOpsApp(<EntityGitOpsContent />);

    expect(
      await screen.findByText('apps/production/payments-team/payments-api/', {
        selector: 'code',
      }),
    ).toBeInTheDocument();
    const commits = screen.getByRole('table', { name: 'Recent commits' });
    const first = within(commits).getAllByRole('row')[1];
    expect(
      within(first).getByRole('link', { name: '3f9c2a1' }),
    ).toHaveAttribute(
      'href',
      'https://git.example.com/platform/gitops/commit/3f9c2a17e0b4d5c6a7b8c9d0e1f2a3b4c5d6e7f8',
    );
    expect(first).toHaveTextContent('payments-api: two replicas in production');
    expect(first).toHaveTextContent('Jane Doe');
    expect(within(first).getByTitle('2026-03-01T10:00:00Z')).toHaveTextContent(
      /ago$/,
    );
    // A commit without a web UI link still shows its short sha.
    expect(within(commits).getByText('0a1b2c3')).toBeInTheDocument();
  });

  it('says a service without a GitOps folder has no manifests, and why', async () => {
    const api = gitopsApiMock({
      gitops: gitopsView({
        path: undefined,
        commit: undefined,
        files: [],
        commits: [],
        drift: [],
      }),
    });
    renderInGitOpsApp(<EntityGitOpsContent />, { api });

    expect(
      await screen.findByText(
        'This service has no manifests in the GitOps repository',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/no causeway.dev\/gitops-path annotation/),
    ).toBeInTheDocument();
    expect(screen.queryByText('Drift')).toBeNull();
  });

  it('says so when the folder holds no manifests', async () => {
    const api = gitopsApiMock({
      gitops: gitopsView({
        files: [],
        commits: [],
        drift: [{ ...productionDrift, objects: [] }],
      }),
    });
    renderInGitOpsApp(<EntityGitOpsContent />, { api });

    expect(
      await screen.findByText(
        'This service has no manifests in the GitOps repository',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('Files')).toBeNull();
    expect(screen.queryByText(/gitops-path annotation/)).toBeNull();
  });

  it('shows the server’s error when the view cannot be read', async () => {
    const api = gitopsApiMock();
    api.getGitOpsView.mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'NotAllowedError',
              message: 'The GitOps repository could not be read',
            },
            response: { statusCode: 503 },
          }),
          { status: 503, statusText: 'Service Unavailable' },
        ),
      ),
    );
    renderInGitOpsApp(<EntityGitOpsContent />, { api });

    expect(
      await screen.findByText(/The GitOps repository could not be read/),
    ).toBeInTheDocument();
  });
});
