import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  NO_CLUSTER_MESSAGE,
  PlatformApi,
} from '@causeway/plugin-gitops-common';
import { KubernetesClusters } from '@causeway/plugin-gitops-node';
import {
  claim,
  CROSSPLANE_CLAIMS,
  StandInApiServer,
  startStandInApiServer,
} from '@causeway/kubernetes-stand-in';
import {
  catalogFor,
  claimFiles,
  claimResourceEntity,
  clustersConfig,
  createGitOpsRepository,
  loadRepositoryPlatformApis,
  logger,
  serviceEntity,
  serviceFiles,
  tempDir,
} from '../__testUtils__/gitops';
import { InfrastructureViewService } from './InfrastructureViewService';

jest.setTimeout(60_000);

const user = mockCredentials.user('user:default/alice');
const infrastructure = 'infrastructure/production/payments';
const dbFile = `${infrastructure}/postgresqlinstance-payment-service-db.yaml`;
const cacheFile = `${infrastructure}/rediscache-payment-service-cache.yaml`;
const topicFile =
  'infrastructure/production/events/kafkatopic-payment-events.yaml';
const bucketFile = `${infrastructure}/objectbucket-invoices.yaml`;

/** The database's parameters as written by hand: the rest are the API's defaults. */
const dbClaim = [
  'apiVersion: platform.causeway.dev/v1alpha1',
  'kind: PostgreSQLInstance',
  'metadata:',
  '  name: payment-service-db',
  '  namespace: payments',
  '  labels:',
  '    app.kubernetes.io/part-of: payment-service',
  '    causeway.dev/owner: payments-team',
  'spec:',
  '  parameters:',
  '    size: large',
  '    storageGB: 50',
  '  writeConnectionSecretToRef:',
  '    name: payment-service-db-connection',
  '',
].join('\n');

describe('InfrastructureViewService', () => {
  let scratch: ReturnType<typeof tempDir>;
  let apis: PlatformApi[];
  let gitops: Awaited<ReturnType<typeof createGitOpsRepository>>;
  let euWest: StandInApiServer;
  let usEast: StandInApiServer;

  const entities: Entity[] = [
    serviceEntity('payment-service', {
      dependsOn: [
        'resource:default/payment-service-db',
        'resource:default/payment-events',
        'resource:default/invoices',
        'component:default/ledger-service',
      ],
    }),
    claimResourceEntity('payment-service-db', 'PostgreSQLInstance', dbFile),
    claimResourceEntity('payment-events', 'KafkaTopic', topicFile, 'events'),
    claimResourceEntity('invoices', 'ObjectBucket', bucketFile),
  ];

  beforeAll(async () => {
    scratch = tempDir('infrastructure-view-');
    gitops = await createGitOpsRepository(scratch.dir);
    apis = await loadRepositoryPlatformApis();
    await gitops.publish(
      serviceFiles('payment-service'),
      'Create payment-service',
    );
    await gitops.publish(
      [
        { path: dbFile, content: dbClaim },
        ...claimFiles(apis, {
          kind: 'RedisCache',
          name: 'payment-service-cache',
          service: 'payment-service',
          parameters: { memoryMB: 2048 },
        }),
        // Another service's claims: a topic payment-service depends on,
        // and a bucket whose Resource alice may not see.
        ...claimFiles(apis, {
          kind: 'KafkaTopic',
          name: 'payment-events',
          namespace: 'events',
          service: 'events-service',
          parameters: { partitions: 12 },
        }),
        ...claimFiles(apis, {
          kind: 'ObjectBucket',
          name: 'invoices',
          service: 'billing-service',
        }),
      ],
      'Add the claims',
    );

    euWest = await startStandInApiServer({
      token: 'eu-west-token',
      serve: CROSSPLANE_CLAIMS,
      objects: [
        claim({
          kind: 'PostgreSQLInstance',
          name: 'payment-service-db',
          namespace: 'payments',
          parameters: {
            size: 'large',
            storageGB: 50,
            version: '16',
            highAvailability: false,
            deletionProtection: true,
            backupRetentionDays: 7,
          },
          ready: { status: 'True', lastTransitionTime: '2026-11-24T08:00:40Z' },
          synced: {
            status: 'False',
            reason: 'ReconcileError',
            message: 'cannot update the composite resource: quota exceeded',
            lastTransitionTime: '2026-11-25T10:30:00Z',
          },
        }),
        claim({
          kind: 'KafkaTopic',
          name: 'payment-events',
          namespace: 'events',
          parameters: { partitions: 12 },
        }),
        // payment-service-cache is not in eu-west (yet).
      ],
    });
    usEast = await startStandInApiServer({
      token: 'us-east-token',
      serve: CROSSPLANE_CLAIMS,
    });
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

  const views = (
    options: {
      clusters?: Record<string, string>;
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    } = {},
  ) =>
    new InfrastructureViewService({
      catalog: catalogFor(entities, {
        hiddenFrom: { 'resource:default/invoices': ['user:default/alice'] },
      }),
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
  const payment = {
    kind: 'component',
    namespace: 'default',
    name: 'payment-service',
  };

  it("shows the service's claims and its dependencies' claims, with what each cluster says of them", async () => {
    const view = await views().view(payment, user);

    expect(view.entityRef).toBe('component:default/payment-service');
    expect(view.clusters).toEqual({ configured: true });
    expect(view.claims).toEqual([
      {
        apiVersion: 'platform.causeway.dev/v1alpha1',
        kind: 'PostgreSQLInstance',
        name: 'payment-service-db',
        namespace: 'payments',
        path: dbFile,
        parameters: {
          size: 'large',
          storageGB: 50,
          version: '16',
          highAvailability: false,
          deletionProtection: true,
          backupRetentionDays: 7,
        },
        connectionSecret: 'payment-service-db-connection',
        // Part of the service, and a Resource it depends on.
        via: 'service',
        resourceRef: 'resource:default/payment-service-db',
        clusters: [
          {
            cluster: 'eu-west',
            found: true,
            ready: {
              status: 'True',
              reason: 'Available',
              lastTransitionTime: '2026-11-24T08:00:40Z',
            },
            synced: {
              status: 'False',
              reason: 'ReconcileError',
              message: 'cannot update the composite resource: quota exceeded',
              lastTransitionTime: '2026-11-25T10:30:00Z',
            },
            connectionSecret: 'payment-service-db-connection',
            lastTransitionTime: '2026-11-25T10:30:00Z',
          },
          { cluster: 'us-east', found: false },
        ],
      },
      expect.objectContaining({
        kind: 'RedisCache',
        name: 'payment-service-cache',
        path: cacheFile,
        parameters: expect.objectContaining({ memoryMB: 2048 }),
        via: 'service',
        clusters: [
          { cluster: 'eu-west', found: false },
          { cluster: 'us-east', found: false },
        ],
      }),
      {
        apiVersion: 'platform.causeway.dev/v1alpha1',
        kind: 'KafkaTopic',
        name: 'payment-events',
        namespace: 'events',
        path: topicFile,
        parameters: expect.objectContaining({ partitions: 12 }),
        connectionSecret: 'payment-events-connection',
        via: 'dependency',
        resourceRef: 'resource:default/payment-events',
        clusters: [
          expect.objectContaining({
            cluster: 'eu-west',
            found: true,
            ready: expect.objectContaining({ status: 'True' }),
            synced: expect.objectContaining({ status: 'True' }),
          }),
          { cluster: 'us-east', found: false },
        ],
      },
    ]);
    // The cache has no Resource in this catalog; the bucket's is hidden
    // from alice, so its claim is not shown.
    expect(view.claims[1].resourceRef).toBeUndefined();
    // One read per claim and cluster, all by name.
    expect(euWest.requests.map(r => r.path).sort()).toEqual([
      '/apis/platform.causeway.dev/v1alpha1/namespaces/events/kafkatopics/payment-events',
      '/apis/platform.causeway.dev/v1alpha1/namespaces/payments/postgresqlinstances/payment-service-db',
      '/apis/platform.causeway.dev/v1alpha1/namespaces/payments/rediscaches/payment-service-cache',
    ]);
  });

  it("shows a cluster's error on each claim, next to the other cluster's answer", async () => {
    usEast.setFaults({ forbid: ['rediscaches.platform.causeway.dev'] });

    const view = await views().view(payment, user);

    const error = {
      reason: 'forbidden',
      message:
        'cluster us-east: the service account may not get rediscaches.platform.causeway.dev (HTTP 403)',
    };
    expect(view.claims.map(c => c.clusters)).toEqual([
      [
        expect.objectContaining({ cluster: 'eu-west', found: true }),
        { cluster: 'us-east', error, found: false },
      ],
      [
        { cluster: 'eu-west', found: false },
        { cluster: 'us-east', error, found: false },
      ],
      [
        expect.objectContaining({ cluster: 'eu-west', found: true }),
        { cluster: 'us-east', error, found: false },
      ],
    ]);
  });

  it("shows a claim Resource's own claim", async () => {
    const view = await views().view(
      { kind: 'resource', namespace: 'default', name: 'payment-events' },
      user,
    );

    expect(view.claims).toEqual([
      expect.objectContaining({
        kind: 'KafkaTopic',
        name: 'payment-events',
        path: topicFile,
        via: 'service',
        resourceRef: 'resource:default/payment-events',
        clusters: [
          expect.objectContaining({ cluster: 'eu-west', found: true }),
          { cluster: 'us-east', found: false },
        ],
      }),
    ]);
  });

  it('shows the claims from git without cluster states when no cluster is configured or the user may not read them', async () => {
    const none = await views({ clusters: {} }).view(payment, user);
    const denied = await views({ permission: AuthorizeResult.DENY }).view(
      payment,
      user,
    );

    expect(none.clusters).toEqual({
      configured: false,
      message: NO_CLUSTER_MESSAGE,
    });
    expect(denied.clusters).toEqual({ configured: true, denied: true });
    for (const view of [none, denied]) {
      expect(view.claims.map(c => [c.name, c.clusters])).toEqual([
        ['payment-service-db', []],
        ['payment-service-cache', []],
        ['payment-events', []],
      ]);
    }
    expect([...euWest.requests, ...usEast.requests]).toEqual([]);
  });

  it('does not find an entity the user may not see', async () => {
    await expect(
      views().view(
        { kind: 'resource', namespace: 'default', name: 'invoices' },
        user,
      ),
    ).rejects.toThrow('Entity resource:default/invoices not found');
  });
});
