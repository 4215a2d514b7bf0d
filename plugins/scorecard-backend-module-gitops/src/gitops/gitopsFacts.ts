import {
  ClaimView,
  ContainerView,
  ManifestView,
  ParsedManifestFile,
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

/** How many containers fail a test; null when there are none. */
const countWithout = (
  containers: ContainerView[],
  ok: (c: ContainerView) => boolean,
): number | null =>
  containers.length ? containers.filter(c => !ok(c)).length : null;

const everyContainer = (
  containers: ContainerView[],
  ok: (c: ContainerView) => boolean,
): boolean | null => (containers.length ? containers.every(ok) : null);

/**
 * The facts of a service's folder, from its objects and their typed view.
 * A folder without objects has no facts of what it would run.
 */
export function folderFacts(
  parsed: ParsedManifestFile,
  view: ManifestView,
): Facts {
  if (parsed.objects.length === 0) {
    return {
      'gitops.hasManifests': false,
      'gitops.objectKinds': [],
      'gitops.manifestProblemCount': parsed.problems.length,
    };
  }
  const objectKinds = [...new Set(parsed.objects.map(o => o.object.kind))];
  const main = view.workloads.flatMap(w => w.containers);
  const all = view.workloads.flatMap(w => [
    ...w.initContainers,
    ...w.containers,
  ]);
  const longRunning = view.workloads
    .filter(w => w.longRunning)
    .flatMap(w => w.containers);
  const scaled = view.workloads.find(w => w.replicas !== undefined);
  const hpas = view.horizontalPodAutoscalers;
  const hpa =
    hpas.find(h => scaled && h.target?.name === scaled.name) ?? hpas[0];
  return {
    'gitops.hasManifests': true,
    'gitops.objectKinds': objectKinds.sort(),
    'gitops.replicas': scaled?.replicas ?? null,
    'gitops.hpaMinReplicas': hpa?.minReplicas ?? null,
    'gitops.hpaMaxReplicas': hpa?.maxReplicas ?? null,
    'gitops.hasPodDisruptionBudget': view.podDisruptionBudgets.length > 0,
    'gitops.hasNetworkPolicy': view.networkPolicies.length > 0,
    'gitops.hasServiceMonitor': view.monitors.length > 0,
    'gitops.hasArgoApplication': view.applications.length > 0,
    'gitops.imagesPinnedByDigest': everyContainer(
      all,
      c => c.imagePinnedByDigest,
    ),
    'gitops.unpinnedImageCount': countWithout(all, c => c.imagePinnedByDigest),
    'gitops.containersWithoutRequests': countWithout(
      main,
      c => !!c.requests.cpu && !!c.requests.memory,
    ),
    'gitops.containersWithoutLimits': countWithout(
      main,
      c => !!c.limits.cpu && !!c.limits.memory,
    ),
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
      view.secrets.length +
      all.flatMap(c => c.env).filter(isPlainCredential).length,
    'gitops.externalSecretCount': view.externalSecrets.length,
    'gitops.unknownObjectCount': view.unknown.length,
    'gitops.manifestProblemCount': parsed.problems.length,
  };
}

/** The facts of the database claims that are part of a service. */
export function claimFacts(claims: ClaimView[]): Facts {
  const databases = claims.filter(c => c.api.resourceType === 'database');
  return {
    'gitops.databaseClaimCount': databases.length,
    'gitops.databaseClaimsWithoutDeletionProtection': databases.filter(
      c => c.parameters.deletionProtection !== true,
    ).length,
    'gitops.databaseClaimsWithoutBackups': databases.filter(
      c =>
        !(
          typeof c.parameters.backupRetentionDays === 'number' &&
          c.parameters.backupRetentionDays >= 1
        ),
    ).length,
  };
}

/** What an entity without a GitOps folder gets. */
export const NO_GITOPS_FACTS: Facts = { 'gitops.hasManifests': false };
