import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { kubernetesResourcesReadPermission } from '@backstage/plugin-kubernetes-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ClustersState,
  NO_CLUSTER_MESSAGE,
} from '@causeway/plugin-gitops-common';
import type { KubernetesClusters } from '@causeway/plugin-gitops-node';

/**
 * Whether the views may show what the clusters say to this user: none is
 * configured (the embedded default), or the user may not read cluster
 * objects (kubernetes.resources.read, asked with the user's credentials),
 * or they may.
 */
export async function clustersState(options: {
  clusters: KubernetesClusters;
  permissions: PermissionsService;
  credentials: BackstageCredentials;
}): Promise<ClustersState> {
  const { clusters, permissions, credentials } = options;
  if (clusters.names.length === 0) {
    return { configured: false, message: NO_CLUSTER_MESSAGE };
  }
  const [decision] = await permissions.authorize(
    [{ permission: kubernetesResourcesReadPermission }],
    { credentials },
  );
  return decision.result === AuthorizeResult.ALLOW
    ? { configured: true }
    : { configured: true, denied: true };
}

/** Whether the clusters may be asked, for a state from clustersState(). */
export const mayReadClusters = (state: ClustersState) =>
  state.configured && !state.denied;
