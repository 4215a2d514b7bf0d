import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  claim,
  CROSSPLANE_CLAIMS,
  deployment,
  pod,
  SERVICE_MONITOR,
  serviceMonitor,
  StandInApiServer,
  StandInOptions,
  startStandInApiServer,
} from '@causeway/kubernetes-stand-in';
import { KubernetesClusters, ResourceType } from './KubernetesClusters';

const ID = 'backstage.io/kubernetes-id';
const HEALTHY_TOKEN = 'healthy-secret-token';
const FAULTY_TOKEN = 'faulty-secret-token';

const DEPLOYMENTS: ResourceType = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  plural: 'deployments',
};
const PODS: ResourceType = { apiVersion: 'v1', kind: 'Pod', plural: 'pods' };
const SERVICE_MONITORS: ResourceType = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  plural: 'servicemonitors',
};
// Its CRD is installed in no stand-in: always empty, never an error.
const EXTERNAL_SECRETS: ResourceType = {
  apiVersion: 'external-secrets.io/v1beta1',
  kind: 'ExternalSecret',
  plural: 'externalsecrets',
};
const TYPES = [DEPLOYMENTS, PODS, SERVICE_MONITORS, EXTERNAL_SECRETS];
const POSTGRES: ResourceType = {
  apiVersion: 'platform.causeway.dev/v1alpha1',
  kind: 'PostgreSQLInstance',
  plural: 'postgresqlinstances',
};

const ordersDb = claim({
  kind: 'PostgreSQLInstance',
  name: 'orders-db',
  namespace: 'payments',
  parameters: { size: 'standard', storageGB: 20 },
  ready: false,
});

/** A cluster running payment-service in payments and search-service in search. */
const cluster = [
  deployment({ name: 'payment-service', namespace: 'payments', replicas: 2 }),
  pod({ name: 'payment-service', namespace: 'payments', suffix: 'a1b2c' }),
  serviceMonitor({ name: 'payment-service', namespace: 'payments' }),
  deployment({ name: 'search-service', namespace: 'search' }),
  ordersDb,
];

describe('KubernetesClusters', () => {
  const servers: StandInApiServer[] = [];
  const start = async (options: StandInOptions) => {
    const server = await startStandInApiServer({
      serve: [SERVICE_MONITOR, ...CROSSPLANE_CLAIMS],
      objects: cluster,
      ...options,
    });
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(s => s.close()));
  });

  const clusters = (
    entries: Array<[string, StandInApiServer | string, string]>,
    timeoutMs?: number,
  ) => {
    const logger = mockServices.logger.mock();
    const kubernetes = new KubernetesClusters({
      clusters: entries.map(([name, server, token]) => ({
        name,
        url: typeof server === 'string' ? server : server.url,
        serviceAccountToken: token,
      })),
      logger,
      timeoutMs,
    });
    return { kubernetes, logger };
  };

  /** Everything a user or an operator could see: answers and log lines. */
  const visible = (
    answers: unknown,
    logger: ReturnType<typeof clusters>['logger'],
  ) =>
    JSON.stringify([
      answers,
      logger.warn.mock.calls,
      logger.info.mock.calls,
      logger.error.mock.calls,
    ]);

  it("lists a service's objects of every type with kind filled in, and a cluster that forbids one type as an error", async () => {
    const healthy = await start({ token: HEALTHY_TOKEN });
    const forbidding = await start({
      token: FAULTY_TOKEN,
      forbid: ['deployments.apps'],
    });
    const { kubernetes, logger } = clusters([
      ['production', healthy, HEALTHY_TOKEN],
      ['staging', forbidding, FAULTY_TOKEN],
    ]);

    const answers = await kubernetes.list({
      types: TYPES,
      labelSelector: `${ID}=payment-service`,
    });

    expect(kubernetes.names).toEqual(['production', 'staging']);
    expect(answers).toEqual([
      {
        cluster: 'production',
        value: [
          expect.objectContaining({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: expect.objectContaining({
              name: 'payment-service',
              namespace: 'payments',
            }),
            spec: expect.objectContaining({ replicas: 2 }),
          }),
          expect.objectContaining({ apiVersion: 'v1', kind: 'Pod' }),
          expect.objectContaining({
            apiVersion: 'monitoring.coreos.com/v1',
            kind: 'ServiceMonitor',
          }),
        ],
      },
      {
        cluster: 'staging',
        error: {
          reason: 'forbidden',
          message:
            'cluster staging: the service account may not list deployments.apps (HTTP 403)',
        },
      },
    ]);
    // Timestamps stay the strings the API server sent.
    const [first] = answers[0].value!;
    expect(
      (first.metadata as { creationTimestamp: unknown }).creationTimestamp,
    ).toEqual(expect.any(String));
    // One list call per type per cluster, across all namespaces.
    for (const server of [healthy, forbidding]) {
      expect(server.requests.map(r => r.path).sort()).toEqual([
        '/api/v1/pods',
        '/apis/apps/v1/deployments',
        '/apis/external-secrets.io/v1beta1/externalsecrets',
        '/apis/monitoring.coreos.com/v1/servicemonitors',
      ]);
      expect(server.requests.map(r => r.labelSelector)).toEqual(
        TYPES.map(() => `${ID}=payment-service`),
      );
    }
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain('cluster staging');
    expect(visible(answers, logger)).not.toContain(FAULTY_TOKEN);
  });

  it('lists in one namespace when asked', async () => {
    const healthy = await start({ token: HEALTHY_TOKEN });
    const { kubernetes } = clusters([['production', healthy, HEALTHY_TOKEN]]);

    const [answer] = await kubernetes.list({
      types: [DEPLOYMENTS, PODS],
      labelSelector: ID,
      namespace: 'search',
    });

    expect(
      answer.value?.map(o => (o.metadata as { name: string }).name),
    ).toEqual(['search-service']);
    expect(healthy.requests.map(r => r.path)).toEqual([
      '/apis/apps/v1/namespaces/search/deployments',
      '/api/v1/namespaces/search/pods',
    ]);
  });

  it('still answers for the healthy cluster when others refuse the token, hang or cannot be reached, and says why for each', async () => {
    const healthy = await start({ token: HEALTHY_TOKEN });
    const refusing = await start({ token: 'another-token' });
    const hanging = await start({ token: FAULTY_TOKEN, hang: true });
    const gone = await start({});
    await gone.close();
    const { kubernetes, logger } = clusters(
      [
        ['refusing', refusing, FAULTY_TOKEN],
        ['production', healthy, HEALTHY_TOKEN],
        ['hanging', hanging, FAULTY_TOKEN],
        ['gone', gone, FAULTY_TOKEN],
      ],
      300,
    );

    const answers = await kubernetes.list({
      types: [DEPLOYMENTS, PODS],
      labelSelector: `${ID}=payment-service`,
    });

    expect(answers.map(a => a.cluster)).toEqual([
      'refusing',
      'production',
      'hanging',
      'gone',
    ]);
    expect(answers[1].value).toHaveLength(2);
    expect(answers.map(a => a.error)).toEqual([
      {
        reason: 'unauthorized',
        message:
          'cluster refusing: the service account token was refused (HTTP 401)',
      },
      undefined,
      {
        reason: 'timeout',
        message: 'cluster hanging: the API server did not answer within 0.3 s',
      },
      {
        reason: 'unreachable',
        message:
          'cluster gone: the API server could not be reached (ECONNREFUSED)',
      },
    ]);
    // Each failing cluster once, though both of its calls failed.
    expect(logger.warn.mock.calls.map(c => c[0]).sort()).toEqual([
      expect.stringContaining('cluster gone'),
      expect.stringContaining('cluster hanging'),
      expect.stringContaining('cluster refusing'),
    ]);
    expect(visible(answers, logger)).not.toContain(FAULTY_TOKEN);
    expect(visible(answers, logger)).not.toContain(HEALTHY_TOKEN);
  });

  it('reports a server error as an error of that cluster', async () => {
    const failing = await start({ token: FAULTY_TOKEN, fail: ['pods'] });
    const { kubernetes } = clusters([['staging', failing, FAULTY_TOKEN]]);

    const [answer] = await kubernetes.list({
      types: [DEPLOYMENTS, PODS],
      labelSelector: ID,
    });

    expect(answer.error).toEqual({
      reason: 'error',
      message: 'cluster staging: listing pods failed (HTTP 500)',
    });
  });

  it('gets named claims, with undefined for one that does not exist or whose CRD is not installed', async () => {
    const healthy = await start({ token: HEALTHY_TOKEN });
    const withoutCrossplane = await start({
      token: HEALTHY_TOKEN,
      serve: [],
      objects: [],
    });
    const forbidding = await start({
      token: FAULTY_TOKEN,
      forbid: ['postgresqlinstances.platform.causeway.dev'],
    });
    const { kubernetes, logger } = clusters([
      ['production', healthy, HEALTHY_TOKEN],
      ['legacy', withoutCrossplane, HEALTHY_TOKEN],
      ['staging', forbidding, FAULTY_TOKEN],
    ]);

    const answers = await kubernetes.get({
      objects: [
        { ...POSTGRES, namespace: 'payments', name: 'orders-db' },
        { ...POSTGRES, namespace: 'payments', name: 'ledger-db' },
      ],
    });

    expect(answers).toEqual([
      {
        cluster: 'production',
        value: [
          expect.objectContaining({
            apiVersion: 'platform.causeway.dev/v1alpha1',
            kind: 'PostgreSQLInstance',
            metadata: expect.objectContaining({ name: 'orders-db' }),
            status: {
              conditions: [
                expect.objectContaining({ type: 'Synced', status: 'True' }),
                expect.objectContaining({
                  type: 'Ready',
                  status: 'False',
                  reason: 'Creating',
                }),
              ],
            },
          }),
          undefined,
        ],
      },
      { cluster: 'legacy', value: [undefined, undefined] },
      {
        cluster: 'staging',
        error: {
          reason: 'forbidden',
          message:
            'cluster staging: the service account may not get postgresqlinstances.platform.causeway.dev (HTTP 403)',
        },
      },
    ]);
    expect(healthy.requests.map(r => r.path)).toEqual([
      '/apis/platform.causeway.dev/v1alpha1/namespaces/payments/postgresqlinstances/orders-db',
      '/apis/platform.causeway.dev/v1alpha1/namespaces/payments/postgresqlinstances/ledger-db',
    ]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(visible(answers, logger)).not.toContain(FAULTY_TOKEN);
  });

  it('reads its clusters from the Kubernetes plugin config, plain HTTP included', async () => {
    const healthy = await start({ token: HEALTHY_TOKEN });
    const logger = mockServices.logger.mock();
    const kubernetes = KubernetesClusters.fromConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'production',
                  url: healthy.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: HEALTHY_TOKEN,
                },
              ],
            },
          ],
        },
      }),
      logger,
    );

    const [answer] = await kubernetes.list({
      types: [DEPLOYMENTS],
      labelSelector: `${ID}=search-service`,
    });

    expect(kubernetes.names).toEqual(['production']);
    expect(answer.value).toHaveLength(1);
    expect(
      KubernetesClusters.fromConfig(new ConfigReader({}), logger).names,
    ).toEqual([]);
  });
});
