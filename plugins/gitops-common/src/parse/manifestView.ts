import type { PlatformApi } from '../claims/platformApi';
import { OWNER_LABEL } from '../layout';
import { IMAGE_BY_DIGEST } from '../workload/workloadSpec';
import type { ParsedObject } from './parseManifests';

/*
 * The reverse of the builders: what a folder's objects say about a
 * workload, in a small typed view of what the scorecard and the Kubernetes
 * view read. Every object lands in exactly one list, so nothing is dropped:
 * the typed ones, the known kinds without a view of their own (`others`),
 * and the kinds this does not know (`unknown`).
 */

type Labels = Record<string, string>;

/** Requests or limits; a quantity the manifest leaves out is undefined. */
export type ResourceQuantities = { cpu?: string; memory?: string };

/** A container, with the security settings in effect (its own, else the pod's). */
export type ContainerView = {
  name: string;
  image?: string;
  /** REPOSITORY@sha256:DIGEST */
  imagePinnedByDigest: boolean;
  init: boolean;
  requests: ResourceQuantities;
  limits: ResourceQuantities;
  readinessProbe: boolean;
  livenessProbe: boolean;
  startupProbe: boolean;
  /** The probes as written; a probe the container leaves out is absent. */
  probes: {
    readiness?: Record<string, unknown>;
    liveness?: Record<string, unknown>;
    startup?: Record<string, unknown>;
  };
  /** runAsNonRoot, or a runAsUser other than 0. */
  runsAsNonRoot: boolean;
  readOnlyRootFilesystem: boolean;
  /** allowPrivilegeEscalation is false (Kubernetes allows it when unset). */
  privilegeEscalationDisabled: boolean;
  /** capabilities.drop holds ALL. */
  dropsAllCapabilities: boolean;
  privileged: boolean;
  /** Env vars by value (value may hold anything) or from a Secret's key. */
  env: Array<{
    name: string;
    value?: string;
    secretKeyRef?: { name: string; key: string };
  }>;
  /** Secrets loaded whole (envFrom.secretRef). */
  envFromSecrets: string[];
};

export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'CronJob',
  'Job',
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** A Deployment, StatefulSet, DaemonSet, CronJob or Job and its pod template. */
export type WorkloadView = {
  kind: WorkloadKind;
  name: string;
  namespace?: string;
  labels: Labels;
  /** spec.replicas (1 when unset) of a Deployment or StatefulSet; undefined otherwise. */
  replicas?: number;
  /** A CronJob's schedule. */
  schedule?: string;
  /** Whether its pods run until stopped (not a Job or CronJob). */
  longRunning: boolean;
  pod: {
    labels: Labels;
    /** The pod template's spec as written. */
    spec: Record<string, unknown>;
    serviceAccountName?: string;
    automountServiceAccountToken?: boolean;
  };
  containers: ContainerView[];
  initContainers: ContainerView[];
  source: ParsedObject;
};

export type ServiceView = {
  name: string;
  type: string;
  selector: Labels;
  ports: Array<{ name?: string; port: number; targetPort?: number | string }>;
  source: ParsedObject;
};

export type HorizontalPodAutoscalerView = {
  name: string;
  /** spec.minReplicas; 1 when unset, as Kubernetes reads it. */
  minReplicas: number;
  maxReplicas?: number;
  target?: { kind: string; name: string };
  source: ParsedObject;
};

export type PodDisruptionBudgetView = {
  name: string;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  selector: Labels;
  source: ParsedObject;
};

export type NetworkPolicyView = {
  name: string;
  podSelector: Labels;
  policyTypes: string[];
  ingressRules: number;
  egressRules: number;
  source: ParsedObject;
};

/** A ServiceMonitor or PodMonitor (Prometheus Operator). */
export type MonitorView = {
  kind: 'ServiceMonitor' | 'PodMonitor';
  name: string;
  selector: Labels;
  endpoints: Array<{ port?: string; path?: string; interval?: string }>;
  source: ParsedObject;
};

export type ExternalSecretView = {
  name: string;
  /** The Secret it writes. */
  target: string;
  store?: { kind?: string; name: string };
  /** The keys it reads from the store. */
  remoteKeys: string[];
  source: ParsedObject;
};

/** A Secret: its key names, never its values. */
export type SecretView = {
  name: string;
  type: string;
  keys: string[];
  source: ParsedObject;
};

/** An Argo CD Application. */
export type ApplicationView = {
  name: string;
  project?: string;
  repoURL?: string;
  targetRevision?: string;
  path?: string;
  destination: { server?: string; name?: string; namespace?: string };
  automated: boolean;
  prune: boolean;
  selfHeal: boolean;
  source: ParsedObject;
};

/** A claim of a platform API (a Crossplane claim, e.g. PostgreSQLInstance). */
export type ClaimView = {
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string;
  labels: Labels;
  /** app.kubernetes.io/part-of: the service it belongs to. */
  partOf?: string;
  owner?: string;
  /** spec.parameters with the API's defaults filled in, as Crossplane applies them. */
  parameters: Record<string, unknown>;
  connectionSecret?: string;
  api: PlatformApi;
  source: ParsedObject;
};

export type ManifestView = {
  workloads: WorkloadView[];
  services: ServiceView[];
  horizontalPodAutoscalers: HorizontalPodAutoscalerView[];
  podDisruptionBudgets: PodDisruptionBudgetView[];
  networkPolicies: NetworkPolicyView[];
  monitors: MonitorView[];
  externalSecrets: ExternalSecretView[];
  secrets: SecretView[];
  applications: ApplicationView[];
  claims: ClaimView[];
  /** Kinds known to the platform with no view of their own (Ingress, Kustomization...). */
  others: ParsedObject[];
  /** Kinds this does not know. */
  unknown: ParsedObject[];
};

/** The kinds with no view of their own that are still expected in a GitOps folder. */
export const OTHER_KNOWN_KINDS = [
  'networking.k8s.io/Ingress',
  'kustomize.config.k8s.io/Kustomization',
  '/ConfigMap',
  '/ServiceAccount',
  '/Namespace',
  '/ResourceQuota',
  '/LimitRange',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/RoleBinding',
  'monitoring.coreos.com/PrometheusRule',
];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const record = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : undefined;
const bool = (v: unknown): boolean | undefined =>
  typeof v === 'boolean' ? v : undefined;
const intOrString = (v: unknown): number | string | undefined =>
  typeof v === 'number' || typeof v === 'string' ? v : undefined;
const labels = (v: unknown): Labels =>
  Object.fromEntries(
    Object.entries(record(v)).filter(([, l]) => typeof l === 'string'),
  ) as Labels;
const quantities = (v: unknown): ResourceQuantities => {
  const r = record(v);
  const q = (x: unknown) =>
    typeof x === 'string' || typeof x === 'number' ? String(x) : undefined;
  return { cpu: q(r.cpu), memory: q(r.memory) };
};

/** The API group of an apiVersion: "" for the core group (v1). */
export const apiGroup = (apiVersion: string) =>
  apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';

function containerView(
  raw: unknown,
  pod: Record<string, unknown>,
  init: boolean,
): ContainerView {
  const c = record(raw);
  const own = record(c.securityContext);
  const podContext = record(pod.securityContext);
  const runAsNonRoot = bool(own.runAsNonRoot) ?? bool(podContext.runAsNonRoot);
  const runAsUser = own.runAsUser ?? podContext.runAsUser;
  const image = str(c.image);
  const resources = record(c.resources);
  return {
    name: str(c.name) ?? '',
    image,
    imagePinnedByDigest: image !== undefined && IMAGE_BY_DIGEST.test(image),
    init,
    requests: quantities(resources.requests),
    limits: quantities(resources.limits),
    readinessProbe: isRecord(c.readinessProbe),
    livenessProbe: isRecord(c.livenessProbe),
    startupProbe: isRecord(c.startupProbe),
    probes: {
      ...(isRecord(c.readinessProbe) ? { readiness: c.readinessProbe } : {}),
      ...(isRecord(c.livenessProbe) ? { liveness: c.livenessProbe } : {}),
      ...(isRecord(c.startupProbe) ? { startup: c.startupProbe } : {}),
    },
    runsAsNonRoot:
      runAsNonRoot === true ||
      (runAsNonRoot !== false &&
        typeof runAsUser === 'number' &&
        runAsUser !== 0),
    readOnlyRootFilesystem: own.readOnlyRootFilesystem === true,
    privilegeEscalationDisabled: own.allowPrivilegeEscalation === false,
    dropsAllCapabilities: list(record(own.capabilities).drop).some(
      d => typeof d === 'string' && d.toUpperCase() === 'ALL',
    ),
    privileged: own.privileged === true,
    env: list(c.env).flatMap(e => {
      const entry = record(e);
      const name = str(entry.name);
      if (!name) return [];
      const ref = record(record(entry.valueFrom).secretKeyRef);
      return [
        {
          name,
          ...(entry.value !== undefined ? { value: String(entry.value) } : {}),
          ...(str(ref.name)
            ? {
                secretKeyRef: { name: str(ref.name)!, key: str(ref.key) ?? '' },
              }
            : {}),
        },
      ];
    }),
    envFromSecrets: list(c.envFrom).flatMap(e => {
      const name = str(record(record(e).secretRef).name);
      return name ? [name] : [];
    }),
  };
}

function workloadView(kind: WorkloadKind, parsed: ParsedObject): WorkloadView {
  const { object } = parsed;
  const spec = record(object.spec);
  const jobSpec =
    kind === 'CronJob' ? record(record(spec.jobTemplate).spec) : spec;
  const template = record(jobSpec.template);
  const podSpec = record(template.spec);
  const hasReplicas = kind === 'Deployment' || kind === 'StatefulSet';
  return {
    kind,
    name: object.metadata.name,
    namespace: object.metadata.namespace,
    labels: labels(object.metadata.labels),
    ...(hasReplicas
      ? { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 }
      : {}),
    ...(kind === 'CronJob' && str(spec.schedule)
      ? { schedule: str(spec.schedule) }
      : {}),
    longRunning: kind !== 'CronJob' && kind !== 'Job',
    pod: {
      labels: labels(record(template.metadata).labels),
      spec: podSpec,
      serviceAccountName: str(podSpec.serviceAccountName),
      automountServiceAccountToken: bool(podSpec.automountServiceAccountToken),
    },
    containers: list(podSpec.containers).map(c =>
      containerView(c, podSpec, false),
    ),
    initContainers: list(podSpec.initContainers).map(c =>
      containerView(c, podSpec, true),
    ),
    source: parsed,
  };
}

/** The API's defaults for spec.parameters, from its schema. */
function parameterDefaults(api: PlatformApi): Record<string, unknown> {
  const properties = record(
    record(record(record(record(api.schema).properties).spec).properties)
      .parameters,
  ).properties;
  return Object.fromEntries(
    Object.entries(record(properties)).flatMap(([name, schema]) =>
      isRecord(schema) && schema.default !== undefined
        ? [[name, schema.default]]
        : [],
    ),
  );
}

function claimView(api: PlatformApi, parsed: ParsedObject): ClaimView {
  const { object } = parsed;
  const spec = record(object.spec);
  const objectLabels = labels(object.metadata.labels);
  return {
    kind: object.kind,
    apiVersion: object.apiVersion,
    name: object.metadata.name,
    namespace: object.metadata.namespace,
    labels: objectLabels,
    partOf: objectLabels['app.kubernetes.io/part-of'],
    owner: objectLabels[OWNER_LABEL],
    parameters: { ...parameterDefaults(api), ...record(spec.parameters) },
    connectionSecret: str(record(spec.writeConnectionSecretToRef).name),
    api,
    source: parsed,
  };
}

type Viewer = (parsed: ParsedObject, view: ManifestView) => void;

const viewers: Record<string, Viewer> = {
  ...Object.fromEntries(
    WORKLOAD_KINDS.map(kind => [
      `${kind === 'CronJob' || kind === 'Job' ? 'batch' : 'apps'}/${kind}`,
      (p: ParsedObject, v: ManifestView) =>
        v.workloads.push(workloadView(kind, p)),
    ]),
  ),
  '/Service': (p, v) => {
    const spec = record(p.object.spec);
    v.services.push({
      name: p.object.metadata.name,
      type: str(spec.type) ?? 'ClusterIP',
      selector: labels(spec.selector),
      ports: list(spec.ports).flatMap(raw => {
        const port = record(raw);
        return typeof port.port === 'number'
          ? [
              {
                ...(str(port.name) ? { name: str(port.name) } : {}),
                port: port.port,
                ...(intOrString(port.targetPort) !== undefined
                  ? { targetPort: intOrString(port.targetPort) }
                  : {}),
              },
            ]
          : [];
      }),
      source: p,
    });
  },
  'autoscaling/HorizontalPodAutoscaler': (p, v) => {
    const spec = record(p.object.spec);
    const target = record(spec.scaleTargetRef);
    v.horizontalPodAutoscalers.push({
      name: p.object.metadata.name,
      minReplicas: typeof spec.minReplicas === 'number' ? spec.minReplicas : 1,
      ...(typeof spec.maxReplicas === 'number'
        ? { maxReplicas: spec.maxReplicas }
        : {}),
      ...(str(target.kind) && str(target.name)
        ? { target: { kind: str(target.kind)!, name: str(target.name)! } }
        : {}),
      source: p,
    });
  },
  'policy/PodDisruptionBudget': (p, v) => {
    const spec = record(p.object.spec);
    v.podDisruptionBudgets.push({
      name: p.object.metadata.name,
      minAvailable: intOrString(spec.minAvailable),
      maxUnavailable: intOrString(spec.maxUnavailable),
      selector: labels(record(spec.selector).matchLabels),
      source: p,
    });
  },
  'networking.k8s.io/NetworkPolicy': (p, v) => {
    const spec = record(p.object.spec);
    v.networkPolicies.push({
      name: p.object.metadata.name,
      podSelector: labels(record(spec.podSelector).matchLabels),
      policyTypes: list(spec.policyTypes).filter(
        (t): t is string => typeof t === 'string',
      ),
      ingressRules: list(spec.ingress).length,
      egressRules: list(spec.egress).length,
      source: p,
    });
  },
  ...Object.fromEntries(
    (['ServiceMonitor', 'PodMonitor'] as const).map(kind => [
      `monitoring.coreos.com/${kind}`,
      (p: ParsedObject, v: ManifestView) => {
        const spec = record(p.object.spec);
        v.monitors.push({
          kind,
          name: p.object.metadata.name,
          selector: labels(record(spec.selector).matchLabels),
          endpoints: list(
            kind === 'ServiceMonitor'
              ? spec.endpoints
              : spec.podMetricsEndpoints,
          ).map(raw => {
            const e = record(raw);
            return {
              port: str(e.port),
              path: str(e.path),
              interval: str(e.interval),
            };
          }),
          source: p,
        });
      },
    ]),
  ),
  'external-secrets.io/ExternalSecret': (p, v) => {
    const spec = record(p.object.spec);
    const store = record(spec.secretStoreRef);
    v.externalSecrets.push({
      name: p.object.metadata.name,
      target: str(record(spec.target).name) ?? p.object.metadata.name,
      ...(str(store.name)
        ? { store: { kind: str(store.kind), name: str(store.name)! } }
        : {}),
      remoteKeys: [
        ...list(spec.data).map(d => str(record(record(d).remoteRef).key)),
        ...list(spec.dataFrom).map(d => str(record(record(d).extract).key)),
      ].filter((k): k is string => k !== undefined),
      source: p,
    });
  },
  '/Secret': (p, v) => {
    v.secrets.push({
      name: p.object.metadata.name,
      type: str(p.object.type) ?? 'Opaque',
      keys: [
        ...new Set([
          ...Object.keys(record(p.object.data)),
          ...Object.keys(record(p.object.stringData)),
        ]),
      ],
      source: p,
    });
  },
  'argoproj.io/Application': (p, v) => {
    const spec = record(p.object.spec);
    const source = record(spec.source);
    const destination = record(spec.destination);
    const automated = record(spec.syncPolicy).automated;
    v.applications.push({
      name: p.object.metadata.name,
      project: str(spec.project),
      repoURL: str(source.repoURL),
      targetRevision: str(source.targetRevision),
      path: str(source.path),
      destination: {
        server: str(destination.server),
        name: str(destination.name),
        namespace: str(destination.namespace),
      },
      automated: isRecord(automated),
      prune: record(automated).prune === true,
      selfHeal: record(automated).selfHeal === true,
      source: p,
    });
  },
  ...Object.fromEntries(
    OTHER_KNOWN_KINDS.map(key => [
      key,
      (p: ParsedObject, v: ManifestView) => v.others.push(p),
    ]),
  ),
};

/** A view with no objects in it. */
export const emptyManifestView = (): ManifestView => ({
  workloads: [],
  services: [],
  horizontalPodAutoscalers: [],
  podDisruptionBudgets: [],
  networkPolicies: [],
  monitors: [],
  externalSecrets: [],
  secrets: [],
  applications: [],
  claims: [],
  others: [],
  unknown: [],
});

/**
 * Sorts parsed objects into the typed view. Objects are matched by API group
 * and kind (any version); claims by the apiVersion and kind of one of the
 * platform APIs given.
 */
export function viewManifests(
  objects: ParsedObject[],
  options: { platformApis?: PlatformApi[] } = {},
): ManifestView {
  const claimApis = new Map(
    (options.platformApis ?? []).map(api => [
      `${api.apiVersion}/${api.kind}`,
      api,
    ]),
  );
  const view = emptyManifestView();
  for (const parsed of objects) {
    const { apiVersion, kind } = parsed.object;
    const api = claimApis.get(`${apiVersion}/${kind}`);
    if (api) {
      view.claims.push(claimView(api, parsed));
      continue;
    }
    const viewer = viewers[`${apiGroup(apiVersion)}/${kind}`];
    if (viewer) viewer(parsed, view);
    else view.unknown.push(parsed);
  }
  return view;
}
