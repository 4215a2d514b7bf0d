import fs from 'node:fs';
import nodePath from 'node:path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  manifestFileContents,
  NO_CLUSTER_MESSAGE,
  PlatformApi,
} from '@causeway/plugin-gitops-common';
import { KubernetesClusters } from '@causeway/plugin-gitops-node';
import {
  CROSSPLANE_CLAIMS,
  EXTERNAL_SECRET,
  SERVICE_MONITOR,
  StandInApiServer,
  startStandInApiServer,
} from '@causeway/kubernetes-stand-in';
import {
  appliedObjects,
  bob,
  catalogFor,
  claimFiles,
  clustersConfig,
  createGitOpsRepository,
  git,
  loadRepositoryPlatformApis,
  logger,
  serviceEntity,
  serviceFiles,
  serviceManifests,
  tempDir,
} from '../__testUtils__/gitops';
import { GitOpsViewService } from './GitOpsViewService';

jest.setTimeout(60_000);

const user = mockCredentials.user('user:default/alice');
const ref = (name: string) => ({
  kind: 'component',
  namespace: 'default',
  name,
});
const noDrift = {
  'in-sync': 0,
  'missing-in-cluster': 0,
  'not-in-git': 0,
  different: 0,
};

describe('GitOpsViewService', () => {
  let scratch: ReturnType<typeof tempDir>;
  let gitops: Awaited<ReturnType<typeof createGitOpsRepository>>;
  let apis: PlatformApi[];
  let euWest: StandInApiServer;
  let usEast: StandInApiServer;

  beforeAll(async () => {
    scratch = tempDir('gitops-view-');
    gitops = await createGitOpsRepository(scratch.dir);
    apis = await loadRepositoryPlatformApis();
    const serve = [SERVICE_MONITOR, EXTERNAL_SECRET, ...CROSSPLANE_CLAIMS];
    euWest = await startStandInApiServer({ token: 'eu-west-token', serve });
    usEast = await startStandInApiServer({ token: 'us-east-token', serve });
  });
  afterAll(async () => {
    await Promise.all([euWest.close(), usEast.close()]);
    scratch.remove();
  });
  beforeEach(() => {
    for (const cluster of [euWest, usEast]) {
      cluster.setFaults({});
      cluster.requests.length = 0;
    }
  });

  /** The service as the plugin makes it, with the clusters given. */
  const views = (
    entities: Entity[],
    options: {
      clusters?: Record<string, string>;
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      hiddenFrom?: Record<string, string[]>;
    } = {},
  ) =>
    new GitOpsViewService({
      catalog: catalogFor(entities, { hiddenFrom: options.hiddenFrom }),
      repository: gitops.repository,
      clusters: KubernetesClusters.fromConfig(
        mockServices.rootConfig({
          data: clustersConfig(
            options.clusters ?? {
              'eu-west': euWest.url,
              'us-east': usEast.url,
            },
          ),
        }),
        logger,
      ),
      permissions: mockServices.permissions({
        result: options.permission ?? AuthorizeResult.ALLOW,
      }),
      platformApis: apis,
    });

  const commitsOf = (...paths: string[]) =>
    git(gitops.bare, 'log', '--format=%H', 'main', '--', ...paths).split('\n');
  const timeOf = (sha: string) =>
    git(gitops.bare, 'log', '-1', '--format=%aI', sha);

  it('lists the files of a built service and of its claims, with their objects and the commits that changed them', async () => {
    await gitops.publish(
      serviceFiles('payment-service'),
      'Create payment-service',
    );
    await gitops.publish(
      claimFiles(apis, {
        kind: 'PostgreSQLInstance',
        name: 'payment-service-db',
        service: 'payment-service',
        parameters: { size: 'small', storageGB: 20 },
      }),
      'Add a PostgreSQLInstance for payment-service\n\nFor the ledger.',
      bob,
    );
    // Another service and its claim in the same folders: not listed.
    await gitops.publish(serviceFiles('order-service'), 'Create order-service');
    await gitops.publish(
      claimFiles(apis, {
        kind: 'RedisCache',
        name: 'order-service-cache',
        service: 'order-service',
      }),
      'Add a RedisCache for order-service',
    );

    const view = await views([serviceEntity('payment-service')], {
      clusters: {},
    }).view(ref('payment-service'), user);

    const dir = 'apps/production/payments/payment-service';
    const claim =
      'infrastructure/production/payments/postgresqlinstance-payment-service-db.yaml';
    expect(view.entityRef).toBe('component:default/payment-service');
    expect(view.path).toBe(dir);
    // A repository on disk has no web UI to link to.
    expect(view.commit).toEqual({ sha: git(gitops.bare, 'rev-parse', 'main') });
    expect(view.files.map(f => f.path)).toEqual([
      `${dir}/argocd-application.yaml`,
      `${dir}/deployment.yaml`,
      `${dir}/hpa.yaml`,
      `${dir}/kustomization.yaml`,
      `${dir}/networkpolicy.yaml`,
      `${dir}/pdb.yaml`,
      `${dir}/service.yaml`,
      `${dir}/servicemonitor.yaml`,
      claim,
    ]);
    const file = (path: string) => view.files.find(f => f.path === path);
    expect(file(`${dir}/deployment.yaml`)).toEqual({
      path: `${dir}/deployment.yaml`,
      objects: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'payment-service',
          namespace: 'payments',
          known: true,
        },
      ],
      problems: [],
    });
    expect(file(`${dir}/argocd-application.yaml`)?.objects).toEqual([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        name: 'production-payments-payment-service',
        namespace: 'argocd',
        known: true,
      },
    ]);
    expect(file(claim)?.objects).toEqual([
      {
        apiVersion: 'platform.causeway.dev/v1alpha1',
        kind: 'PostgreSQLInstance',
        name: 'payment-service-db',
        namespace: 'payments',
        known: true,
      },
    ]);
    expect(view.files.every(f => f.objects.every(o => o.known))).toBe(true);

    const [added, created] = commitsOf(claim, dir);
    expect(view.commits).toEqual([
      {
        sha: added,
        author: 'Bob Builder',
        time: timeOf(added),
        message: 'Add a PostgreSQLInstance for payment-service',
      },
      {
        sha: created,
        author: 'Alice Example',
        time: timeOf(created),
        message: 'Create payment-service',
      },
    ]);
    expect(view.clusters).toEqual({
      configured: false,
      message: NO_CLUSTER_MESSAGE,
    });
    expect(view.drift).toEqual([]);
  });

  it('reports a replica count changed in a cluster as different, 2 in git and 5 in the cluster', async () => {
    // No autoscaler: the replica count is git's to set.
    const files = serviceManifests('ledger-service').filter(
      f => f.object.kind !== 'HorizontalPodAutoscaler',
    );
    await gitops.publish(manifestFileContents(files), 'Create ledger-service');
    const live = appliedObjects(files);
    usEast.add(...live);
    const scaled = live.map(o =>
      o.kind === 'Deployment'
        ? { ...o, spec: { ...(o.spec as object), replicas: 5 } }
        : o,
    );
    euWest.add(...scaled);

    const view = await views([serviceEntity('ledger-service')]).view(
      ref('ledger-service'),
      user,
    );

    expect(view.clusters).toEqual({ configured: true });
    expect(view.drift.map(d => d.cluster)).toEqual(['eu-west', 'us-east']);
    const [eu, us] = view.drift;
    expect(eu.error).toBeUndefined();
    expect(eu.objects.find(o => o.kind === 'Deployment')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'ledger-service',
      namespace: 'payments',
      status: 'different',
      path: 'apps/production/payments/ledger-service/deployment.yaml',
      known: true,
      differences: [{ field: 'spec.replicas', git: 2, cluster: 5 }],
    });
    expect(eu.summary).toEqual({ ...noDrift, 'in-sync': 4, different: 1 });
    expect(
      eu.objects
        .filter(o => o.status === 'in-sync')
        .map(o => o.kind)
        .sort(),
    ).toEqual([
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceMonitor',
    ]);
    expect(us.summary).toEqual({ ...noDrift, 'in-sync': 5 });
    // Each cluster was asked with the service's label, in its namespace.
    expect(euWest.requests).toContainEqual({
      method: 'GET',
      path: '/apis/apps/v1/namespaces/payments/deployments',
      labelSelector: 'backstage.io/kubernetes-id=ledger-service',
      authorization: true,
    });
  });

  it("shows the error of a cluster that answers 403, next to the other cluster's drift", async () => {
    const files = serviceManifests('billing-service');
    await gitops.publish(manifestFileContents(files), 'Create billing-service');
    euWest.add(...appliedObjects(files));
    usEast.add(...appliedObjects(files));
    usEast.setFaults({ forbid: ['deployments.apps'] });

    const view = await views([serviceEntity('billing-service')]).view(
      ref('billing-service'),
      user,
    );

    expect(view.drift).toEqual([
      {
        cluster: 'eu-west',
        objects: expect.any(Array),
        summary: { ...noDrift, 'in-sync': 6 },
      },
      {
        cluster: 'us-east',
        error: {
          reason: 'forbidden',
          message:
            'cluster us-east: the service account may not list deployments.apps (HTTP 403)',
        },
        objects: [],
        summary: noDrift,
      },
    ]);
    expect(view.files).toHaveLength(8);
  });

  it('says no cluster is configured, and still lists the files and commits', async () => {
    await gitops.publish(serviceFiles('audit-service'), 'Create audit-service');

    const view = await views([serviceEntity('audit-service')], {
      clusters: {},
    }).view(ref('audit-service'), user);

    expect(view.clusters).toEqual({
      configured: false,
      message: NO_CLUSTER_MESSAGE,
    });
    expect(view.drift).toEqual([]);
    expect(view.files).toHaveLength(8);
    expect(view.commits.map(c => c.message)).toEqual(['Create audit-service']);
  });

  it('shows a service with no manifests in git, and what a cluster runs under its id as not in git', async () => {
    // Made by hand in eu-west; git has nothing for it.
    const [deployment] = appliedObjects(serviceManifests('ghost-service'));
    euWest.add(deployment);

    const view = await views([serviceEntity('ghost-service')]).view(
      ref('ghost-service'),
      user,
    );

    expect(view.path).toBe('apps/production/payments/ghost-service');
    expect(view.files).toEqual([]);
    expect(view.commits).toEqual([]);
    expect(view.drift).toEqual([
      {
        cluster: 'eu-west',
        objects: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'ghost-service',
            namespace: 'payments',
            status: 'not-in-git',
            known: true,
            differences: [],
          },
        ],
        summary: { ...noDrift, 'not-in-git': 1 },
      },
      { cluster: 'us-east', objects: [], summary: noDrift },
    ]);
  });

  it('shows nothing from git for an entity without a GitOps path', async () => {
    const entity = serviceEntity('docs-site');
    delete entity.metadata.annotations!['causeway.dev/gitops-path'];

    const view = await views([entity]).view(ref('docs-site'), user);

    expect(view).toEqual({
      entityRef: 'component:default/docs-site',
      files: [],
      commits: [],
      clusters: { configured: true },
      drift: [],
    });
  });

  it('lists an object of a kind it does not know as unknown, with the documents that did not parse, and leaves it out of the drift', async () => {
    const dir = 'apps/production/payments/canary-service';
    await gitops.publish(
      [
        ...serviceFiles('canary-service'),
        {
          path: `${dir}/rollout.yaml`,
          content: [
            'apiVersion: argoproj.io/v1alpha1',
            'kind: Rollout',
            'metadata:',
            '  name: canary-service',
            '  namespace: payments',
            '  labels:',
            '    backstage.io/kubernetes-id: canary-service',
            '---',
            'apiVersion: v1',
            'kind: ConfigMap',
            '',
          ].join('\n'),
        },
      ],
      'Create canary-service with a Rollout',
    );

    const view = await views([serviceEntity('canary-service')]).view(
      ref('canary-service'),
      user,
    );

    expect(view.files.find(f => f.path === `${dir}/rollout.yaml`)).toEqual({
      path: `${dir}/rollout.yaml`,
      objects: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: 'canary-service',
          namespace: 'payments',
          known: false,
        },
      ],
      problems: [{ line: 9, message: 'ConfigMap has no metadata.name' }],
    });
    // No cluster was asked for Rollouts: their REST name is not known.
    for (const cluster of view.drift) {
      expect(cluster.objects.map(o => o.kind)).not.toContain('Rollout');
    }
    expect(euWest.requests.some(r => r.path.includes('rollouts'))).toBe(false);
  });

  it("reads objects without the service's label by name, and never asks a cluster for Secrets", async () => {
    const dir = 'apps/production/payments/tax-service';
    await gitops.publish(
      [
        ...serviceFiles('tax-service'),
        {
          path: `${dir}/tax-rates.yaml`,
          content:
            'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tax-rates\n  namespace: payments\ndata:\n  vat: "0.2"\n',
        },
        {
          path: `${dir}/secret.yaml`,
          content:
            'apiVersion: v1\nkind: Secret\nmetadata:\n  name: tax-api\n  namespace: payments\nstringData:\n  token: not-in-git-please\n',
        },
      ],
      'Create tax-service',
    );
    euWest.add({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'tax-rates', namespace: 'payments' },
      data: { vat: '0.2' },
    });

    const view = await views([serviceEntity('tax-service')]).view(
      ref('tax-service'),
      user,
    );

    const [eu, us] = view.drift;
    const configMap = (objects: typeof eu.objects) =>
      objects.find(o => o.name === 'tax-rates');
    expect(configMap(eu.objects)).toMatchObject({
      kind: 'ConfigMap',
      status: 'in-sync',
      path: `${dir}/tax-rates.yaml`,
    });
    expect(configMap(us.objects)).toMatchObject({
      status: 'missing-in-cluster',
    });
    expect(euWest.requests.map(r => r.path)).toContain(
      '/api/v1/namespaces/payments/configmaps/tax-rates',
    );
    expect(view.drift.flatMap(d => d.objects.map(o => o.kind))).not.toContain(
      'Secret',
    );
    expect(
      [...euWest.requests, ...usEast.requests].some(r =>
        r.path.includes('secrets'),
      ),
    ).toBe(false);
  });

  it('leaves the clusters out for a user who may not read them, and still shows git', async () => {
    await gitops.publish(serviceFiles('risk-service'), 'Create risk-service');

    const view = await views([serviceEntity('risk-service')], {
      permission: AuthorizeResult.DENY,
    }).view(ref('risk-service'), user);

    expect(view.clusters).toEqual({ configured: true, denied: true });
    expect(view.drift).toEqual([]);
    expect(view.files).toHaveLength(8);
    expect(view.commits.map(c => c.message)).toEqual(['Create risk-service']);
    expect([...euWest.requests, ...usEast.requests]).toEqual([]);
  });

  it('does not find an entity the user may not see, as one that does not exist', async () => {
    const hidden = views([serviceEntity('secret-service')], {
      hiddenFrom: {
        'component:default/secret-service': ['user:default/alice'],
      },
    });

    await expect(hidden.view(ref('secret-service'), user)).rejects.toThrow(
      expect.objectContaining({
        name: 'NotFoundError',
        message: 'Entity component:default/secret-service not found',
      }),
    );
    await expect(hidden.view(ref('no-such-service'), user)).rejects.toThrow(
      'Entity component:default/no-such-service not found',
    );
    // Someone it is not hidden from sees it.
    await expect(
      hidden.view(
        ref('secret-service'),
        mockCredentials.user('user:default/bob'),
      ),
    ).resolves.toMatchObject({ entityRef: 'component:default/secret-service' });
  });

  it("reads only the entity's own folder: a path naming apps, or another team's folder, is refused", async () => {
    await gitops.publish(serviceFiles('audit-service'), 'Add audit-service');
    const naming = (gitopsPath: string, owner = 'payments') => {
      const entity = serviceEntity('audit-service', {
        annotations: { 'causeway.dev/gitops-path': gitopsPath },
      });
      entity.spec!.owner = owner;
      return views([entity]).view(ref('audit-service'), user);
    };

    await expect(naming('apps')).rejects.toThrow(
      expect.objectContaining({
        name: 'InputError',
        message:
          'component:default/audit-service: its causeway.dev/gitops-path annotation "apps" is not its folder: audit-service, owned by payments, lives in apps/ENVIRONMENT/payments/audit-service',
      }),
    );
    await expect(
      naming('apps/production/payments/audit-service', 'orders'),
    ).rejects.toThrow(
      'is not its folder: audit-service, owned by orders, lives in apps/production/orders/audit-service',
    );
    await expect(
      naming('apps/production/payments/payment-service'),
    ).rejects.toThrow('lives in apps/production/payments/audit-service');

    const own = await naming('apps/production/payments/audit-service/');
    expect(own.path).toBe('apps/production/payments/audit-service');
    expect(own.files.length).toBeGreaterThan(0);
    expect(
      own.files.every(f =>
        f.path.startsWith('apps/production/payments/audit-service/'),
      ),
    ).toBe(true);
  });

  it('names a symbolic link pushed into the folder as its problem, and never reads through it', async () => {
    const outside = tempDir('gitops-view-outside-');
    const secret = 'kind: Secret\nstringData:\n  password: hunter2-outside\n';
    fs.writeFileSync(nodePath.join(outside.dir, 'secret.yaml'), secret);
    await gitops.publish(serviceFiles('linked-service'), 'Add linked-service');
    // Someone with a token for the repository pushes links with plain git.
    const work = nodePath.join(scratch.dir, 'links-work');
    git(scratch.dir, 'clone', '--quiet', gitops.bare, work);
    const dir = nodePath.join(work, 'apps/production/payments/linked-service');
    fs.symlinkSync(
      nodePath.join(outside.dir, 'secret.yaml'),
      nodePath.join(dir, 'secret.yaml'),
    );
    fs.symlinkSync(outside.dir, nodePath.join(dir, 'extra'));
    git(work, 'add', '--all');
    git(
      work,
      '-c',
      'user.name=CI',
      '-c',
      'user.email=ci@example.com',
      'commit',
      '--quiet',
      '-m',
      'Links',
    );
    git(work, 'push', '--quiet', 'origin', 'main');

    try {
      const view = await views([serviceEntity('linked-service')], {
        clusters: {},
      }).view(ref('linked-service'), user);
      const linked = view.files.filter(f => f.problems.length > 0);
      expect(linked).toEqual([
        {
          path: 'apps/production/payments/linked-service/extra',
          objects: [],
          problems: [
            {
              line: 1,
              message:
                'apps/production/payments/linked-service/extra is a symbolic link; Causeway does not follow links',
            },
          ],
        },
        {
          path: 'apps/production/payments/linked-service/secret.yaml',
          objects: [],
          problems: [
            {
              line: 1,
              message:
                'apps/production/payments/linked-service/secret.yaml is a symbolic link; Causeway does not follow links',
            },
          ],
        },
      ]);
      expect(JSON.stringify(view)).not.toContain('hunter2-outside');
    } finally {
      outside.remove();
    }
  });
});
