/** A resource type the stand-in serves: where it lives in the REST API. */
export type ResourceDefinition = {
  /** '' for the core group (served under /api/v1). */
  group: string;
  version: string;
  kind: string;
  /** The lower-case plural of the URL path, e.g. deployments. */
  plural: string;
  /** False for cluster-scoped types; true by default. */
  namespaced?: boolean;
  /** As the API server's discovery lists them. */
  shortNames?: string[];
  /**
   * Served from Go types (built-in and aggregated APIs such as
   * metrics.k8s.io), whose list items carry no apiVersion and kind. False
   * for custom resources, which the API server lists with them.
   */
  typed?: boolean;
};

export function apiVersionOf(type: ResourceDefinition): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** The name RBAC messages use: pods, deployments.apps. */
export function resourceName(type: { group: string; plural: string }): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

const core = (
  kind: string,
  plural: string,
  shortNames?: string[],
): ResourceDefinition => ({
  group: '',
  version: 'v1',
  kind,
  plural,
  shortNames,
  typed: true,
});

const grouped = (
  group: string,
  version: string,
  kind: string,
  plural: string,
  shortNames?: string[],
): ResourceDefinition => ({ group, version, kind, plural, shortNames });

/**
 * The built-in types every stand-in serves: those the Kubernetes plugin's
 * fetcher and Causeway read, at the versions a current API server prefers.
 */
export const BUILT_IN_RESOURCES: ResourceDefinition[] = [
  { ...core('Namespace', 'namespaces', ['ns']), namespaced: false },
  core('Pod', 'pods', ['po']),
  core('Service', 'services', ['svc']),
  core('ConfigMap', 'configmaps', ['cm']),
  core('ServiceAccount', 'serviceaccounts', ['sa']),
  core('Secret', 'secrets'),
  core('Endpoints', 'endpoints', ['ep']),
  core('LimitRange', 'limitranges', ['limits']),
  core('ResourceQuota', 'resourcequotas', ['quota']),
  ...[
    grouped('apps', 'v1', 'Deployment', 'deployments', ['deploy']),
    grouped('apps', 'v1', 'ReplicaSet', 'replicasets', ['rs']),
    grouped('apps', 'v1', 'StatefulSet', 'statefulsets', ['sts']),
    grouped('apps', 'v1', 'DaemonSet', 'daemonsets', ['ds']),
    grouped('batch', 'v1', 'Job', 'jobs'),
    grouped('batch', 'v1', 'CronJob', 'cronjobs', ['cj']),
    grouped(
      'autoscaling',
      'v2',
      'HorizontalPodAutoscaler',
      'horizontalpodautoscalers',
      ['hpa'],
    ),
    grouped('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', [
      'pdb',
    ]),
    grouped('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', [
      'netpol',
    ]),
    grouped('networking.k8s.io', 'v1', 'Ingress', 'ingresses', ['ing']),
  ].map(type => ({ ...type, typed: true })),
];

/** The Prometheus Operator's ServiceMonitor (a CRD: serve it explicitly). */
export const SERVICE_MONITOR: ResourceDefinition = grouped(
  'monitoring.coreos.com',
  'v1',
  'ServiceMonitor',
  'servicemonitors',
  ['smon'],
);

/** External Secrets Operator's ExternalSecret (a CRD: serve it explicitly). */
export const EXTERNAL_SECRET: ResourceDefinition = grouped(
  'external-secrets.io',
  'v1beta1',
  'ExternalSecret',
  'externalsecrets',
  ['es'],
);

/**
 * metrics-server's PodMetrics, which the Kubernetes plugin reads for the
 * pods it found unless a cluster sets skipMetricsLookup. An aggregated API,
 * not a CRD, but like one it exists only where metrics-server is installed.
 */
export const POD_METRICS: ResourceDefinition = {
  ...grouped('metrics.k8s.io', 'v1beta1', 'PodMetrics', 'pods'),
  typed: true,
};

/** The claim kinds of the platform's Crossplane APIs (platform/apis). */
export const CROSSPLANE_CLAIMS: ResourceDefinition[] = [
  grouped(
    'platform.causeway.dev',
    'v1alpha1',
    'PostgreSQLInstance',
    'postgresqlinstances',
  ),
  grouped('platform.causeway.dev', 'v1alpha1', 'RedisCache', 'rediscaches'),
  grouped('platform.causeway.dev', 'v1alpha1', 'ObjectBucket', 'objectbuckets'),
  grouped('platform.causeway.dev', 'v1alpha1', 'KafkaTopic', 'kafkatopics'),
];
