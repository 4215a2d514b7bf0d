import { InputError } from '@backstage/errors';
import type { DriftSummary, ObjectDrift, ObjectRef } from '../api';
import type { PlatformApi } from '../claims/platformApi';
import { apiGroup, viewManifests } from '../parse/manifestView';
import type { ParsedObject } from '../parse/parseManifests';
import type { KubernetesObject } from '../service/buildServiceManifests';
import { fieldDifferences, ViewedObject, viewedObjects } from './driftFields';

/** Objects the cluster makes for others; never expected in git. */
const CHILD_KINDS = new Set([
  '/Pod',
  'apps/ReplicaSet',
  '/Endpoints',
  'discovery.k8s.io/EndpointSlice',
  '/Event',
  'events.k8s.io/Event',
]);

/** Read by kustomize to build the objects; never applied to the cluster. */
const BUILD_ONLY_GROUP = 'kustomize.config.k8s.io';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const typeOf = (o: KubernetesObject) => `${apiGroup(o.apiVersion)}/${o.kind}`;
const nameKey = (o: KubernetesObject) => `${typeOf(o)}/${o.metadata.name}`;
const fullKey = (o: KubernetesObject) =>
  `${nameKey(o)}/${o.metadata.namespace ?? ''}`;

function asLiveObject(value: Record<string, unknown>): KubernetesObject {
  const metadata = value.metadata;
  if (
    typeof value.apiVersion !== 'string' ||
    typeof value.kind !== 'string' ||
    !isRecord(metadata) ||
    typeof metadata.name !== 'string'
  ) {
    // A list's items come without apiVersion and kind: the caller sets them.
    throw new InputError(
      'A cluster object given for drift has no apiVersion, kind or metadata.name',
    );
  }
  return value as KubernetesObject;
}

const isChild = (o: KubernetesObject) => {
  const owners = o.metadata.ownerReferences;
  return (
    (Array.isArray(owners) && owners.length > 0) || CHILD_KINDS.has(typeOf(o))
  );
};

/**
 * The platform APIs, also under each other version the objects use: the
 * cluster may answer a claim in another served version than the one git
 * names. The defaults filled in stay those of the referenceable version.
 */
function apisForVersions(apis: PlatformApi[], objects: KubernetesObject[]) {
  const extra = objects.flatMap(o => {
    const api = apis.find(
      a =>
        a.kind === o.kind &&
        apiGroup(a.apiVersion) === apiGroup(o.apiVersion) &&
        a.apiVersion !== o.apiVersion,
    );
    return api ? [{ ...api, apiVersion: o.apiVersion }] : [];
  });
  return [...apis, ...extra];
}

const refOf = (
  o: KubernetesObject,
  namespace = o.metadata.namespace,
): ObjectRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  ...(namespace !== undefined ? { namespace } : {}),
});

const emptySummary = (): DriftSummary => ({
  'in-sync': 0,
  'missing-in-cluster': 0,
  'not-in-git': 0,
  different: 0,
});

/**
 * How one cluster's objects differ from a service's objects in git. Objects
 * are matched by API group (any version), kind, namespace and name; a git
 * object without a namespace matches the one cluster object of its group,
 * kind and name. Both sides are read by the parsers the GitOps actions and
 * the scorecard use, and only the fields that matter are compared: replicas
 * (within its bounds when an HPA in git scales the workload), each container's image,
 * requests, limits and probes, a CronJob's schedule, HPA bounds, PDB
 * bounds, Service type and ports, and claims' parameters with their API's
 * defaults. Other kinds, and kinds the parsers do not know, are compared by
 * presence. Cluster objects owned by another (ownerReferences) and Pods,
 * ReplicaSets, Endpoints, EndpointSlices and Events are not reported when
 * git does not declare them; kustomize's own files are not either.
 */
export function computeDrift(options: {
  /** The service's objects as parsed from git (parseManifestFile results). */
  git: ParsedObject[];
  /** The objects one cluster returned, as the API server returns them; each with apiVersion and kind. */
  live: Array<Record<string, unknown>>;
  platformApis: PlatformApi[];
}): { objects: ObjectDrift[]; summary: DriftSummary } {
  const git = options.git.filter(
    p => apiGroup(p.object.apiVersion) !== BUILD_ONLY_GROUP,
  );
  // One object per identity: the caller may list an object twice.
  const liveByKey = new Map<string, ParsedObject>();
  options.live.forEach((value, document) => {
    const object = asLiveObject(value);
    const key = fullKey(object);
    if (!liveByKey.has(key)) {
      liveByKey.set(key, { path: '', document, object });
    }
  });
  const live = [...liveByKey.values()];
  const liveByName = new Map<string, ParsedObject[]>();
  for (const parsed of live) {
    const key = nameKey(parsed.object);
    liveByName.set(key, [...(liveByName.get(key) ?? []), parsed]);
  }

  const platformApis = apisForVersions(
    options.platformApis,
    [...git, ...live].map(p => p.object),
  );
  const gitView = viewManifests(git, { platformApis });
  const viewed = new Map([
    ...viewedObjects(gitView),
    ...viewedObjects(viewManifests(live, { platformApis })),
  ]);
  const view = (p: ParsedObject): ViewedObject =>
    viewed.get(p) ?? { type: 'unknown' };

  /** The bounds of the HPA in git that scales a workload, if one does. */
  const hpaBounds = (workload: KubernetesObject) => {
    const hpa = gitView.horizontalPodAutoscalers.find(candidate => {
      const namespace = candidate.source.object.metadata.namespace;
      return (
        candidate.target?.kind === workload.kind &&
        candidate.target.name === workload.metadata.name &&
        (namespace === undefined ||
          workload.metadata.namespace === undefined ||
          namespace === workload.metadata.namespace)
      );
    });
    return hpa && { min: hpa.minReplicas, max: hpa.maxReplicas };
  };

  const liveMatch = (object: KubernetesObject) => {
    if (object.metadata.namespace !== undefined) {
      return liveByKey.get(fullKey(object));
    }
    const candidates = liveByName.get(nameKey(object)) ?? [];
    return candidates.length === 1 ? candidates[0] : undefined;
  };

  const objects: ObjectDrift[] = [];
  const matched = new Set<ParsedObject>();
  for (const parsed of git) {
    const { object } = parsed;
    const match = liveMatch(object);
    const gitViewed = view(parsed);
    const known = gitViewed.type !== 'unknown';
    if (!match) {
      objects.push({
        ...refOf(object),
        status: 'missing-in-cluster',
        path: parsed.path,
        known,
        differences: [],
      });
      continue;
    }
    matched.add(match);
    const differences = fieldDifferences(gitViewed, view(match), {
      hpaBounds: hpaBounds(object),
    });
    objects.push({
      ...refOf(
        object,
        object.metadata.namespace ?? match.object.metadata.namespace,
      ),
      status: differences.length ? 'different' : 'in-sync',
      path: parsed.path,
      known,
      differences,
    });
  }
  for (const parsed of live) {
    if (matched.has(parsed) || isChild(parsed.object)) continue;
    objects.push({
      ...refOf(parsed.object),
      status: 'not-in-git',
      known: view(parsed).type !== 'unknown',
      differences: [],
    });
  }

  const summary = emptySummary();
  for (const o of objects) summary[o.status] += 1;
  return { objects, summary };
}
