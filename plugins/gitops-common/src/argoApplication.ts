import type { KubernetesObject } from './service/buildServiceManifests';

export type GitOpsSource = { repoURL: string; branch: string };

/** An Argo CD Application that syncs one folder of the GitOps repository. */
export function argoApplication(options: {
  name: string;
  labels: Record<string, string>;
  project: string;
  path: string;
  namespace: string;
  gitops: GitOpsSource;
  destinationServer?: string;
  /** Remove from the cluster what is removed from git. Never for data stores. */
  prune: boolean;
  /** Sync the folder's YAML files as they are, without a kustomization. */
  plainDirectory?: boolean;
}): KubernetesObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: options.name.slice(0, 253),
      namespace: 'argocd',
      labels: options.labels,
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: options.project,
      source: {
        repoURL: options.gitops.repoURL,
        targetRevision: options.gitops.branch,
        path: options.path,
        ...(options.plainDirectory
          ? {
              directory: { recurse: false, exclude: 'argocd-application.yaml' },
            }
          : {}),
      },
      destination: {
        server: options.destinationServer ?? 'https://kubernetes.default.svc',
        namespace: options.namespace,
      },
      syncPolicy: {
        automated: { prune: options.prune, selfHeal: true },
        syncOptions: ['ServerSideApply=true'],
        retry: {
          limit: 5,
          backoff: { duration: '10s', factor: 2, maxDuration: '5m' },
        },
      },
    },
  };
}
