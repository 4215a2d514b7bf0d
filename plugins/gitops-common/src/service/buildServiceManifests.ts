import {
  BuildWorkloadOptions,
  containerEnv,
  externalSecretFiles,
  hardenedContainerSecurityContext,
  hardenedPodSecurity,
  ingressPolicyFile,
  withKustomizationAndApplication,
  workloadBasics,
} from '../workload/workloadManifests';
import { buildNamespaceManifests } from '../workload/namespaceManifests';
import { ServiceSpec } from './serviceSpec';

export { KUBERNETES_ID_LABEL } from '../workload/workloadManifests';

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

export type BuildServiceOptions = BuildWorkloadOptions;

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
  const { name } = spec;
  const basics = workloadBasics(spec, options.policy);
  const { preset, resources, selector, labels, meta, dir } = basics;
  const replicas = spec.replicas ?? preset.replicas;

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
          ...hardenedPodSecurity(),
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
              ...containerEnv(spec, basics.secretName),
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
              securityContext: hardenedContainerSecurityContext(),
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
    ingressPolicyFile(
      basics,
      // Default deny: only the declared callers (and the ingress
      // controller, when exposed) may reach the service.
      [
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
    ),
    ...externalSecretFiles(spec, basics),
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

  const all = withKustomizationAndApplication(spec, files, basics, options);
  if (spec.newNamespace) {
    all.push(...buildNamespaceManifests(spec, options.policy));
  }
  return all;
}
