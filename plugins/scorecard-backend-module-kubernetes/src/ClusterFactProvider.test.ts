import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  deployment,
  pod,
  StandInApiServer,
  StandInOptions,
  startStandInApiServer,
} from '@causeway/kubernetes-stand-in';
import {
  ClusterConfig,
  readClusterConfigs,
} from '@causeway/plugin-gitops-node';
import { CLUSTER_FACTS, ClusterFactProvider } from './ClusterFactProvider';

const ID = 'backstage.io/kubernetes-id';

/** Something else in the cluster, without the kubernetes-id label. */
const unlabelled = deployment({
  name: 'coredns',
  namespace: 'kube-system',
  replicas: 2,
  labels: { 'k8s-app': 'kube-dns' },
});

function service(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { type: 'service', owner: 'payments-team', lifecycle: 'production' },
  };
}

const entities = [
  service('payment-service', { [ID]: 'payment-service' }),
  service('search-service', {
    [ID]: 'search-service',
    'backstage.io/kubernetes-namespace': 'search',
  }),
  service('legacy-service', { [ID]: 'legacy-service' }),
  service('no-annotation', {}),
];

const notDeployed = {
  'cluster.deployed': false,
  'cluster.desiredReplicas': null,
  'cluster.availableReplicas': null,
  'cluster.unavailableReplicas': null,
  'cluster.podRestarts': null,
  'cluster.podsNotReady': null,
};

describe('ClusterFactProvider', () => {
  const servers: StandInApiServer[] = [];
  const start = async (options: StandInOptions) => {
    const server = await startStandInApiServer(options);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(s => s.close()));
  });

  const cluster = (
    name: string,
    server: StandInApiServer,
    token: string,
  ): ClusterConfig => ({ name, url: server.url, serviceAccountToken: token });

  it("reports a healthy stand-in cluster's workloads, and reachable false when another stand-in answers 403", async () => {
    const healthy = await start({
      token: 'healthy-token',
      objects: [
        deployment({
          name: 'payment-service',
          namespace: 'payments',
          replicas: 3,
          availableReplicas: 2,
        }),
        deployment({
          name: 'search-service',
          namespace: 'search',
          replicas: 2,
          availableReplicas: 2,
        }),
        // Same id in another namespace: not counted for search-service,
        // whose namespace annotation says search.
        deployment({
          name: 'search-service',
          namespace: 'search-canary',
          replicas: 1,
          availableReplicas: 0,
        }),
        unlabelled,
        pod({
          name: 'payment-service',
          namespace: 'payments',
          suffix: 'a1b2c',
          ready: true,
          restartCount: 0,
        }),
        pod({
          name: 'payment-service',
          namespace: 'payments',
          suffix: 'd3e4f',
          ready: true,
          restartCount: 1,
        }),
        pod({
          name: 'payment-service',
          namespace: 'payments',
          suffix: 'g5h6i',
          ready: false,
          restartCount: 7,
        }),
        pod({
          name: 'search-service',
          namespace: 'search',
          suffix: 'j7k8l',
          ready: true,
          restartCount: 0,
        }),
        pod({
          name: 'search-service',
          namespace: 'search',
          suffix: 'm9n0p',
          ready: true,
          restartCount: 2,
        }),
        pod({
          name: 'search-service',
          namespace: 'search-canary',
          suffix: 'q1r2s',
          ready: false,
          restartCount: 9,
        }),
      ],
    });
    const forbidden = await start({ token: 'forbidden-token', forbid: ['*'] });
    const logger = mockServices.logger.mock();
    const provider = new ClusterFactProvider({
      clusters: [
        cluster('production', healthy, 'healthy-token'),
        cluster('staging', forbidden, 'forbidden-token'),
      ],
      logger,
    });

    const facts = await provider.collect(entities);

    expect(facts.get('component:default/payment-service')).toEqual({
      'cluster.configured': true,
      'cluster.reachable': false,
      'cluster.deployed': true,
      'cluster.desiredReplicas': 3,
      'cluster.availableReplicas': 2,
      'cluster.unavailableReplicas': 1,
      'cluster.podRestarts': 8,
      'cluster.podsNotReady': 1,
    });
    expect(facts.get('component:default/search-service')).toEqual({
      'cluster.configured': true,
      'cluster.reachable': false,
      'cluster.deployed': true,
      'cluster.desiredReplicas': 2,
      'cluster.availableReplicas': 2,
      'cluster.unavailableReplicas': 0,
      'cluster.podRestarts': 2,
      'cluster.podsNotReady': 0,
    });
    // The stand-ins saw the provider's token and the exists selector.
    expect(healthy.requests.map(r => r.labelSelector)).toEqual([ID, ID]);
    expect(healthy.requests.every(r => r.authorization)).toBe(true);
    // The failing cluster is logged once, by name and status, never its token.
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const line = logger.warn.mock.calls[0][0] as string;
    expect(line).toContain('staging');
    expect(line).toContain('403');
    expect(line).not.toContain('forbidden-token');
  });

  it('reports an entity the stand-in cluster does not run as not deployed, with null numbers', async () => {
    const healthy = await start({
      token: 't',
      objects: [
        deployment({
          name: 'payment-service',
          namespace: 'payments',
          replicas: 2,
          availableReplicas: 2,
        }),
      ],
    });
    const provider = new ClusterFactProvider({
      clusters: [cluster('production', healthy, 't')],
      logger: mockServices.logger.mock(),
    });

    const facts = await provider.collect(entities);

    for (const name of ['legacy-service', 'no-annotation']) {
      expect(facts.get(`component:default/${name}`)).toEqual({
        'cluster.configured': true,
        'cluster.reachable': true,
        ...notDeployed,
      });
    }
    expect(facts.get('component:default/payment-service')).toMatchObject({
      'cluster.reachable': true,
      'cluster.deployed': true,
      'cluster.unavailableReplicas': 0,
      'cluster.podRestarts': 0,
    });
  });

  it('makes one list call per resource per stand-in cluster per collect, not one per entity', async () => {
    const a = await start({ token: 'a' });
    const b = await start({ token: 'b', forbid: ['*'] });
    const provider = new ClusterFactProvider({
      clusters: [cluster('a', a, 'a'), cluster('b', b, 'b')],
      logger: mockServices.logger.mock(),
    });

    await provider.collect(entities);
    await provider.collect(entities.slice(0, 1));

    for (const server of [a, b]) {
      expect(server.requests.map(r => r.path).sort()).toEqual([
        '/api/v1/pods',
        '/api/v1/pods',
        '/apis/apps/v1/deployments',
        '/apis/apps/v1/deployments',
      ]);
    }
  });

  it('knows nothing when no stand-in cluster answers: a wrong token (401) and a hang', async () => {
    const wrongToken = await start({ token: 'right' });
    const hanging = await start({ token: 'h', hang: true });
    const logger = mockServices.logger.mock();
    const provider = new ClusterFactProvider({
      clusters: [
        cluster('wrong-token', wrongToken, 'wrong'),
        cluster('hanging', hanging, 'h'),
      ],
      logger,
      timeoutMs: 300,
    });

    const facts = await provider.collect(entities.slice(0, 1));

    expect(facts.get('component:default/payment-service')).toEqual({
      'cluster.configured': true,
      'cluster.reachable': false,
      ...notDeployed,
      'cluster.deployed': null,
    });
    const lines = logger.warn.mock.calls.map(c => c[0] as string).sort();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/hanging.*did not answer within 0.3 s/);
    expect(lines[1]).toMatch(/wrong-token.*HTTP 401/);
  });

  it('reports only cluster.configured false when no cluster is configured', async () => {
    const logger = mockServices.logger.mock();
    const clusters = readClusterConfigs(new ConfigReader({}), logger);
    const provider = new ClusterFactProvider({ clusters, logger });

    const facts = await provider.collect(entities);

    expect(clusters).toEqual([]);
    expect(provider.facts).toBe(CLUSTER_FACTS);
    expect([...facts.values()]).toEqual(
      entities.map(() => ({ 'cluster.configured': false })),
    );
  });
});
