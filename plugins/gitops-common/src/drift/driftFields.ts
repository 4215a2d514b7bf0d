import type { DriftDifference } from '../api';
import type {
  ClaimView,
  ContainerView,
  HorizontalPodAutoscalerView,
  ManifestView,
  PodDisruptionBudgetView,
  ServiceView,
  WorkloadView,
} from '../parse/manifestView';
import type { ParsedObject } from '../parse/parseManifests';
import { sameQuantity } from './quantity';

/*
 * The fields of an object that matter for drift, read from the typed views
 * of manifestView on both sides: what the GitOps actions write and the
 * scorecard reads. Everything else the API server adds (status, uid,
 * defaults of fields no one sets) is not compared.
 */

/** An object as the parsers see it: a typed view, a known kind without one, or an unknown kind. */
export type ViewedObject =
  | { type: 'workload'; view: WorkloadView }
  | { type: 'service'; view: ServiceView }
  | { type: 'hpa'; view: HorizontalPodAutoscalerView }
  | { type: 'pdb'; view: PodDisruptionBudgetView }
  | { type: 'claim'; view: ClaimView }
  /** Known, compared by presence only. */
  | { type: 'presence' }
  | { type: 'unknown' };

/** Each object of a view, by the parsed object it was read from. */
export function viewedObjects(
  view: ManifestView,
): Map<ParsedObject, ViewedObject> {
  const viewed = new Map<ParsedObject, ViewedObject>();
  const add = (source: ParsedObject, v: ViewedObject) => viewed.set(source, v);
  view.workloads.forEach(v => add(v.source, { type: 'workload', view: v }));
  view.services.forEach(v => add(v.source, { type: 'service', view: v }));
  view.horizontalPodAutoscalers.forEach(v =>
    add(v.source, { type: 'hpa', view: v }),
  );
  view.podDisruptionBudgets.forEach(v =>
    add(v.source, { type: 'pdb', view: v }),
  );
  view.claims.forEach(v => add(v.source, { type: 'claim', view: v }));
  [
    ...view.networkPolicies,
    ...view.monitors,
    ...view.externalSecrets,
    ...view.secrets,
    ...view.applications,
  ].forEach(v => add(v.source, { type: 'presence' }));
  view.others.forEach(source => add(source, { type: 'presence' }));
  view.unknown.forEach(source => add(source, { type: 'unknown' }));
  return viewed;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep equality of JSON values, whatever the order of keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => sameJson(item, b[i]))
    );
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every(key => sameJson(a[key], b[key]));
  }
  return a === b;
}

/** The fields the API server fills in on every probe it is given. */
const PROBE_DEFAULTS = {
  initialDelaySeconds: 0,
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
};

function probeWithDefaults(probe: Record<string, unknown> | undefined) {
  if (!probe) return undefined;
  return {
    ...PROBE_DEFAULTS,
    ...probe,
    ...(isRecord(probe.httpGet)
      ? { httpGet: { scheme: 'HTTP', ...probe.httpGet } }
      : {}),
    ...(isRecord(probe.grpc) ? { grpc: { service: '', ...probe.grpc } } : {}),
  };
}

type Differences = DriftDifference[];

function containerDifferences(
  field: 'containers' | 'initContainers',
  git: ContainerView[],
  cluster: ContainerView[],
  out: Differences,
) {
  const names = [...new Set([...git, ...cluster].map(c => c.name))];
  for (const name of names) {
    const g = git.find(c => c.name === name);
    const c = cluster.find(x => x.name === name);
    const at = `${field}[${name}]`;
    if (!g || !c) {
      const summary = (v?: ContainerView) =>
        v ? { name: v.name, image: v.image } : undefined;
      out.push({ field: at, git: summary(g), cluster: summary(c) });
      continue;
    }
    if (g.image !== c.image) {
      out.push({ field: `${at}.image`, git: g.image, cluster: c.image });
    }
    for (const set of ['requests', 'limits'] as const) {
      for (const resource of ['cpu', 'memory'] as const) {
        const [gq, cq] = [g[set][resource], c[set][resource]];
        if (!sameQuantity(gq, cq)) {
          out.push({
            field: `${at}.resources.${set}.${resource}`,
            git: gq,
            cluster: cq,
          });
        }
      }
    }
    for (const probe of ['readiness', 'liveness', 'startup'] as const) {
      const [gp, cp] = [g.probes[probe], c.probes[probe]];
      if (!sameJson(probeWithDefaults(gp), probeWithDefaults(cp))) {
        out.push({ field: `${at}.${probe}Probe`, git: gp, cluster: cp });
      }
    }
  }
}

/** The replica range of the HPA in git that scales a workload. */
export type HpaBounds = { min: number; max?: number };

function workloadDifferences(
  git: WorkloadView,
  cluster: WorkloadView,
  hpaBounds: HpaBounds | undefined,
  out: Differences,
) {
  if (hpaBounds) {
    // The HPA changes the replicas within its bounds, so only a count it
    // would never set (someone scaled by hand, or the HPA is not running)
    // is drift; git's side shows the range.
    const replicas = cluster.replicas;
    if (
      replicas !== undefined &&
      (replicas < hpaBounds.min ||
        (hpaBounds.max !== undefined && replicas > hpaBounds.max))
    ) {
      out.push({
        field: 'spec.replicas',
        git: `${hpaBounds.min}–${
          hpaBounds.max ?? '∞'
        } (HorizontalPodAutoscaler)`,
        cluster: replicas,
      });
    }
  } else if (git.replicas !== cluster.replicas) {
    out.push({
      field: 'spec.replicas',
      git: git.replicas,
      cluster: cluster.replicas,
    });
  }
  if (git.schedule !== cluster.schedule) {
    out.push({
      field: 'spec.schedule',
      git: git.schedule,
      cluster: cluster.schedule,
    });
  }
  containerDifferences('containers', git.containers, cluster.containers, out);
  containerDifferences(
    'initContainers',
    git.initContainers,
    cluster.initContainers,
    out,
  );
}

/** The API server sets a port's targetPort to its port when left out. */
const comparablePorts = (ports: ServiceView['ports']) =>
  ports
    .map(p => ({
      name: p.name,
      port: p.port,
      targetPort: p.targetPort ?? p.port,
    }))
    .sort((a, b) => a.port - b.port);

/** Pushes a difference when a field's values differ. */
function compare(
  out: Differences,
  field: string,
  git: unknown,
  cluster: unknown,
) {
  if (!sameJson(git, cluster)) out.push({ field, git, cluster });
}

/**
 * The fields that differ between an object in git and in the cluster, both
 * read by the same parser. `hpaBounds`: a HorizontalPodAutoscaler in git
 * scales the workload, so its replicas are the HPA's to change within them.
 */
export function fieldDifferences(
  git: ViewedObject,
  cluster: ViewedObject,
  options: { hpaBounds?: HpaBounds },
): DriftDifference[] {
  const out: Differences = [];
  if (git.type === 'workload' && cluster.type === 'workload') {
    workloadDifferences(git.view, cluster.view, options.hpaBounds, out);
  } else if (git.type === 'hpa' && cluster.type === 'hpa') {
    compare(
      out,
      'spec.minReplicas',
      git.view.minReplicas,
      cluster.view.minReplicas,
    );
    compare(
      out,
      'spec.maxReplicas',
      git.view.maxReplicas,
      cluster.view.maxReplicas,
    );
  } else if (git.type === 'pdb' && cluster.type === 'pdb') {
    compare(
      out,
      'spec.minAvailable',
      git.view.minAvailable,
      cluster.view.minAvailable,
    );
    compare(
      out,
      'spec.maxUnavailable',
      git.view.maxUnavailable,
      cluster.view.maxUnavailable,
    );
  } else if (git.type === 'service' && cluster.type === 'service') {
    compare(out, 'spec.type', git.view.type, cluster.view.type);
    if (
      !sameJson(
        comparablePorts(git.view.ports),
        comparablePorts(cluster.view.ports),
      )
    ) {
      out.push({
        field: 'spec.ports',
        git: git.view.ports,
        cluster: cluster.view.ports,
      });
    }
  } else if (git.type === 'claim' && cluster.type === 'claim') {
    const [g, c] = [git.view.parameters, cluster.view.parameters];
    for (const name of new Set([...Object.keys(g), ...Object.keys(c)])) {
      compare(out, `parameters.${name}`, g[name], c[name]);
    }
  }
  return out;
}
