import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  CLUSTER_FACTS,
  ClusterConfig,
  ClusterFactProvider,
  readClusterConfigs,
} from './ClusterFactProvider';

const ID = 'backstage.io/kubernetes-id';

/** What the stand-in API server saw: path and labelSelector of each call. */
type Seen = { path: string; labelSelector: string | null; auth?: string };

type StandIn = {
  url: string;
  requests: Seen[];
  close(): Promise<void>;
};

const status = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(code === 403
    ? { details: { group: 'apps', kind: 'deployments' } }
    : undefined),
  code,
});

/**
 * A STAND-IN for a Kubernetes API server (not a real cluster): a node http
 * server on 127.0.0.1 that answers the two list calls the provider makes,
 * GET /apis/apps/v1/deployments and GET /api/v1/pods, with list objects
 * shaped like kube-apiserver's, filtered by an "exists" labelSelector. It
 * requires `Authorization: Bearer TOKEN` (401 otherwise); `forbid` makes it
 * answer 403 as RBAC does for a service account without list rights, and
 * `hang` makes it never answer.
 */
async function startStandInApiServer(options: {
  token: string;
  deployments?: object[];
  pods?: object[];
  forbid?: boolean;
  hang?: boolean;
}): Promise<StandIn> {
  const requests: Seen[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://127.0.0.1');
    const labelSelector = url.searchParams.get('labelSelector');
    requests.push({
      path: url.pathname,
      labelSelector,
      auth: req.headers.authorization,
    });
    const send = (code: number, body: object) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (options.hang) return;
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      send(401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const lists: Record<string, [string, string, object[]]> = {
      '/apis/apps/v1/deployments': [
        'DeploymentList',
        'apps/v1',
        options.deployments ?? [],
      ],
      '/api/v1/pods': ['PodList', 'v1', options.pods ?? []],
    };
    const list = req.method === 'GET' ? lists[url.pathname] : undefined;
    if (!list) {
      send(
        404,
        status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      );
      return;
    }
    if (options.forbid) {
      const resource = url.pathname.endsWith('pods')
        ? 'pods" in API group ""'
        : 'deployments" in API group "apps"';
      send(
        403,
        status(
          403,
          'Forbidden',
          `${
            url.pathname.endsWith('pods') ? 'pods' : 'deployments.apps'
          } is forbidden: User "system:serviceaccount:backstage:scorecard" cannot list resource "${resource} at the cluster scope`,
        ),
      );
      return;
    }
    const [kind, apiVersion, items] = list;
    const key = labelSelector ?? '';
    if (labelSelector !== null && !/^[\w./-]+$/.test(key)) {
      send(
        400,
        status(400, 'BadRequest', 'the stand-in only knows "exists" selectors'),
      );
      return;
    }
    send(200, {
      kind,
      apiVersion,
      metadata: { resourceVersion: '48213' },
      items: items.filter(
        (o: any) => labelSelector === null || key in (o.metadata.labels ?? {}),
      ),
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const labels = (name: string) => ({
  'app.kubernetes.io/name': name,
  [ID]: name,
});

/** A Deployment as kube-apiserver lists it (items carry no kind). */
function deployment(
  name: string,
  namespace: string,
  replicas: number,
  available: number,
) {
  const unavailable = replicas - available;
  return {
    metadata: {
      name,
      namespace,
      uid: `6f0c3f6e-${name.length}a1-4c1e-9d7e-2b9f0c1d2e3f`,
      resourceVersion: '48190',
      generation: 3,
      creationTimestamp: '2026-11-20T09:12:44Z',
      labels: labels(name),
      annotations: { 'deployment.kubernetes.io/revision': '3' },
    },
    spec: {
      replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          containers: [
            {
              name,
              image: `registry.example.com/${name}@sha256:${'a'.repeat(64)}`,
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 3,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: available,
      availableReplicas: available,
      // Kubernetes omits zero counts.
      ...(unavailable > 0 ? { unavailableReplicas: unavailable } : {}),
      conditions: [
        {
          type: 'Available',
          status: unavailable > 0 ? 'False' : 'True',
          lastUpdateTime: '2026-11-24T08:01:02Z',
          lastTransitionTime: '2026-11-24T08:01:02Z',
          reason:
            unavailable > 0
              ? 'MinimumReplicasUnavailable'
              : 'MinimumReplicasAvailable',
          message:
            unavailable > 0
              ? 'Deployment does not have minimum availability.'
              : 'Deployment has minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: '2026-11-24T08:00:40Z',
          lastTransitionTime: '2026-11-20T09:12:44Z',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${name}-7d9f8c6b5" has successfully progressed.`,
        },
      ],
    },
  };
}

/** A Pod as kube-apiserver lists it. */
function pod(
  name: string,
  namespace: string,
  suffix: string,
  ready: boolean,
  restartCount: number,
) {
  const condition = (type: string, value: boolean) => ({
    type,
    status: value ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: '2026-11-24T08:00:51Z',
  });
  return {
    metadata: {
      name: `${name}-7d9f8c6b5-${suffix}`,
      generateName: `${name}-7d9f8c6b5-`,
      namespace,
      uid: `0b6e0c52-${suffix}-4f0e-8a51-5d2c1e3f4a5b`,
      resourceVersion: '48177',
      creationTimestamp: '2026-11-24T08:00:40Z',
      labels: { ...labels(name), 'pod-template-hash': '7d9f8c6b5' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${name}-7d9f8c6b5`,
          uid: '5e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      containers: [
        {
          name,
          image: `registry.example.com/${name}@sha256:${'a'.repeat(64)}`,
          resources: {},
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      nodeName: 'worker-1',
      serviceAccountName: 'default',
    },
    status: {
      phase: 'Running',
      conditions: [
        condition('PodReadyToStartContainers', true),
        condition('Initialized', true),
        condition('Ready', ready),
        condition('ContainersReady', ready),
        condition('PodScheduled', true),
      ],
      hostIP: '10.0.0.11',
      podIP: '10.244.1.17',
      podIPs: [{ ip: '10.244.1.17' }],
      startTime: '2026-11-24T08:00:40Z',
      containerStatuses: [
        {
          name,
          state: ready
            ? { running: { startedAt: '2026-11-24T08:00:50Z' } }
            : {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: 'back-off 5m0s restarting failed container',
                },
              },
          lastState: {},
          ready,
          restartCount,
          image: `registry.example.com/${name}@sha256:${'a'.repeat(64)}`,
          imageID: `registry.example.com/${name}@sha256:${'a'.repeat(64)}`,
          containerID: `containerd://${'c'.repeat(64)}`,
          started: ready,
        },
      ],
      qosClass: 'BestEffort',
    },
  };
}

/** Something else in the cluster, without the kubernetes-id label. */
const unlabelled = {
  ...deployment('coredns', 'kube-system', 2, 2),
  metadata: {
    ...deployment('coredns', 'kube-system', 2, 2).metadata,
    labels: { 'k8s-app': 'kube-dns' },
  },
};

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
  const servers: StandIn[] = [];
  const start = async (
    options: Parameters<typeof startStandInApiServer>[0],
  ) => {
    const server = await startStandInApiServer(options);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(s => s.close()));
  });

  const cluster = (
    name: string,
    server: StandIn,
    token: string,
  ): ClusterConfig => ({
    name,
    url: server.url,
    serviceAccountToken: token,
    // The stand-in speaks plain HTTP, which the client allows only so.
    skipTLSVerify: true,
  });

  it("reports a healthy stand-in cluster's workloads, and reachable false when another stand-in answers 403", async () => {
    const healthy = await start({
      token: 'healthy-token',
      deployments: [
        deployment('payment-service', 'payments', 3, 2),
        deployment('search-service', 'search', 2, 2),
        // Same id in another namespace: not counted for search-service,
        // whose namespace annotation says search.
        deployment('search-service', 'search-canary', 1, 0),
        unlabelled,
      ],
      pods: [
        pod('payment-service', 'payments', 'a1b2c', true, 0),
        pod('payment-service', 'payments', 'd3e4f', true, 1),
        pod('payment-service', 'payments', 'g5h6i', false, 7),
        pod('search-service', 'search', 'j7k8l', true, 0),
        pod('search-service', 'search', 'm9n0p', true, 2),
        pod('search-service', 'search-canary', 'q1r2s', false, 9),
      ],
    });
    const forbidden = await start({ token: 'forbidden-token', forbid: true });
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
    expect(healthy.requests.every(r => r.auth === 'Bearer healthy-token')).toBe(
      true,
    );
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
      deployments: [deployment('payment-service', 'payments', 2, 2)],
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
    const a = await start({ token: 'a', deployments: [], pods: [] });
    const b = await start({ token: 'b', forbid: true });
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
    expect(lines[0]).toMatch(/hanging.*timed out/);
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

describe('readClusterConfigs', () => {
  it('reads config clusters with serviceAccount auth and skips the rest with a log line each', () => {
    const logger = mockServices.logger.mock();
    const clusters = readClusterConfigs(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'gke', projectId: 'p' },
            {
              type: 'config',
              clusters: [
                {
                  name: 'production',
                  url: 'https://k8s.example.com',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'secret-token',
                  caData: 'Q0E=',
                },
                {
                  name: 'oidc',
                  url: 'https://oidc.example.com',
                  authProvider: 'oidc',
                },
              ],
            },
          ],
        },
      }),
      logger,
    );

    expect(clusters).toEqual([
      {
        name: 'production',
        url: 'https://k8s.example.com',
        serviceAccountToken: 'secret-token',
        caData: 'Q0E=',
        skipTLSVerify: undefined,
      },
    ]);
    expect(logger.info).toHaveBeenCalledTimes(2);
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain(
      'secret-token',
    );
  });
});
