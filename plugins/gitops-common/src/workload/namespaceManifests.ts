import { gitopsLayout, OWNER_LABEL } from '../layout';
import type { ManifestFile } from '../service/buildServiceManifests';
import { PlatformPolicy } from '../service/platformPolicy';

/** A new namespace: the namespace, its quota and default limits, and its owners' access. */
export function buildNamespaceManifests(
  spec: { namespace: string; environment: string; owner: string },
  policy: PlatformPolicy,
): ManifestFile[] {
  const { namespace, environment, owner } = spec;
  const dir = gitopsLayout.namespaceDir(environment, namespace);
  const labels = {
    'app.kubernetes.io/managed-by': 'causeway',
    [OWNER_LABEL]: owner,
    'causeway.dev/environment': environment,
  };
  const standard = policy.tiers.standard;
  return [
    {
      path: `${dir}/namespace.yaml`,
      object: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace, labels },
      },
    },
    {
      path: `${dir}/resourcequota.yaml`,
      object: {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'default', namespace, labels },
        spec: {
          hard: {
            'requests.cpu': '8',
            'requests.memory': '16Gi',
            'limits.cpu': '16',
            'limits.memory': '32Gi',
            pods: '100',
          },
        },
      },
    },
    {
      path: `${dir}/limitrange.yaml`,
      object: {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name: 'default', namespace, labels },
        spec: {
          limits: [
            {
              type: 'Container',
              default: standard.limits,
              defaultRequest: standard.requests,
              max: policy.bounds.maxLimits,
            },
          ],
        },
      },
    },
    {
      path: `${dir}/rolebinding-owners.yaml`,
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `${owner}-edit`, namespace, labels },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'edit',
        },
        subjects: [
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: owner },
        ],
      },
    },
  ];
}
