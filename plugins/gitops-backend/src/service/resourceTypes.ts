import { apiGroup, PlatformApi } from '@causeway/plugin-gitops-common';
import type { ResourceType } from '@causeway/plugin-gitops-node';

/**
 * The REST names (plurals) of the namespaced kinds a GitOps folder holds,
 * by API group and kind, with the version to list them at when git has no
 * object of the kind. A cluster is asked for a kind only through this table
 * or a platform API's claim plural: a plural is never guessed from a kind.
 */
const BUILT_IN: ResourceType[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', plural: 'daemonsets' },
  { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs' },
  { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs' },
  { apiVersion: 'v1', kind: 'Service', plural: 'services' },
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps' },
  { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts' },
  { apiVersion: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas' },
  { apiVersion: 'v1', kind: 'LimitRange', plural: 'limitranges' },
  {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
  },
  {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
  },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', plural: 'roles' },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
  },
  {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    plural: 'servicemonitors',
  },
  {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    plural: 'podmonitors',
  },
  {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    plural: 'prometheusrules',
  },
  {
    apiVersion: 'external-secrets.io/v1beta1',
    kind: 'ExternalSecret',
    plural: 'externalsecrets',
  },
];

const key = (apiVersion: string, kind: string) =>
  `${apiGroup(apiVersion)}/${kind}`;
const builtIn = new Map(BUILT_IN.map(t => [key(t.apiVersion, t.kind), t]));

/**
 * The kinds a service's live objects are listed by (with its
 * backstage.io/kubernetes-id label) even when git has none of them, so that
 * an object made by hand in the cluster shows as not in git.
 */
export const ALWAYS_LISTED: ResourceType[] = [
  'apps/Deployment',
  'apps/StatefulSet',
  'batch/CronJob',
  '/Service',
  'networking.k8s.io/Ingress',
  '/ConfigMap',
  'autoscaling/HorizontalPodAutoscaler',
  'policy/PodDisruptionBudget',
  'networking.k8s.io/NetworkPolicy',
  '/ServiceAccount',
].map(k => builtIn.get(k)!);

/**
 * How to ask a cluster for objects of a kind at the object's own
 * apiVersion: a built-in kind of the table above or a platform API's claim;
 * undefined for any other kind. Secrets are never read from a cluster (the
 * answer would carry their values), so they have no type here.
 */
export function resourceTypeOf(
  apiVersion: string,
  kind: string,
  platformApis: PlatformApi[],
): ResourceType | undefined {
  const api = platformApis.find(
    a => a.apiVersion === apiVersion && a.kind === kind,
  );
  if (api) return { apiVersion, kind, plural: api.claimPlural };
  const known = builtIn.get(key(apiVersion, kind));
  return known ? { apiVersion, kind, plural: known.plural } : undefined;
}
