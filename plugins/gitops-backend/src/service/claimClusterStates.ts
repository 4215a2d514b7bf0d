import {
  ClaimClusterState,
  ClaimConditionView,
} from '@causeway/plugin-gitops-common';
import type {
  KubernetesClusters,
  ResourceType,
} from '@causeway/plugin-gitops-node';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** A claim's condition of a type (Ready, Synced), as the cluster reports it. */
function condition(
  conditions: Json[],
  type: string,
): ClaimConditionView | undefined {
  const found = conditions.find(c => c.type === type);
  if (!found) return undefined;
  const status = str(found.status);
  const reason = str(found.reason);
  const message = str(found.message);
  const lastTransitionTime = str(found.lastTransitionTime);
  return {
    status: status === 'True' || status === 'False' ? status : 'Unknown',
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
    ...(lastTransitionTime ? { lastTransitionTime } : {}),
  };
}

/** What a cluster's copy of a claim says: its conditions and secret. */
function claimState(cluster: string, live: Json): ClaimClusterState {
  const status = isRecord(live.status) ? live.status : {};
  const spec = isRecord(live.spec) ? live.spec : {};
  const conditions = Array.isArray(status.conditions)
    ? status.conditions.filter(isRecord)
    : [];
  const ready = condition(conditions, 'Ready');
  const synced = condition(conditions, 'Synced');
  const connectionSecret = isRecord(spec.writeConnectionSecretToRef)
    ? str(spec.writeConnectionSecretToRef.name)
    : undefined;
  const times = conditions
    .map(c => str(c.lastTransitionTime))
    .filter((t): t is string => t !== undefined && !isNaN(Date.parse(t)));
  const lastTransitionTime = times.length
    ? times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a))
    : undefined;
  return {
    cluster,
    found: true,
    ...(ready ? { ready } : {}),
    ...(synced ? { synced } : {}),
    ...(connectionSecret ? { connectionSecret } : {}),
    ...(lastTransitionTime ? { lastTransitionTime } : {}),
  };
}

/**
 * What each configured cluster says about each claim, read by name in one
 * call per cluster, all clusters at once: for claim i, its states in the
 * clusters' order. A cluster that failed has its error on every claim.
 */
export async function claimClusterStates(
  clusters: KubernetesClusters,
  claims: Array<ResourceType & { namespace: string; name: string }>,
): Promise<ClaimClusterState[][]> {
  if (claims.length === 0) return [];
  const answers = await clusters.get({ objects: claims });
  return claims.map((_, i) =>
    answers.map(({ cluster, error, value }): ClaimClusterState => {
      if (error) return { cluster, error, found: false };
      const live = value?.[i];
      return live ? claimState(cluster, live) : { cluster, found: false };
    }),
  );
}
