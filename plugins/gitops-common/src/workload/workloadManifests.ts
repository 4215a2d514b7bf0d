import { argoApplication, GitOpsSource } from '../argoApplication';
import { gitopsLayout, OWNER_LABEL } from '../layout';
import type {
  KubernetesObject,
  ManifestFile,
} from '../service/buildServiceManifests';
import { PlatformPolicy } from '../service/platformPolicy';
import { WorkloadSpec } from './workloadSpec';

/*
 * The pieces every workload's manifests share, services' and scheduled
 * jobs': labels, folder, secret names, the hardened pod and container, env
 * and secrets, ExternalSecrets, the kustomization and the Argo CD
 * Application.
 */

/** How to build a workload's manifests. */
export type BuildWorkloadOptions = {
  policy: PlatformPolicy;
  /** The GitOps repository Argo CD reads, and its branch. */
  gitops: GitOpsSource;
  /** The cluster the environment deploys to, as Argo CD names it. */
  destinationServer?: string;
};

/** The label the Kubernetes view finds a service's workloads by. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/**
 * What a workload's objects are built from: its labels (one object, shared
 * by every metadata of a file), its pod selector, its folder in the GitOps
 * repository, its resources (the tier's unless overridden), and the names of
 * its objects and secrets.
 */
export function workloadBasics(spec: WorkloadSpec, policy: PlatformPolicy) {
  const { name, namespace, environment } = spec;
  const preset = policy.tiers[spec.tier];
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
    [OWNER_LABEL]: spec.owner,
    'causeway.dev/tier': spec.tier,
    'causeway.dev/environment': environment,
  };
  const meta = (objectName = name) => ({ name: objectName, namespace, labels });
  const dir = gitopsLayout.serviceDir(environment, namespace, name);
  const secretName = (key: string) =>
    `${name}-${key.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`
      .slice(0, 63)
      .replace(/-+$/, '');
  return { preset, resources, selector, labels, meta, dir, secretName };
}

/** A pod that runs as non-root, with the default seccomp profile and no API token. */
export const hardenedPodSecurity = () => ({
  automountServiceAccountToken: false,
  securityContext: {
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  },
});

/** A container with no privilege escalation, a read-only root and no capabilities. */
export const hardenedContainerSecurityContext = () => ({
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
});

/** The container's env vars, secrets by reference, and connection secrets whole. */
export function containerEnv(
  spec: WorkloadSpec,
  secretName: (key: string) => string,
) {
  return {
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
  };
}

/**
 * The workload's NetworkPolicy: no traffic in but what the rules let in
 * (none when there are none).
 */
export function ingressPolicyFile(
  basics: Pick<ReturnType<typeof workloadBasics>, 'dir' | 'meta' | 'selector'>,
  ingress: unknown[],
): ManifestFile {
  return {
    path: `${basics.dir}/networkpolicy.yaml`,
    object: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: basics.meta(),
      spec: {
        podSelector: { matchLabels: basics.selector },
        policyTypes: ['Ingress'],
        ingress,
      },
    },
  };
}

/** An ExternalSecret per secret: the platform's secret store writes the Secret. */
export function externalSecretFiles(
  spec: WorkloadSpec,
  basics: Pick<
    ReturnType<typeof workloadBasics>,
    'dir' | 'meta' | 'secretName'
  >,
): ManifestFile[] {
  const { dir, meta, secretName } = basics;
  return spec.secrets.map(secret => ({
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
  }));
}

/**
 * Completes a workload's files: the kustomization listing those written so
 * far, and the Argo CD Application that syncs the folder.
 */
export function withKustomizationAndApplication(
  spec: WorkloadSpec,
  files: ManifestFile[],
  basics: Pick<ReturnType<typeof workloadBasics>, 'dir' | 'labels'>,
  options: BuildWorkloadOptions,
): ManifestFile[] {
  const { name, namespace, environment } = spec;
  const { dir, labels } = basics;
  const kustomization: KubernetesObject = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    metadata: { name },
    namespace,
    resources: files.map(f => f.path.slice(dir.length + 1)),
  };
  return [
    ...files,
    { path: `${dir}/kustomization.yaml`, object: kustomization },
    {
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
    },
  ];
}
