import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  Observable,
  RequestContext,
  ResponseContext,
  VersionApi,
} from '@kubernetes/client-node';
import { claim, serviceMonitor } from './customObjects';
import { configMap, deployment, pod, service } from './objects';
import { CROSSPLANE_CLAIMS, SERVICE_MONITOR } from './resourceTypes';
import {
  StandInApiServer,
  StandInOptions,
  startStandInApiServer,
} from './startStandInApiServer';

const TOKEN = 'stand-in-token';
const POSTGRES = CROSSPLANE_CLAIMS[0];

function clients(server: StandInApiServer, token = TOKEN) {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromClusterAndUser(
    // client-node accepts plain HTTP only with skipTLSVerify.
    { name: 'stand-in', server: server.url, skipTLSVerify: true },
    { name: 'tester', token },
  );
  return {
    apps: kubeConfig.makeApiClient(AppsV1Api),
    core: kubeConfig.makeApiClient(CoreV1Api),
    custom: kubeConfig.makeApiClient(CustomObjectsApi),
    version: kubeConfig.makeApiClient(VersionApi),
    objects: KubernetesObjectApi.makeApiClient(kubeConfig),
  };
}

/** What a client-node call threw: its HTTP code and Status body. */
async function failureOf(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(ApiException);
  const { code, body } = error as ApiException<string | undefined>;
  // client-node drops the body of a 401.
  return { code, status: body === undefined ? undefined : JSON.parse(body) };
}

const payments = [
  deployment({ name: 'payment-service', namespace: 'payments', replicas: 3 }),
  pod({ name: 'payment-service', namespace: 'payments', suffix: 'a1b2c' }),
  service({ name: 'payment-service', namespace: 'payments' }),
];
const search = [
  deployment({ name: 'search-service', namespace: 'search', replicas: 2 }),
  service({ name: 'search-service', namespace: 'search' }),
];
const coredns = deployment({
  name: 'coredns',
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
});
const ordersDb = claim({
  kind: 'PostgreSQLInstance',
  name: 'orders-db',
  namespace: 'payments',
  parameters: { size: 'standard', storageGB: 20, version: '16' },
  labels: {
    'app.kubernetes.io/managed-by': 'causeway',
    'app.kubernetes.io/part-of': 'payment-service',
  },
});

describe('startStandInApiServer', () => {
  const servers: StandInApiServer[] = [];
  const start = async (options: StandInOptions = {}) => {
    const server = await startStandInApiServer({ token: TOKEN, ...options });
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(s => s.close()));
  });

  it('lists built-in objects by label selector across namespaces and in one, as kube-apiserver does', async () => {
    const server = await start({
      objects: [...payments, ...search, coredns],
    });
    const { apps, core } = clients(server);

    const all = await apps.listDeploymentForAllNamespaces({
      labelSelector: 'backstage.io/kubernetes-id',
    });
    expect(all.kind).toBe('DeploymentList');
    expect(all.apiVersion).toBe('apps/v1');
    expect(all.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(all.items.map(d => d.metadata?.name)).toEqual([
      'payment-service',
      'search-service',
    ]);
    // Typed list items carry no apiVersion or kind, as from a real server.
    expect(all.items[0].kind).toBeUndefined();
    expect(all.items[0].spec?.replicas).toBe(3);
    expect(all.items[0].metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);

    const inSearch = await core.listNamespacedService({
      namespace: 'search',
      labelSelector: 'backstage.io/kubernetes-id=search-service',
    });
    expect(inSearch.items.map(s => s.metadata?.name)).toEqual([
      'search-service',
    ]);

    const selected = async (labelSelector: string) =>
      (await apps.listDeploymentForAllNamespaces({ labelSelector })).items.map(
        d => d.metadata?.name,
      );
    expect(
      await selected('backstage.io/kubernetes-id==search-service'),
    ).toEqual(['search-service']);
    expect(
      await selected('backstage.io/kubernetes-id!=search-service'),
    ).toEqual(['coredns', 'payment-service']);
    expect(await selected('!backstage.io/kubernetes-id')).toEqual(['coredns']);
    expect(
      await selected(
        'backstage.io/kubernetes-id,app.kubernetes.io/name=payment-service',
      ),
    ).toEqual(['payment-service']);
    expect(await selected('')).toHaveLength(3);
  });

  it('answers 400 BadRequest to a selector that does not parse', async () => {
    const server = await start();

    const { code, status } = await failureOf(
      clients(server).core.listPodForAllNamespaces({ labelSelector: 'a=(b' }),
    );

    expect(code).toBe(400);
    expect(status).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });

  it('serves custom resources to client-node: list in a namespace and across the cluster, and get', async () => {
    const server = await start({
      serve: [...CROSSPLANE_CLAIMS, SERVICE_MONITOR],
      objects: [
        ordersDb,
        serviceMonitor({ name: 'payment-service', namespace: 'payments' }),
      ],
    });
    const { custom } = clients(server);
    const postgres = { group: POSTGRES.group, version: POSTGRES.version };

    const listed = await custom.listNamespacedCustomObject({
      ...postgres,
      namespace: 'payments',
      plural: POSTGRES.plural,
      labelSelector: 'app.kubernetes.io/part-of=payment-service',
    });
    const cluster = await custom.listClusterCustomObject({
      group: SERVICE_MONITOR.group,
      version: SERVICE_MONITOR.version,
      plural: SERVICE_MONITOR.plural,
    });
    const got = await custom.getNamespacedCustomObject({
      ...postgres,
      namespace: 'payments',
      plural: POSTGRES.plural,
      name: 'orders-db',
    });

    expect(listed.kind).toBe('PostgreSQLInstanceList');
    // Custom resources are listed with apiVersion and kind.
    expect(listed.items).toEqual([
      expect.objectContaining({
        apiVersion: 'platform.causeway.dev/v1alpha1',
        kind: 'PostgreSQLInstance',
      }),
    ]);
    expect(cluster.items.map((i: any) => i.kind)).toEqual(['ServiceMonitor']);
    expect(got).toMatchObject({
      apiVersion: 'platform.causeway.dev/v1alpha1',
      kind: 'PostgreSQLInstance',
      metadata: { name: 'orders-db', namespace: 'payments', generation: 1 },
      spec: {
        parameters: { size: 'standard', storageGB: 20 },
        writeConnectionSecretToRef: { name: 'orders-db-connection' },
      },
      status: {
        conditions: [
          { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
          { type: 'Ready', status: 'True', reason: 'Available' },
        ],
      },
    });
  });

  it('answers 404 NotFound for an absent object and for a type whose CRD is not installed', async () => {
    const server = await start({ serve: CROSSPLANE_CLAIMS });
    const { custom } = clients(server);

    const absent = await failureOf(
      custom.getNamespacedCustomObject({
        group: POSTGRES.group,
        version: POSTGRES.version,
        namespace: 'payments',
        plural: POSTGRES.plural,
        name: 'orders-db',
      }),
    );
    const notInstalled = await failureOf(
      custom.listClusterCustomObject({
        group: SERVICE_MONITOR.group,
        version: SERVICE_MONITOR.version,
        plural: SERVICE_MONITOR.plural,
      }),
    );

    expect(absent).toEqual({
      code: 404,
      status: expect.objectContaining({
        kind: 'Status',
        reason: 'NotFound',
        message:
          'postgresqlinstances.platform.causeway.dev "orders-db" not found',
        details: {
          name: 'orders-db',
          group: 'platform.causeway.dev',
          kind: 'postgresqlinstances',
        },
      }),
    });
    expect(notInstalled).toEqual({
      code: 404,
      status: expect.objectContaining({ kind: 'Status', reason: 'NotFound' }),
    });
  });

  it('refuses another token with 401 Unauthorized', async () => {
    const server = await start({ objects: payments });

    const { code } = await failureOf(
      clients(server, 'stolen').apps.listDeploymentForAllNamespaces(),
    );
    const raw = await fetch(`${server.url}/api/v1/pods`);

    expect(code).toBe(401);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('forbids the chosen resources with 403 as RBAC does, and serves the others', async () => {
    const server = await start({
      objects: payments,
      forbid: ['deployments.apps'],
      user: 'system:serviceaccount:backstage:causeway',
    });
    const { apps, core } = clients(server);

    const { code, status } = await failureOf(
      apps.listDeploymentForAllNamespaces({
        labelSelector: 'backstage.io/kubernetes-id',
      }),
    );
    const pods = await core.listNamespacedPod({ namespace: 'payments' });

    expect(code).toBe(403);
    expect(status).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      message:
        'deployments.apps is forbidden: User "system:serviceaccount:backstage:causeway" cannot list resource "deployments" in API group "apps" at the cluster scope',
      details: { group: 'apps', kind: 'deployments' },
    });
    expect(pods.items).toHaveLength(1);
  });

  it('never answers when told to hang, so that the client times out', async () => {
    const server = await start({ objects: payments, hang: ['pods'] });
    const { apps, core } = clients(server);
    const timeout = {
      middleware: [
        {
          pre: (context: RequestContext) => {
            context.setSignal(AbortSignal.timeout(200));
            return new Observable(Promise.resolve(context));
          },
          post: (response: ResponseContext) =>
            new Observable(Promise.resolve(response)),
        },
      ],
      middlewareMergeStrategy: 'append' as const,
    };

    await expect(
      core.listPodForAllNamespaces({}, timeout),
    ).rejects.toMatchObject({ name: 'AbortError' });
    // Other resources still answer.
    const deployments = await apps.listDeploymentForAllNamespaces({}, timeout);
    expect(deployments.items).toHaveLength(1);
  });

  it('lets tests change the cluster between calls, and records every request', async () => {
    const server = await start({ objects: payments });
    const { apps, core } = clients(server);
    const name = { name: 'payment-service', namespace: 'payments' };

    const before = await apps.readNamespacedDeployment(name);
    server.replace(deployment({ ...name, replicas: 5 }));
    server.add(configMap({ ...name, data: { LOG_LEVEL: 'info' } }));
    const after = await apps.readNamespacedDeployment(name);
    const configMaps = await core.listNamespacedConfigMap({
      namespace: 'payments',
    });
    server.remove({ apiVersion: 'apps/v1', kind: 'Deployment', ...name });
    const gone = await failureOf(apps.readNamespacedDeployment(name));

    expect(after.spec?.replicas).toBe(5);
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    expect(after.metadata?.generation).toBe(
      (before.metadata?.generation ?? 0) + 1,
    );
    expect(Number(after.metadata?.resourceVersion)).toBeGreaterThan(
      Number(before.metadata?.resourceVersion),
    );
    expect(configMaps.items[0].data).toEqual({ LOG_LEVEL: 'info' });
    expect(gone.code).toBe(404);
    expect(() => server.add(payments[1])).toThrow(/already exists/);

    expect(server.requests).toEqual([
      {
        method: 'GET',
        path: '/apis/apps/v1/namespaces/payments/deployments/payment-service',
        authorization: true,
      },
      {
        method: 'GET',
        path: '/apis/apps/v1/namespaces/payments/deployments/payment-service',
        authorization: true,
      },
      {
        method: 'GET',
        path: '/api/v1/namespaces/payments/configmaps',
        authorization: true,
      },
      {
        method: 'GET',
        path: '/apis/apps/v1/namespaces/payments/deployments/payment-service',
        authorization: true,
      },
    ]);
  });

  it('answers discovery, so that clients mapping kinds to paths work', async () => {
    const server = await start({ objects: payments, serve: CROSSPLANE_CLAIMS });
    const { version, objects } = clients(server);

    const info = await version.getCode();
    const listed = await objects.list('apps/v1', 'Deployment', 'payments');
    const groups = await (
      await fetch(`${server.url}/apis`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).json();

    expect(info.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    expect(listed.items.map(d => d.metadata?.name)).toEqual([
      'payment-service',
    ]);
    expect(server.requests.map(r => r.path)).toContain('/apis/apps/v1');
    expect(groups.groups.map((g: { name: string }) => g.name)).toEqual(
      expect.arrayContaining(['apps', 'autoscaling', 'platform.causeway.dev']),
    );
  });
});
