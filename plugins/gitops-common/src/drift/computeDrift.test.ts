import type { ObjectDrift } from '../api';
import {
  builtDatabaseClaim,
  builtJob,
  builtService,
  platformApis,
} from '../parse/__testUtils__/builtManifests';
import {
  parseManifestFile,
  parseManifestFiles,
  ParsedObject,
} from '../parse/parseManifests';
import type { ManifestFile } from '../service/buildServiceManifests';
import { manifestFileContents } from '../yaml';
import { asApiServerReturns } from './__testUtils__/asApiServerReturns';
import { computeDrift } from './computeDrift';

type Live = Record<string, any>;

/** The objects as read from the GitOps repository. */
const fromGit = (files: ManifestFile[]) =>
  parseManifestFiles(manifestFileContents(files)).objects;

/** What the cluster holds once Argo CD applied everything (kustomize's own file is not applied). */
const synced = (git: ParsedObject[]): Live[] =>
  git
    .filter(p => p.object.kind !== 'Kustomization')
    .map(p => asApiServerReturns(p.object));

const drift = (git: ParsedObject[], live: Live[]) =>
  computeDrift({ git, live, platformApis });

const liveObject = (live: Live[], kind: string) =>
  live.find(o => o.kind === kind)!;

const container = (deployment: Live) =>
  deployment.spec.template.spec.containers[0];

const entry = (objects: ObjectDrift[], kind: string, name?: string) =>
  objects.find(o => o.kind === kind && (!name || o.name === name));

const DEPLOYMENT = 'apps/production/payments/payment-service/deployment.yaml';
const CONTAINER = 'containers[payment-service]';

describe('computeDrift', () => {
  it('finds a freshly synced service and its database in sync, whatever the API server added', () => {
    const git = fromGit([...builtService(), ...builtDatabaseClaim()]);
    const live = synced(git);
    // The server's spelling of the tier's 500m.
    expect(
      container(liveObject(live, 'Deployment')).resources.requests,
    ).toEqual({ cpu: '0.5', memory: '512Mi' });

    const { objects, summary } = drift(git, live);

    expect(objects.filter(o => o.status !== 'in-sync')).toEqual([]);
    expect(summary).toEqual({
      'in-sync': live.length,
      'missing-in-cluster': 0,
      'not-in-git': 0,
      different: 0,
    });
    expect(objects.map(o => o.kind).sort()).toEqual([
      'Application',
      'Application',
      'Deployment',
      'HorizontalPodAutoscaler',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'PostgreSQLInstance',
      'Service',
      'ServiceMonitor',
    ]);
    expect(entry(objects, 'Deployment')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'payment-service',
      namespace: 'payments',
      status: 'in-sync',
      path: DEPLOYMENT,
      known: true,
      differences: [],
    });
  });

  it('reports a Deployment scaled by hand when no HPA scales it', () => {
    const git = fromGit(builtService({ replicas: { min: 2, max: 4 } })).filter(
      p => p.object.kind !== 'HorizontalPodAutoscaler',
    );
    const live = synced(git);
    liveObject(live, 'Deployment').spec.replicas = 5;

    const { objects, summary } = drift(git, live);

    expect(entry(objects, 'Deployment')).toMatchObject({
      status: 'different',
      path: DEPLOYMENT,
      differences: [{ field: 'spec.replicas', git: 2, cluster: 5 }],
    });
    expect(summary.different).toBe(1);
  });

  it("leaves replicas to the HPA that scales the workload, but compares the HPA's bounds", () => {
    const git = fromGit(builtService());
    const live = synced(git);
    liveObject(live, 'Deployment').spec.replicas = 7;
    liveObject(live, 'HorizontalPodAutoscaler').spec.maxReplicas = 20;

    const { objects } = drift(git, live);

    expect(entry(objects, 'Deployment')?.status).toBe('in-sync');
    expect(entry(objects, 'HorizontalPodAutoscaler')).toMatchObject({
      status: 'different',
      differences: [{ field: 'spec.maxReplicas', git: 10, cluster: 20 }],
    });
  });

  it('reports replicas the HPA would never set: scaled by hand outside its bounds', () => {
    const git = fromGit(builtService());
    const live = synced(git);
    liveObject(live, 'Deployment').spec.replicas = 12;

    expect(entry(drift(git, live).objects, 'Deployment')).toMatchObject({
      status: 'different',
      differences: [
        {
          field: 'spec.replicas',
          git: '3–10 (HorizontalPodAutoscaler)',
          cluster: 12,
        },
      ],
    });
  });

  it('reports a changed image and memory limit with the values as written', () => {
    const git = fromGit(builtService());
    const live = synced(git);
    const app = container(liveObject(live, 'Deployment'));
    const image = app.image;
    app.image = 'registry.example.com/payments/payment-service:hotfix';
    app.resources.limits.memory = '2Gi';

    expect(entry(drift(git, live).objects, 'Deployment')).toMatchObject({
      status: 'different',
      differences: [
        {
          field: `${CONTAINER}.image`,
          git: image,
          cluster: 'registry.example.com/payments/payment-service:hotfix',
        },
        {
          field: `${CONTAINER}.resources.limits.memory`,
          git: '1Gi',
          cluster: '2Gi',
        },
      ],
    });
  });

  it('takes two spellings of one quantity as the same amount', () => {
    const git = fromGit(
      builtService({
        resources: {
          requests: { cpu: '500m', memory: '1024Mi' },
          limits: { cpu: '1', memory: '1Gi' },
        },
      }),
    );
    const live = synced(git);
    const { resources } = container(liveObject(live, 'Deployment'));
    resources.requests.memory = '1Gi';
    resources.limits = { cpu: '1000m', memory: '1024Mi' };

    expect(resources.requests.cpu).toBe('0.5');
    expect(entry(drift(git, live).objects, 'Deployment')?.status).toBe(
      'in-sync',
    );
  });

  it("reports a removed readiness probe and a changed liveness probe, not the server's defaults", () => {
    const git = fromGit(builtService());
    const live = synced(git);
    const app = container(liveObject(live, 'Deployment'));
    delete app.readinessProbe;
    app.livenessProbe.timeoutSeconds = 5;

    const deployment = entry(drift(git, live).objects, 'Deployment');

    expect(deployment?.differences).toEqual([
      {
        field: `${CONTAINER}.readinessProbe`,
        git: {
          httpGet: { path: '/health/ready', port: 'http' },
          periodSeconds: 5,
          failureThreshold: 3,
        },
        cluster: undefined,
      },
      {
        field: `${CONTAINER}.livenessProbe`,
        git: expect.objectContaining({ periodSeconds: 10 }),
        cluster: expect.objectContaining({
          timeoutSeconds: 5,
          httpGet: { path: '/health/live', port: 'http', scheme: 'HTTP' },
        }),
      },
    ]);
  });

  it('reports a container only the cluster runs, such as an injected sidecar', () => {
    const git = fromGit(builtService());
    const live = synced(git);
    liveObject(live, 'Deployment').spec.template.spec.containers.push({
      name: 'istio-proxy',
      image: 'docker.io/istio/proxyv2:1.22.0',
    });

    expect(entry(drift(git, live).objects, 'Deployment')?.differences).toEqual([
      {
        field: 'containers[istio-proxy]',
        git: undefined,
        cluster: {
          name: 'istio-proxy',
          image: 'docker.io/istio/proxyv2:1.22.0',
        },
      },
    ]);
  });

  it("reports a CronJob's changed schedule", () => {
    const git = fromGit(builtJob());
    const live = synced(git);
    liveObject(live, 'CronJob').spec.schedule = '0 3 * * *';

    expect(entry(drift(git, live).objects, 'CronJob')).toMatchObject({
      status: 'different',
      differences: [
        { field: 'spec.schedule', git: '30 2 * * *', cluster: '0 3 * * *' },
      ],
    });
  });

  it('reports a PDB git declares and the cluster does not have', () => {
    const git = fromGit(builtService());
    const live = synced(git).filter(o => o.kind !== 'PodDisruptionBudget');

    const { objects, summary } = drift(git, live);

    expect(entry(objects, 'PodDisruptionBudget')).toEqual({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      name: 'payment-service',
      namespace: 'payments',
      status: 'missing-in-cluster',
      path: 'apps/production/payments/payment-service/pdb.yaml',
      known: true,
      differences: [],
    });
    expect(summary['missing-in-cluster']).toBe(1);
  });

  it("reports a ConfigMap with the service's label that git does not declare", () => {
    const git = fromGit(builtService());
    const live = synced(git).concat(
      asApiServerReturns({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'payment-service-overrides',
          namespace: 'payments',
          labels: { 'backstage.io/kubernetes-id': 'payment-service' },
        },
        data: { LOG_LEVEL: 'debug' },
      }),
    );

    const { objects, summary } = drift(git, live);

    expect(entry(objects, 'ConfigMap')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'payment-service-overrides',
      namespace: 'payments',
      status: 'not-in-git',
      known: true,
      differences: [],
    });
    expect(summary['not-in-git']).toBe(1);
  });

  it('does not report what the cluster makes for other objects: Pods, ReplicaSets, Endpoints, owned Secrets', () => {
    const git = fromGit(builtService());
    const ownedBy = (kind: string) => ({
      ownerReferences: [{ apiVersion: 'apps/v1', kind, name: 'x', uid: 'u' }],
    });
    const live = synced(git).concat(
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: 'payment-service-7d9f8',
          namespace: 'payments',
          ...ownedBy('Deployment'),
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'payment-service-7d9f8-abcde',
          namespace: 'payments',
          ...ownedBy('ReplicaSet'),
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'payment-service', namespace: 'payments' },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'payment-service-stripe',
          namespace: 'payments',
          ...ownedBy('ExternalSecret'),
        },
      },
    );

    const { objects, summary } = drift(git, live);

    expect(
      objects.filter(o =>
        ['ReplicaSet', 'Pod', 'Endpoints', 'Secret'].includes(o.kind),
      ),
    ).toEqual([]);
    expect(summary['not-in-git']).toBe(0);
  });

  it('compares kinds the parsers do not know by presence only', () => {
    const widget = (name: string, size: number) => ({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name, namespace: 'payments' },
      spec: { size },
    });
    const git = fromGit([
      { path: 'apps/widgets.yaml', object: widget('blue', 1) },
      { path: 'apps/widgets-red.yaml', object: widget('red', 1) },
    ]);
    const live = [
      // Another version and spec: still the same object, and not compared.
      {
        ...asApiServerReturns(widget('blue', 9)),
        apiVersion: 'example.com/v2',
      },
      asApiServerReturns(widget('green', 1)),
    ];

    const { objects } = drift(git, live);

    expect(objects.map(o => [o.name, o.known, o.status])).toEqual([
      ['blue', false, 'in-sync'],
      ['red', false, 'missing-in-cluster'],
      ['green', false, 'not-in-git'],
    ]);
  });

  it("reports a claim's changed parameter", () => {
    const git = fromGit(builtDatabaseClaim());
    const live = synced(git);
    liveObject(live, 'PostgreSQLInstance').spec.parameters.storageGB = 100;

    expect(entry(drift(git, live).objects, 'PostgreSQLInstance')).toMatchObject(
      {
        status: 'different',
        path: 'infrastructure/production/payments/postgresqlinstance-payments-db.yaml',
        differences: [{ field: 'parameters.storageGB', git: 50, cluster: 100 }],
      },
    );
  });

  it("applies the API's defaults to a claim's parameters on both sides", () => {
    // Hand-written, without the defaults the cluster fills in.
    const git = parseManifestFile({
      path: 'infrastructure/production/payments/ledger-db.yaml',
      content: [
        'apiVersion: platform.causeway.dev/v1alpha1',
        'kind: PostgreSQLInstance',
        'metadata: { name: ledger-db, namespace: payments }',
        'spec:',
        '  parameters: { size: small, storageGB: 10 }',
      ].join('\n'),
    }).objects;
    const live = synced(git);
    live[0].spec.parameters = {
      size: 'small',
      storageGB: 10,
      version: '16',
      highAvailability: false,
      deletionProtection: true,
      backupRetentionDays: 7,
    };

    expect(drift(git, live).objects).toEqual([
      expect.objectContaining({
        kind: 'PostgreSQLInstance',
        known: true,
        status: 'in-sync',
      }),
    ]);
  });

  it('compares a claim the cluster answers in another served version', () => {
    const git = fromGit(builtDatabaseClaim());
    const live = synced(git);
    const claim = liveObject(live, 'PostgreSQLInstance');
    claim.apiVersion = 'platform.causeway.dev/v1beta1';
    claim.spec.parameters.storageGB = 100;

    expect(entry(drift(git, live).objects, 'PostgreSQLInstance')).toMatchObject(
      {
        apiVersion: 'platform.causeway.dev/v1alpha1',
        status: 'different',
        differences: [{ field: 'parameters.storageGB', git: 50, cluster: 100 }],
      },
    );
  });

  it("compares a Service's type and ports, a port's targetPort defaulting to its port", () => {
    const git = parseManifestFile({
      path: 'apps/production/payments/payment-service/service.yaml',
      content: [
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: payment-service, namespace: payments }',
        'spec:',
        '  ports: [{ name: http, port: 8080 }]',
      ].join('\n'),
    }).objects;
    const live = synced(git);
    live[0].spec.type = 'NodePort';
    live[0].spec.ports[0].nodePort = 30080;

    expect(live[0].spec.ports[0].targetPort).toBe(8080);
    expect(drift(git, live).objects[0].differences).toEqual([
      { field: 'spec.type', git: 'ClusterIP', cluster: 'NodePort' },
    ]);
  });

  it('matches a git object without a namespace to the one cluster object of that name', () => {
    const git = parseManifestFile({
      path: 'apps/production/payments/payment-service/settings.yaml',
      content:
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\n',
    }).objects;
    const live = [
      asApiServerReturns({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'payments' },
      }),
    ];

    expect(drift(git, live).objects).toEqual([
      expect.objectContaining({ namespace: 'payments', status: 'in-sync' }),
    ]);
  });

  it('refuses a cluster object without its kind, as the items of a list come', () => {
    expect(() =>
      drift([], [{ metadata: { name: 'payment-service' }, spec: {} }]),
    ).toThrow('has no apiVersion, kind or metadata.name');
  });
});
