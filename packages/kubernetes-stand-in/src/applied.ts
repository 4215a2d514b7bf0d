import { claim } from './customObjects';
import { buildObject, CREATED, STARTED, uidOf } from './objectMeta';
import { templateHash } from './objects';
import { CROSSPLANE_CLAIMS } from './resourceTypes';
import { KubernetesObject } from './types';

/*
 * A manifest as written in git, turned into the object a real API server
 * returns for it once `kubectl apply` (or Argo CD, which applies the same
 * way) has created it and the controllers have reconciled it: the metadata
 * the server adds, the defaults it fills into the spec, and a status.
 */

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const records = (v: unknown): Json[] =>
  Array.isArray(v) ? v.filter(isRecord) : [];

const groupOf = (apiVersion: string) =>
  apiVersion.includes('/') ? apiVersion.split('/')[0] : '';

/** Built-in kinds whose objects have no metadata.generation. */
const WITHOUT_GENERATION = new Set([
  '/Pod',
  '/Service',
  '/ConfigMap',
  '/Secret',
  '/ServiceAccount',
  '/Namespace',
  '/Endpoints',
  '/LimitRange',
  '/ResourceQuota',
  'autoscaling/HorizontalPodAutoscaler',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/RoleBinding',
]);

/** Kinds with a pod template at spec.template. */
const POD_TEMPLATE_KINDS = new Set([
  'apps/Deployment',
  'apps/ReplicaSet',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'batch/Job',
]);

/** The defaults the API server fills into every probe. */
function probe(value: unknown) {
  if (!isRecord(value)) return value;
  return {
    ...value,
    ...(isRecord(value.httpGet)
      ? {
          httpGet: { ...value.httpGet, scheme: value.httpGet.scheme ?? 'HTTP' },
        }
      : {}),
    timeoutSeconds: value.timeoutSeconds ?? 1,
    periodSeconds: value.periodSeconds ?? 10,
    successThreshold: value.successThreshold ?? 1,
    failureThreshold: value.failureThreshold ?? 3,
  };
}

/** Always for :latest or no tag (and no digest), IfNotPresent otherwise. */
function pullPolicy(image: unknown) {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const tag = /:([^:/]+)$/.exec(image)?.[1];
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function container(value: Json): Json {
  const ports = records(value.ports).map(p => ({
    ...p,
    protocol: p.protocol ?? 'TCP',
  }));
  return {
    ...value,
    ...(ports.length ? { ports } : {}),
    resources: value.resources ?? {},
    ...(value.livenessProbe
      ? { livenessProbe: probe(value.livenessProbe) }
      : {}),
    ...(value.readinessProbe
      ? { readinessProbe: probe(value.readinessProbe) }
      : {}),
    ...(value.startupProbe ? { startupProbe: probe(value.startupProbe) } : {}),
    terminationMessagePath:
      value.terminationMessagePath ?? '/dev/termination-log',
    terminationMessagePolicy: value.terminationMessagePolicy ?? 'File',
    imagePullPolicy: value.imagePullPolicy ?? pullPolicy(value.image),
  };
}

/** A pod template with the defaults the API server fills in. */
function podTemplate(template: unknown): unknown {
  if (!isRecord(template)) return template;
  const spec = isRecord(template.spec) ? template.spec : {};
  return {
    ...template,
    // The server writes the template's empty creationTimestamp as null.
    metadata: {
      creationTimestamp: null,
      ...(isRecord(template.metadata) ? template.metadata : {}),
    },
    spec: {
      ...spec,
      containers: records(spec.containers).map(container),
      ...(spec.initContainers
        ? { initContainers: records(spec.initContainers).map(container) }
        : {}),
      restartPolicy: spec.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
      dnsPolicy: spec.dnsPolicy ?? 'ClusterFirst',
      securityContext: spec.securityContext ?? {},
      schedulerName: spec.schedulerName ?? 'default-scheduler',
    },
  };
}

function deploymentSpec(spec: Json): Json {
  const strategy = isRecord(spec.strategy) ? spec.strategy : {};
  const type = strategy.type ?? 'RollingUpdate';
  const rollingUpdate = isRecord(strategy.rollingUpdate)
    ? strategy.rollingUpdate
    : {};
  return {
    ...spec,
    replicas: spec.replicas ?? 1,
    strategy:
      type === 'RollingUpdate'
        ? {
            type,
            rollingUpdate: {
              maxUnavailable: rollingUpdate.maxUnavailable ?? '25%',
              maxSurge: rollingUpdate.maxSurge ?? '25%',
            },
          }
        : { type },
    revisionHistoryLimit: spec.revisionHistoryLimit ?? 10,
    progressDeadlineSeconds: spec.progressDeadlineSeconds ?? 600,
  };
}

/** All replicas updated, ready and available, as the controller reports it. */
function deploymentStatus(name: string, namespace: string, replicas: number) {
  return {
    observedGeneration: 1,
    // Kubernetes omits zero counts.
    ...(replicas > 0
      ? {
          replicas,
          updatedReplicas: replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
        }
      : {}),
    conditions: [
      {
        type: 'Available',
        status: 'True',
        lastUpdateTime: STARTED,
        lastTransitionTime: STARTED,
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
      },
      {
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: STARTED,
        lastTransitionTime: STARTED,
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${name}-${templateHash({
          name,
          namespace,
        })}" has successfully progressed.`,
      },
    ],
  };
}

function serviceSpec(spec: Json, namespace: string, name: string): Json {
  const type = spec.type ?? 'ClusterIP';
  const uid = uidOf('Service', namespace, name);
  const clusterIP =
    spec.clusterIP ??
    `10.96.${parseInt(uid.slice(0, 2), 16)}.${parseInt(uid.slice(2, 4), 16)}`;
  return {
    ...spec,
    ports: records(spec.ports).map(p => ({
      ...p,
      protocol: p.protocol ?? 'TCP',
      targetPort: p.targetPort ?? p.port,
    })),
    clusterIP,
    clusterIPs: spec.clusterIPs ?? [clusterIP],
    type,
    sessionAffinity: spec.sessionAffinity ?? 'None',
    ipFamilies: spec.ipFamilies ?? ['IPv4'],
    ipFamilyPolicy: spec.ipFamilyPolicy ?? 'SingleStack',
    internalTrafficPolicy: spec.internalTrafficPolicy ?? 'Cluster',
  };
}

function hpaSpec(spec: Json): Json {
  return {
    ...spec,
    minReplicas: spec.minReplicas ?? 1,
    // With no metric the server targets 80% CPU.
    metrics: spec.metrics ?? [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: 80 },
        },
      },
    ],
  };
}

function hpaStatus(spec: Json) {
  const replicas = spec.minReplicas as number;
  return {
    currentReplicas: replicas,
    desiredReplicas: replicas,
    currentMetrics: [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          current: { averageValue: '12m', averageUtilization: 6 },
        },
      },
    ],
    conditions: [
      [
        'AbleToScale',
        'ReadyForNewScale',
        'recommended size matches current size',
      ],
      [
        'ScalingActive',
        'ValidMetricFound',
        'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
      ],
    ].map(([type, reason, message]) => ({
      type,
      status: 'True',
      lastTransitionTime: STARTED,
      reason,
      message,
    })),
  };
}

export type AppliedOptions = {
  /** The namespace `kubectl apply -n` gives a manifest that names none. */
  namespace?: string;
  /**
   * The status instead of the one applied() gives: a Deployment with all
   * replicas available, a claim Ready and Synced, a Service's empty load
   * balancer, an HPA at its minimum.
   */
  status?: Record<string, unknown>;
  creationTimestamp?: string;
  /** Who applied it: argocd-controller (GitOps) by default. */
  manager?: string;
};

/**
 * The object a real API server returns for a manifest as written in git
 * after it was applied (by Argo CD or `kubectl apply`) and its controllers
 * reconciled it: with metadata.uid, resourceVersion, generation (where the
 * kind has one), creationTimestamp, managedFields and the
 * last-applied-configuration annotation; the server's defaults filled in
 * (Deployments' strategy, revision history and progress deadline; pod
 * templates' restart, DNS and scheduler policies, security context and
 * grace period; containers' termination message, pull policy, port
 * protocols and probe timings; Services' cluster IP, session affinity and
 * ports; HPAs' minReplicas; the platform's Crossplane claims' composition
 * and composite references and delete policy) and a status: a Deployment
 * with all its spec.replicas ready and available, a claim Ready and Synced.
 * Other kinds keep their spec as written.
 */
export function applied(
  manifest: { apiVersion: string; kind: string; metadata: Json } & Json,
  options: AppliedOptions = {},
): KubernetesObject {
  const {
    apiVersion,
    kind,
    metadata,
    status: _status,
    ...body
  } = structuredClone(manifest);
  const group = groupOf(apiVersion);
  const type = `${group}/${kind}`;
  const name = metadata.name as string;
  const namespace =
    (metadata.namespace as string | undefined) ?? options.namespace;
  const labels = metadata.labels as Record<string, string> | undefined;
  const spec = isRecord(body.spec) ? body.spec : undefined;

  // What kubectl apply keeps of the manifest, for its next three-way merge:
  // compact JSON with sorted keys (Go's encoding), on one line.
  const lastApplied = `${JSON.stringify(
    {
      ...manifest,
      metadata: { ...metadata, ...(namespace ? { namespace } : {}) },
    },
    (_key, value) =>
      isRecord(value)
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map(k => [k, value[k]]),
          )
        : value,
  )}\n`;
  const annotations: Record<string, string> = {
    ...(metadata.annotations as Record<string, string> | undefined),
    'kubectl.kubernetes.io/last-applied-configuration': lastApplied,
  };

  let status: Json | undefined;
  let statusManager: string | undefined;
  let finalizers: string[] | undefined;
  if (spec && POD_TEMPLATE_KINDS.has(type)) {
    body.spec = { ...spec, template: podTemplate(spec.template) };
  }
  if (spec && type === 'batch/CronJob' && isRecord(spec.jobTemplate)) {
    const job = isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec : {};
    body.spec = {
      ...spec,
      jobTemplate: {
        ...spec.jobTemplate,
        spec: { ...job, template: podTemplate(job.template) },
      },
    };
  }
  if (type === 'apps/Deployment' && isRecord(body.spec) && namespace) {
    const defaulted = deploymentSpec(body.spec);
    body.spec = defaulted;
    annotations['deployment.kubernetes.io/revision'] = '1';
    status = deploymentStatus(name, namespace, defaulted.replicas as number);
    statusManager = 'kube-controller-manager';
  } else if (type === '/Service' && spec && namespace) {
    body.spec = serviceSpec(spec, namespace, name);
    status = { loadBalancer: {} };
  } else if (type === 'autoscaling/HorizontalPodAutoscaler' && spec) {
    const defaulted = hpaSpec(spec);
    body.spec = defaulted;
    status = hpaStatus(defaulted);
    statusManager = 'kube-controller-manager';
  } else if (
    spec &&
    namespace &&
    CROSSPLANE_CLAIMS.some(c => c.group === group && c.kind === kind)
  ) {
    // The claim factory's copy: what the XRD's defaults and Crossplane add.
    const reconciled = claim({
      kind,
      apiVersion,
      name,
      namespace,
      parameters: isRecord(spec.parameters) ? spec.parameters : {},
    });
    const {
      parameters: _p,
      writeConnectionSecretToRef: _w,
      ...added
    } = reconciled.spec as Json;
    body.spec = { ...added, ...spec };
    status = reconciled.status as Json;
    statusManager = 'crossplane';
    finalizers = reconciled.metadata.finalizers as string[];
  }

  return buildObject({
    apiVersion,
    kind,
    name,
    namespace,
    labels,
    annotations,
    ownerReferences: metadata.ownerReferences as unknown[] | undefined,
    finalizers,
    generation: WITHOUT_GENERATION.has(type) ? undefined : 1,
    creationTimestamp: options.creationTimestamp ?? CREATED,
    manager: options.manager ?? 'argocd-controller',
    statusManager,
    body,
    status: options.status ?? status,
  });
}
