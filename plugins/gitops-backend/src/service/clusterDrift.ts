import {
  apiGroup,
  ClusterDriftView,
  computeDrift,
  DriftSummary,
  KUBERNETES_ID_LABEL,
  ParsedObject,
  PlatformApi,
} from '@causeway/plugin-gitops-common';
import type {
  KubernetesClusters,
  ResourceType,
} from '@causeway/plugin-gitops-node';
import { GitOpsLocation } from './gitopsFiles';
import { ALWAYS_LISTED, resourceTypeOf } from './resourceTypes';

type NamedObject = ResourceType & { namespace: string; name: string };

/** A kind's identity whatever its version: API group and REST name. */
const typeKey = (type: ResourceType) =>
  `${apiGroup(type.apiVersion)}/${type.plural}`;

const NO_DRIFT: DriftSummary = {
  'in-sync': 0,
  'missing-in-cluster': 0,
  'not-in-git': 0,
  different: 0,
};

/**
 * What to ask the clusters for the drift of an entity's objects in git.
 *
 * Only what a cluster can honestly be asked about is compared: objects of a
 * kind with a known REST name (resourceTypes.ts, or a platform API's claim)
 * in the entity's namespace. The rest stay listed with their file and are
 * left out of the drift rather than reported missing: an unknown kind (no
 * plural to ask by; the files show it with known false), a Secret (reading
 * it would fetch its values), the Kustomization (input to kustomize, never
 * applied), the Argo CD Application (it lives in Argo CD's namespace, maybe
 * of another cluster) and objects of other namespaces.
 *
 * Objects labelled with the entity's backstage.io/kubernetes-id are found
 * by one list per kind with that label, which also finds the labelled
 * objects that are not in git; the others (claims, hand-written objects
 * without the label) are read by name.
 */
export function driftQuery(options: {
  git: ParsedObject[];
  location: GitOpsLocation;
  platformApis: PlatformApi[];
}): {
  /** The git objects compared, each with its namespace. */
  compared: ParsedObject[];
  list?: { types: ResourceType[]; labelSelector: string; namespace?: string };
  get: NamedObject[];
} {
  const { location, platformApis } = options;
  const { namespace, kubernetesId } = location;
  const compared: ParsedObject[] = [];
  const listed = new Map<string, ResourceType>();
  const get: NamedObject[] = [];
  for (const parsed of options.git) {
    const { apiVersion, kind, metadata } = parsed.object;
    const type = resourceTypeOf(apiVersion, kind, platformApis);
    const objectNamespace = metadata?.namespace ?? namespace;
    if (!type || !metadata?.name || !objectNamespace) continue;
    if (namespace && objectNamespace !== namespace) continue;
    compared.push({
      ...parsed,
      object: {
        ...parsed.object,
        metadata: { ...metadata, namespace: objectNamespace },
      },
    });
    if (
      kubernetesId &&
      metadata.labels?.[KUBERNETES_ID_LABEL] === kubernetesId
    ) {
      listed.set(typeKey(type), type);
    } else {
      get.push({ ...type, namespace: objectNamespace, name: metadata.name });
    }
  }
  if (!kubernetesId) return { compared, get };
  // The kinds git has, at git's version, then the usual ones it may lack.
  for (const type of ALWAYS_LISTED) {
    if (!listed.has(typeKey(type))) listed.set(typeKey(type), type);
  }
  return {
    compared,
    list: {
      types: [...listed.values()],
      labelSelector: `${KUBERNETES_ID_LABEL}=${kubernetesId}`,
      ...(namespace ? { namespace } : {}),
    },
    get,
  };
}

/**
 * Each configured cluster's drift from git for an entity's objects: one
 * list and one read by name per cluster, asked of all clusters at once. A
 * cluster that fails either has its error and no objects; the others'
 * reports still stand.
 */
export async function clusterDrift(options: {
  clusters: KubernetesClusters;
  git: ParsedObject[];
  location: GitOpsLocation;
  platformApis: PlatformApi[];
}): Promise<ClusterDriftView[]> {
  const { clusters, platformApis } = options;
  const query = driftQuery(options);
  const [listed, read] = await Promise.all([
    query.list ? clusters.list(query.list) : undefined,
    query.get.length ? clusters.get({ objects: query.get }) : undefined,
  ]);
  return clusters.names.map(cluster => {
    const list = listed?.find(a => a.cluster === cluster);
    const got = read?.find(a => a.cluster === cluster);
    const error = list?.error ?? got?.error;
    if (error) {
      return { cluster, error, objects: [], summary: { ...NO_DRIFT } };
    }
    const live = [
      ...(list?.value ?? []),
      ...(got?.value ?? []).filter(
        (o): o is Record<string, unknown> => o !== undefined,
      ),
    ];
    return {
      cluster,
      ...computeDrift({ git: query.compared, live, platformApis }),
    };
  });
}
