import { join, resolve } from 'node:path';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  claim,
  CROSSPLANE_CLAIMS,
  EXTERNAL_SECRET,
  SERVICE_MONITOR,
  StandInApiServer,
  startStandInApiServer,
} from '@causeway/kubernetes-stand-in';
import {
  appliedObjects,
  catalogFor,
  claimFiles,
  claimResourceEntity,
  clustersConfig,
  createGitOpsRepository,
  loadRepositoryPlatformApis,
  serviceEntity,
  serviceManifests,
  tempDir,
} from './__testUtils__/gitops';
import { manifestFileContents } from '@causeway/plugin-gitops-common';
import { gitopsPlugin } from './plugin';

// A remote URL: the plugin creates no local repository for it.
const repository = { url: 'https://git.example.com/acme/gitops.git' };
// The repository's own platform APIs.
const platformApis = resolve(__dirname, '../../../platform/apis');

async function startGitopsBackend(gitops: Record<string, unknown> = {}) {
  const { server } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({
        data: { gitops: { repository, platformApis, ...gitops } },
      }),
      // Requests without a token stay anonymous, as in production.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return (path: string, headers: Record<string, string> = {}) =>
    fetch(`http://localhost:${port}/api/gitops${path}`, { headers });
}

describe('GET /api/gitops/tiers', () => {
  it('serves every tier of the platform policy, with the configured descriptions', async () => {
    const get = await startGitopsBackend({
      tiers: {
        critical: {
          description: 'Paged at night; talk to the SRE team first.',
          replicas: { min: 4, max: 12 },
        },
      },
    });

    const res = await get('/tiers', {
      Authorization: mockCredentials.user.header(),
    });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      tiers: [
        {
          id: 'critical',
          description: 'Paged at night; talk to the SRE team first.',
          replicas: { min: 4, max: 12 },
          requests: { cpu: '500m', memory: '512Mi' },
          limits: { cpu: '1', memory: '1Gi' },
        },
        {
          id: 'standard',
          description: 'Most services: 2 to 5 replicas, 1 always up.',
          replicas: { min: 2, max: 5 },
          requests: { cpu: '250m', memory: '256Mi' },
          limits: { cpu: '500m', memory: '512Mi' },
        },
        {
          id: 'batch',
          description:
            'Internal or batch work: 1 to 3 replicas, may pause during rollouts.',
          replicas: { min: 1, max: 3 },
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { cpu: '500m', memory: '256Mi' },
        },
      ],
    });
  });

  it('requires a signed-in user', async () => {
    const get = await startGitopsBackend();

    const res = await get('/tiers');

    expect(res.status).toBe(401);
  });

  it('leaves the health check open', async () => {
    const get = await startGitopsBackend();

    const res = await get('/health');

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /api/gitops/platform-apis', () => {
  it("serves each platform API with its parameters' schema from the XRD", async () => {
    const get = await startGitopsBackend();

    const res = await get('/platform-apis', {
      Authorization: mockCredentials.user.header(),
    });

    expect(res.status).toBe(200);
    const { items } = await res.json();
    expect(items.map((api: { kind: string }) => api.kind)).toEqual([
      'KafkaTopic',
      'ObjectBucket',
      'PostgreSQLInstance',
      'RedisCache',
    ]);
    expect(items[2]).toEqual({
      kind: 'PostgreSQLInstance',
      apiVersion: 'platform.causeway.dev/v1alpha1',
      resourceType: 'database',
      title: 'PostgreSQLInstance',
      description: 'What the service needs from its database.',
      parameters: expect.objectContaining({
        type: 'object',
        required: ['size', 'storageGB'],
        additionalProperties: false,
      }),
    });
    expect(items[2].parameters.properties.storageGB).toEqual({
      type: 'integer',
      description: 'Disk size in GB.',
      minimum: 10,
      maximum: 1000,
      default: 20,
    });
    expect(items[2].parameters.properties.size.enum).toEqual([
      'small',
      'standard',
      'large',
    ]);
  });

  it('serves no APIs, rather than failing, when the folder has none', async () => {
    const get = await startGitopsBackend({
      platformApis: join(platformApis, 'no-such-folder'),
    });

    const res = await get('/platform-apis', {
      Authorization: mockCredentials.user.header(),
    });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [] });
  });

  it('requires a signed-in user', async () => {
    const get = await startGitopsBackend();

    const res = await get('/platform-apis');

    expect(res.status).toBe(401);
  });
});

describe('GET /api/gitops/entities/:namespace/:kind/:name/{gitops,infrastructure}', () => {
  let scratch: ReturnType<typeof tempDir>;
  let bare: string;
  let cluster: StandInApiServer;
  const dbFile =
    'infrastructure/production/payments/postgresqlinstance-payment-service-db.yaml';
  const entities = [
    serviceEntity('payment-service', {
      dependsOn: ['resource:default/payment-service-db'],
    }),
    claimResourceEntity('payment-service-db', 'PostgreSQLInstance', dbFile),
    serviceEntity('secret-service'),
  ];

  beforeAll(async () => {
    scratch = tempDir('gitops-plugin-');
    const gitops = await createGitOpsRepository(scratch.dir);
    bare = gitops.bare;
    const apis = await loadRepositoryPlatformApis();
    const files = serviceManifests('payment-service');
    await gitops.publish(manifestFileContents(files), 'Create payment-service');
    await gitops.publish(
      claimFiles(apis, {
        kind: 'PostgreSQLInstance',
        name: 'payment-service-db',
        service: 'payment-service',
        parameters: { size: 'small', storageGB: 20 },
      }),
      'Add a database for payment-service',
    );
    cluster = await startStandInApiServer({
      token: 'eu-west-token',
      serve: [SERVICE_MONITOR, EXTERNAL_SECRET, ...CROSSPLANE_CLAIMS],
      objects: [
        ...appliedObjects(files),
        claim({
          kind: 'PostgreSQLInstance',
          name: 'payment-service-db',
          namespace: 'payments',
          parameters: { size: 'small', storageGB: 20 },
          synced: false,
        }),
      ],
    });
  });
  afterAll(async () => {
    await cluster.close();
    scratch.remove();
  });

  async function startBackend(
    permission: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  ) {
    const { server } = await startTestBackend({
      features: [
        gitopsPlugin,
        mockServices.rootConfig.factory({
          data: {
            gitops: { repository: { url: bare }, platformApis },
            events: { useEventBus: 'never' },
            ...clustersConfig({ 'eu-west': cluster.url }),
          },
        }),
        mockServices.permissions.factory({ result: permission }),
        // Requests without a token stay anonymous, as in production.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        // The catalog as alice may see it: secret-service is hidden from her.
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () =>
            catalogFor(entities, {
              hiddenFrom: {
                'component:default/secret-service': ['user:default/alice'],
              },
            }),
        }),
      ],
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return (path: string, signedIn = true) =>
      fetch(`http://localhost:${port}/api/gitops${path}`, {
        headers: signedIn
          ? { Authorization: mockCredentials.user.header('user:default/alice') }
          : {},
      });
  }

  it("serves a service's GitOps view: its files, commits and each cluster's drift", async () => {
    const get = await startBackend(AuthorizeResult.ALLOW);

    const res = await get('/entities/default/component/payment-service/gitops');

    expect(res.status).toBe(200);
    const view = await res.json();
    expect(view.entityRef).toBe('component:default/payment-service');
    expect(view.files).toHaveLength(9);
    expect(view.commits.map((c: { message: string }) => c.message)).toEqual([
      'Add a database for payment-service',
      'Create payment-service',
    ]);
    expect(view.clusters).toEqual({ configured: true });
    expect(view.drift).toEqual([
      {
        cluster: 'eu-west',
        objects: expect.any(Array),
        summary: {
          'in-sync': 7,
          'missing-in-cluster': 0,
          'not-in-git': 0,
          different: 0,
        },
      },
    ]);
  });

  it("serves a service's Infrastructure view: its claims and what the cluster says of them", async () => {
    const get = await startBackend(AuthorizeResult.ALLOW);

    const res = await get(
      '/entities/default/component/payment-service/infrastructure',
    );

    expect(res.status).toBe(200);
    const view = await res.json();
    expect(view.claims).toEqual([
      expect.objectContaining({
        kind: 'PostgreSQLInstance',
        name: 'payment-service-db',
        path: dbFile,
        via: 'service',
        resourceRef: 'resource:default/payment-service-db',
        clusters: [
          expect.objectContaining({
            cluster: 'eu-west',
            found: true,
            ready: expect.objectContaining({
              status: 'True',
              reason: 'Available',
            }),
            synced: expect.objectContaining({
              status: 'False',
              reason: 'ReconcileError',
            }),
          }),
        ],
      }),
    ]);
  });

  it('answers 404 for an entity the user may not see, and 401 without a user', async () => {
    const get = await startBackend(AuthorizeResult.ALLOW);

    for (const view of ['gitops', 'infrastructure']) {
      const hidden = await get(
        `/entities/default/component/secret-service/${view}`,
      );
      expect(hidden.status).toBe(404);
      expect((await hidden.json()).error).toMatchObject({
        name: 'NotFoundError',
        message: 'Entity component:default/secret-service not found',
      });
      const anonymous = await get(
        `/entities/default/component/payment-service/${view}`,
        false,
      );
      expect(anonymous.status).toBe(401);
    }
  });

  it('leaves the clusters out when the user may not read Kubernetes resources', async () => {
    const get = await startBackend(AuthorizeResult.DENY);
    cluster.requests.length = 0;

    const gitops = await (
      await get('/entities/default/component/payment-service/gitops')
    ).json();
    const infrastructure = await (
      await get('/entities/default/component/payment-service/infrastructure')
    ).json();

    expect(gitops.clusters).toEqual({ configured: true, denied: true });
    expect(gitops.drift).toEqual([]);
    expect(gitops.files).toHaveLength(9);
    expect(infrastructure.clusters).toEqual({ configured: true, denied: true });
    expect(infrastructure.claims).toEqual([
      expect.objectContaining({ name: 'payment-service-db', clusters: [] }),
    ]);
    expect(cluster.requests).toEqual([]);
  });
});
