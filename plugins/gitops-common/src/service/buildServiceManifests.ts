import { argoApplication, GitOpsSource } from '../argoApplication';
import { gitopsLayout } from '../layout';
import { PlatformPolicy } from './platformPolicy';
import { ServiceSpec } from './serviceSpec';

/** A Kubernetes object as plain data. */
export type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

/** An object and the file in the GitOps repository it is written to. */
export type ManifestFile = { path: string; object: KubernetesObject };

export type BuildServiceOptions = {
  policy: PlatformPolicy;
  /** The GitOps repository Argo CD reads, and its branch. */
  gitops: GitOpsSource;
  /** The cluster the environment deploys to, as Argo CD names it. */
  destinationServer?: string;
};

/** The label the Kubernetes view finds a service's workloads by. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/**
 * Builds every object a service needs to run in production from its spec:
 * the workload hardened by default, its traffic rules, autoscaling and
 * disruption budget, monitoring, secrets through ExternalSecrets, the
 * kustomization Argo CD applies, the Argo CD Application itself, and, for a
 * new namespace, the namespace with its quota, limits and owner RoleBinding.
 */
export function buildServiceManifests(
  spec: ServiceSpec,
  options: BuildServiceOptions,
): ManifestFile[] {
  const { name, namespace, environment } = spec;
  const preset = options.policy.tiers[spec.tier];
  const replicas = spec.replicas ?? preset.replicas;
  const resources = spec.resources ?? {
    requests: preset.requests,
    limits: preset.limits,
  };
  const selector = { 'app.kubernetes.io/name': name };
  const labels: Record<string, string> = {
    ...selector,
    [KUBERNETES_ID_LABEL]: name,
    'app.kubernetes.io/part-of': spec.system ?? name,
    'app.kubernetes.io/managed-by': 'causeway',
    'causeway.dev/owner': spec.owner,
    'causeway.dev/tier': spec.tier,
    'causeway.dev/environment': environment,
  };
  const meta = (objectName = name) => ({ name: objectName, namespace, labels });
  const dir = gitopsLayout.serviceDir(environment, namespace, name);
  const secretName = (key: string) =>
    `${name}-${key.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`
      .slice(0, 63)
      .replace(/-+$/, '');

  const deployment: KubernetesObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(),
    spec: {
      replicas: replicas.min,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 },
      },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selector },
            },
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selector },
            },
          ],
          containers: [
            {
              name,
              image: spec.image,
              ports: [
                { name: 'http', containerPort: spec.port, protocol: 'TCP' },
              ],
              env: [
                ...Object.entries(spec.env).map(([envName, value]) => ({
                  name: envName,
                  value,
                })),
                ...spec.secrets.map(secret => ({
                  name: secret.env,
                  valueFrom: {
                    secretKeyRef: {
                      name: secretName(secret.key),
                      key: secret.env,
                    },
                  },
                })),
              ],
              ...(spec.connectionSecrets.length
                ? {
                    envFrom: spec.connectionSecrets.map(secret => ({
                      secretRef: { name: secret },
                    })),
                  }
                : {}),
              resources,
              readinessProbe: {
                httpGet: { path: '/health/ready', port: 'http' },
                periodSeconds: 5,
                failureThreshold: 3,
              },
              livenessProbe: {
                httpGet: { path: '/health/live', port: 'http' },
                initialDelaySeconds: 10,
                periodSeconds: 10,
                failureThreshold: 3,
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
        },
      },
    },
  };

  const files: ManifestFile[] = [
    { path: `${dir}/deployment.yaml`, object: deployment },
    {
      path: `${dir}/service.yaml`,
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(),
        spec: {
          selector,
          ports: [
            { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
          ],
        },
      },
    },
    {
      path: `${dir}/hpa.yaml`,
      object: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: meta(),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicas: replicas.min,
          maxReplicas: replicas.max,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: 70 },
              },
            },
          ],
        },
      },
    },
    {
      path: `${dir}/pdb.yaml`,
      object: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: meta(),
        // Keep all but one replica up; a single-replica service may pause.
        spec:
          replicas.min > 1
            ? {
                minAvailable: replicas.min - 1,
                selector: { matchLabels: selector },
              }
            : { maxUnavailable: 1, selector: { matchLabels: selector } },
      },
    },
    {
      path: `${dir}/servicemonitor.yaml`,
      object: {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: meta(),
        spec: {
          selector: { matchLabels: selector },
          endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
        },
      },
    },
    {
      path: `${dir}/networkpolicy.yaml`,
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta(),
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ['Ingress'],
          // Default deny: only the declared callers (and the ingress
          // controller, when exposed) may reach the service.
          ingress: [
            ...(spec.callers.length
              ? [
                  {
                    from: spec.callers.map(caller => ({
                      namespaceSelector: {
                        matchLabels: {
                          'kubernetes.io/metadata.name': caller.namespace,
                        },
                      },
                      podSelector: {
                        matchLabels: { 'app.kubernetes.io/name': caller.app },
                      },
                    })),
                    ports: [{ port: spec.port, protocol: 'TCP' }],
                  },
                ]
              : []),
            ...(spec.ingressHost
              ? [
                  {
                    from: [
                      {
                        namespaceSelector: {
                          matchLabels: {
                            'kubernetes.io/metadata.name': 'ingress-nginx',
                          },
                        },
                      },
                    ],
                    ports: [{ port: spec.port, protocol: 'TCP' }],
                  },
                ]
              : []),
          ],
        },
      },
    },
    ...spec.secrets.map(secret => ({
      path: `${dir}/externalsecret-${secretName(secret.key)}.yaml`,
      object: {
        apiVersion: 'external-secrets.io/v1beta1',
        kind: 'ExternalSecret',
        metadata: meta(secretName(secret.key)),
        spec: {
          refreshInterval: '1h',
          secretStoreRef: {
            kind: 'ClusterSecretStore',
            name: 'platform-secrets',
          },
          target: { name: secretName(secret.key), creationPolicy: 'Owner' },
          data: [
            {
              secretKey: secret.env,
              remoteRef: {
                key: secret.key,
                ...(secret.property ? { property: secret.property } : {}),
              },
            },
          ],
        },
      },
    })),
  ];

  if (spec.ingressHost) {
    files.push({
      path: `${dir}/ingress.yaml`,
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: meta(),
        spec: {
          ingressClassName: 'nginx',
          tls: [{ hosts: [spec.ingressHost], secretName: `${name}-tls` }],
          rules: [
            {
              host: spec.ingressHost,
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name, port: { name: 'http' } } },
                  },
                ],
              },
            },
          ],
        },
      },
    });
  }

  files.push({
    path: `${dir}/kustomization.yaml`,
    object: {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      metadata: { name },
      namespace,
      resources: files.map(f => f.path.slice(dir.length + 1)),
    },
  });

  files.push({
    path: `${dir}/argocd-application.yaml`,
    object: argoApplication({
      name: `${environment}-${namespace}-${name}`,
      labels,
      project: environment,
      path: dir,
      namespace,
      gitops: options.gitops,
      destinationServer: options.destinationServer,
      prune: true,
    }),
  });

  if (spec.newNamespace) {
    files.push(...buildNamespaceManifests(spec, options.policy));
  }
  return files;
}

/** A new namespace: the namespace, its quota and default limits, and its owners' access. */
function buildNamespaceManifests(
  spec: ServiceSpec,
  policy: PlatformPolicy,
): ManifestFile[] {
  const { namespace, environment, owner } = spec;
  const dir = gitopsLayout.namespaceDir(environment, namespace);
  const labels = {
    'app.kubernetes.io/managed-by': 'causeway',
    'causeway.dev/owner': owner,
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
