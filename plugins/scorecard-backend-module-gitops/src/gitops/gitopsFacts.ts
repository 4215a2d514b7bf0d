import {
  ClaimView,
  ContainerView,
  ParsedManifestFile,
  PlatformApi,
  viewManifests,
} from '@causeway/plugin-gitops-common';
import { FactDefinition, Facts } from '@causeway/plugin-scorecard-common';
import { factOf } from '../factDefinition';

const fact = factOf('gitops');

/** What the GitOps provider reports about a service's folder and claims. */
export const GITOPS_FACTS: FactDefinition[] = [
  fact(
    'hasManifests',
    'boolean',
    'The causeway.dev/gitops-path folder holds at least one Kubernetes object; false for an entity without the annotation (which gets no other gitops fact).',
  ),
  fact(
    'objectKinds',
    'string[]',
    "The kinds of the folder's objects, sorted, each once.",
  ),
  fact(
    'replicas',
    'number',
    "The Deployment's (or StatefulSet's) spec.replicas, 1 when unset; null for a CronJob or no workload.",
  ),
  fact(
    'hpaMinReplicas',
    'number',
    "The HorizontalPodAutoscaler's minReplicas (1 when unset); null without one.",
  ),
  fact(
    'hpaMaxReplicas',
    'number',
    "The HorizontalPodAutoscaler's maxReplicas; null without one.",
  ),
  fact('hasPodDisruptionBudget', 'boolean', 'A PodDisruptionBudget.'),
  fact('hasNetworkPolicy', 'boolean', 'A NetworkPolicy.'),
  fact(
    'hasServiceMonitor',
    'boolean',
    'A ServiceMonitor or PodMonitor (Prometheus Operator).',
  ),
  fact('hasArgoApplication', 'boolean', 'An Argo CD Application.'),
  fact(
    'imagesPinnedByDigest',
    'boolean',
    'Every container image (init containers too) is REPOSITORY@sha256:DIGEST; null without containers.',
  ),
  fact(
    'unpinnedImageCount',
    'number',
    'Containers (init containers too) whose image is not pinned by digest; null without containers.',
  ),
  fact(
    'containersWithoutRequests',
    'number',
    'Containers without both a CPU and a memory request; null without containers.',
  ),
  fact(
    'containersWithoutLimits',
    'number',
    'Containers without both a CPU and a memory limit; null without containers.',
  ),
  fact(
    'containersWithoutReadinessProbe',
    'number',
    "Containers of long-running workloads (not a Job's or CronJob's) without a readinessProbe; null without any.",
  ),
  fact(
    'containersWithoutLivenessProbe',
    'number',
    'Containers of long-running workloads without a livenessProbe; null without any.',
  ),
  fact(
    'runsAsNonRoot',
    'boolean',
    "Every container runs as non-root (runAsNonRoot, or a runAsUser other than 0, its own or the pod's); null without containers.",
  ),
  fact(
    'readOnlyRootFilesystem',
    'boolean',
    'Every container has readOnlyRootFilesystem: true; null without containers.',
  ),
  fact(
    'dropsAllCapabilities',
    'boolean',
    'Every container drops ALL capabilities; null without containers.',
  ),
  fact(
    'privilegeEscalationDisabled',
    'boolean',
    'Every container sets allowPrivilegeEscalation: false; null without containers.',
  ),
  fact(
    'plainSecretCount',
    'number',
    'Secrets written in git: kind Secret objects, and env values that look like credentials (a name such as *_PASSWORD, *_TOKEN or *_API_KEY, or a value such as a private key or a URL with a password).',
  ),
  fact('externalSecretCount', 'number', 'ExternalSecret objects.'),
  fact(
    'databaseClaimCount',
    'number',
    "Database claims (platform APIs of resource type database) in its namespace's infrastructure folder that are part-of it (label app.kubernetes.io/part-of).",
  ),
  fact(
    'databaseClaimsWithoutDeletionProtection',
    'number',
    "Its database claims whose deletionProtection is not true (the API's default counts).",
  ),
  fact(
    'databaseClaimsWithoutBackups',
    'number',
    "Its database claims whose backupRetentionDays is not 1 or more (the API's default counts).",
  ),
  fact(
    'unknownObjectCount',
    'number',
    'Objects of kinds the platform does not know in the folder.',
  ),
  fact(
    'manifestProblemCount',
    'number',
    'YAML documents in the folder that do not parse or are not Kubernetes objects.',
  ),
];

const CREDENTIAL_NAME =
  /(^|_)(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH)(_|$)/i;
const CREDENTIAL_VALUE = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, // scheme://user:password@host
  /\bAKIA[0-9A-Z]{16}\b/, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, // GitHub token
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, // Slack token
];

/** An env var set in git to something that looks like a credential. */
const isPlainCredential = (env: ContainerView['env'][number]) =>
  env.value !== undefined &&
  env.value !== '' &&
  (CREDENTIAL_NAME.test(env.name) ||
    CREDENTIAL_VALUE.some(re => re.test(env.value!)));

/** What the facts need of a container. */
type ContainerSummary = Pick<
  ContainerView,
  | 'imagePinnedByDigest'
  | 'readinessProbe'
  | 'livenessProbe'
  | 'runsAsNonRoot'
  | 'readOnlyRootFilesystem'
  | 'privilegeEscalationDisabled'
  | 'dropsAllCapabilities'
> & { hasRequests: boolean; hasLimits: boolean; plainCredentials: number };

/** What the facts need of a claim. */
export type ClaimSummary = {
  partOf?: string;
  database: boolean;
  deletionProtection: boolean;
  backups: boolean;
};

/**
 * What the facts need of one file: a few numbers and flags, kept by blob id
 * in place of its objects, which take a hundred times the memory.
 */
export type FileSummary = {
  kinds: string[];
  problems: number;
  workloads: Array<{
    name: string;
    replicas?: number;
    longRunning: boolean;
    containers: ContainerSummary[];
    initContainers: ContainerSummary[];
  }>;
  autoscalers: Array<{ min: number; max?: number; target?: string }>;
  podDisruptionBudgets: number;
  networkPolicies: number;
  monitors: number;
  applications: number;
  externalSecrets: number;
  secrets: number;
  unknown: number;
  claims: ClaimSummary[];
};

/**
 * A copy of a string that holds only its own characters. Strings cut from a
 * larger one (a YAML file, a tree listing) can keep all of it alive; what is
 * kept for as long as the file is must not.
 */
export const ownString = (text: string) =>
  Buffer.from(text, 'utf8').toString('utf8');
const own = (text: string | undefined) =>
  text === undefined ? undefined : ownString(text);

const kinds = new Map<string, string>();
/** Kinds are few: one copy of each. */
const kindOf = (kind: string) => {
  let known = kinds.get(kind);
  if (known === undefined) {
    known = ownString(kind);
    kinds.set(known, known);
  }
  return known;
};

const containerSummary = (c: ContainerView): ContainerSummary => ({
  imagePinnedByDigest: c.imagePinnedByDigest,
  readinessProbe: c.readinessProbe,
  livenessProbe: c.livenessProbe,
  runsAsNonRoot: c.runsAsNonRoot,
  readOnlyRootFilesystem: c.readOnlyRootFilesystem,
  privilegeEscalationDisabled: c.privilegeEscalationDisabled,
  dropsAllCapabilities: c.dropsAllCapabilities,
  hasRequests: !!c.requests.cpu && !!c.requests.memory,
  hasLimits: !!c.limits.cpu && !!c.limits.memory,
  plainCredentials: c.env.filter(isPlainCredential).length,
});

const claimSummary = (c: ClaimView): ClaimSummary => ({
  partOf: own(c.partOf),
  database: c.api.resourceType === 'database',
  deletionProtection: c.parameters.deletionProtection === true,
  backups:
    typeof c.parameters.backupRetentionDays === 'number' &&
    c.parameters.backupRetentionDays >= 1,
});

/** Reads a parsed file into what the facts need of it. */
export function summarizeFile(
  parsed: ParsedManifestFile,
  platformApis: PlatformApi[],
): FileSummary {
  const view = viewManifests(parsed.objects, { platformApis });
  return {
    kinds: parsed.objects.map(o => kindOf(o.object.kind)),
    problems: parsed.problems.length,
    workloads: view.workloads.map(w => ({
      name: ownString(w.name),
      replicas: w.replicas,
      longRunning: w.longRunning,
      containers: w.containers.map(containerSummary),
      initContainers: w.initContainers.map(containerSummary),
    })),
    autoscalers: view.horizontalPodAutoscalers.map(h => ({
      min: h.minReplicas,
      max: h.maxReplicas,
      target: own(h.target?.name),
    })),
    podDisruptionBudgets: view.podDisruptionBudgets.length,
    networkPolicies: view.networkPolicies.length,
    monitors: view.monitors.length,
    applications: view.applications.length,
    externalSecrets: view.externalSecrets.length,
    secrets: view.secrets.length,
    unknown: view.unknown.length,
    claims: view.claims.map(claimSummary),
  };
}

/** How many containers fail a test; null when there are none. */
const countWithout = (
  containers: ContainerSummary[],
  ok: (c: ContainerSummary) => boolean,
): number | null =>
  containers.length ? containers.filter(c => !ok(c)).length : null;

const everyContainer = (
  containers: ContainerSummary[],
  ok: (c: ContainerSummary) => boolean,
): boolean | null => (containers.length ? containers.every(ok) : null);

const sum = (files: FileSummary[], count: (f: FileSummary) => number) =>
  files.reduce((total, f) => total + count(f), 0);

/**
 * The facts of a service's folder, from its files. A folder without
 * objects has no facts of what it would run.
 */
export function folderFacts(files: FileSummary[]): Facts {
  const objectKinds = [...new Set(files.flatMap(f => f.kinds))].sort();
  const problems = sum(files, f => f.problems);
  if (objectKinds.length === 0) {
    return {
      'gitops.hasManifests': false,
      'gitops.objectKinds': [],
      'gitops.manifestProblemCount': problems,
    };
  }
  const workloads = files.flatMap(f => f.workloads);
  const main = workloads.flatMap(w => w.containers);
  const all = workloads.flatMap(w => [...w.initContainers, ...w.containers]);
  const longRunning = workloads
    .filter(w => w.longRunning)
    .flatMap(w => w.containers);
  const scaled = workloads.find(w => w.replicas !== undefined);
  const autoscalers = files.flatMap(f => f.autoscalers);
  const autoscaler =
    autoscalers.find(a => scaled && a.target === scaled.name) ?? autoscalers[0];
  return {
    'gitops.hasManifests': true,
    'gitops.objectKinds': objectKinds,
    'gitops.replicas': scaled?.replicas ?? null,
    'gitops.hpaMinReplicas': autoscaler?.min ?? null,
    'gitops.hpaMaxReplicas': autoscaler?.max ?? null,
    'gitops.hasPodDisruptionBudget':
      sum(files, f => f.podDisruptionBudgets) > 0,
    'gitops.hasNetworkPolicy': sum(files, f => f.networkPolicies) > 0,
    'gitops.hasServiceMonitor': sum(files, f => f.monitors) > 0,
    'gitops.hasArgoApplication': sum(files, f => f.applications) > 0,
    'gitops.imagesPinnedByDigest': everyContainer(
      all,
      c => c.imagePinnedByDigest,
    ),
    'gitops.unpinnedImageCount': countWithout(all, c => c.imagePinnedByDigest),
    'gitops.containersWithoutRequests': countWithout(main, c => c.hasRequests),
    'gitops.containersWithoutLimits': countWithout(main, c => c.hasLimits),
    'gitops.containersWithoutReadinessProbe': countWithout(
      longRunning,
      c => c.readinessProbe,
    ),
    'gitops.containersWithoutLivenessProbe': countWithout(
      longRunning,
      c => c.livenessProbe,
    ),
    'gitops.runsAsNonRoot': everyContainer(all, c => c.runsAsNonRoot),
    'gitops.readOnlyRootFilesystem': everyContainer(
      all,
      c => c.readOnlyRootFilesystem,
    ),
    'gitops.dropsAllCapabilities': everyContainer(
      all,
      c => c.dropsAllCapabilities,
    ),
    'gitops.privilegeEscalationDisabled': everyContainer(
      all,
      c => c.privilegeEscalationDisabled,
    ),
    'gitops.plainSecretCount':
      sum(files, f => f.secrets) +
      all.reduce((total, c) => total + c.plainCredentials, 0),
    'gitops.externalSecretCount': sum(files, f => f.externalSecrets),
    'gitops.unknownObjectCount': sum(files, f => f.unknown),
    'gitops.manifestProblemCount': problems,
  };
}

/** The facts of the database claims that are part of a service. */
export function claimFacts(claims: ClaimSummary[]): Facts {
  const databases = claims.filter(c => c.database);
  return {
    'gitops.databaseClaimCount': databases.length,
    'gitops.databaseClaimsWithoutDeletionProtection': databases.filter(
      c => !c.deletionProtection,
    ).length,
    'gitops.databaseClaimsWithoutBackups': databases.filter(c => !c.backups)
      .length,
  };
}

/** What an entity without a GitOps folder gets. */
export const NO_GITOPS_FACTS: Facts = { 'gitops.hasManifests': false };
