import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  Observable,
  ObservableMiddleware,
  RequestContext,
  ResponseContext,
  V1Deployment,
  V1Pod,
} from '@kubernetes/client-node';
import { FactDefinition, Facts } from '@causeway/plugin-scorecard-common';
import { FactProvider } from '@causeway/plugin-scorecard-node';

/** The label on a service's workloads, and the annotation naming it. */
export const KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** Limits a service's workloads to one namespace when set. */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/** A cluster as the Kubernetes plugin's config locator describes it. */
export type ClusterConfig = {
  name: string;
  url: string;
  serviceAccountToken: string;
  caData?: string;
  skipTLSVerify?: boolean;
};

const fact = (
  name: string,
  type: FactDefinition['type'],
  description: string,
): FactDefinition => ({ name: `cluster.${name}`, type, description });

/** What the cluster provider reports about a service's live workloads. */
export const CLUSTER_FACTS: FactDefinition[] = [
  fact(
    'configured',
    'boolean',
    'At least one cluster is configured (kubernetes.clusterLocatorMethods, type config, serviceAccount auth); when false, no other cluster fact is reported.',
  ),
  fact(
    'reachable',
    'boolean',
    'Every configured cluster answered the last list calls.',
  ),
  fact(
    'deployed',
    'boolean',
    "A Deployment labelled backstage.io/kubernetes-id with the entity's id exists in a cluster that answered (in its backstage.io/kubernetes-namespace when set); false without the annotation, null when no cluster answered.",
  ),
  fact(
    'desiredReplicas',
    'number',
    "The Deployments' spec.replicas (1 when unset), summed over clusters; null when not deployed.",
  ),
  fact(
    'availableReplicas',
    'number',
    "The Deployments' status.availableReplicas, summed over clusters; null when not deployed.",
  ),
  fact(
    'unavailableReplicas',
    'number',
    "The Deployments' status.unavailableReplicas (at least desired minus available), summed over clusters; null when not deployed.",
  ),
  fact(
    'podRestarts',
    'number',
    "The restartCount of every container (init containers too) of the service's pods, summed; null when not deployed.",
  ),
  fact(
    'podsNotReady',
    'number',
    'Pods of the service (not completed ones) whose Ready condition is not True; null when not deployed.',
  ),
];

const NOT_CONFIGURED: Facts = { 'cluster.configured': false };

/**
 * The clusters of `kubernetes.clusterLocatorMethods` that this provider can
 * read: entries of type config whose clusters authenticate with a service
 * account token. Anything else is skipped with one log line.
 */
export function readClusterConfigs(
  config: Config,
  logger: LoggerService,
): ClusterConfig[] {
  const clusters: ClusterConfig[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const method of methods) {
    const type = method.getString('type');
    if (type !== 'config') {
      logger.info(
        `Scorecard cluster facts skip the cluster locator of type ${type}: only type config is read`,
      );
      continue;
    }
    for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
      const name = cluster.getString('name');
      const authMetadata =
        cluster.getOptional<Record<string, unknown>>('authMetadata');
      const authProvider =
        cluster.getOptionalString('authProvider') ??
        (authMetadata?.['kubernetes.io/auth-provider'] as string | undefined);
      const token = cluster.getOptionalString('serviceAccountToken');
      if (authProvider !== 'serviceAccount' || !token) {
        logger.info(
          `Scorecard cluster facts skip cluster ${name}: only authProvider serviceAccount with a serviceAccountToken is supported (got ${
            authProvider ?? 'none'
          })`,
        );
        continue;
      }
      clusters.push({
        name,
        url: cluster.getString('url'),
        serviceAccountToken: token,
        caData: cluster.getOptionalString('caData'),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify'),
      });
    }
  }
  return clusters;
}

type ClusterClient = { name: string; apps: AppsV1Api; core: CoreV1Api };

type Workloads = {
  /** By kubernetes-id label value. */
  deployments: Map<string, V1Deployment[]>;
  pods: Map<string, V1Pod[]>;
};

function indexById<
  T extends { metadata?: { labels?: Record<string, string> } },
>(items: T[]): Map<string, T[]> {
  const byId = new Map<string, T[]>();
  for (const item of items) {
    const id = item.metadata?.labels?.[KUBERNETES_ID];
    if (id === undefined) continue;
    const list = byId.get(id);
    if (list) list.push(item);
    else byId.set(id, [item]);
  }
  return byId;
}

/** An HTTP status, or what failed when there was no answer; never a secret. */
function describeFailure(error: unknown): string {
  const e = error as { code?: unknown; name?: string; type?: string };
  if (typeof e?.code === 'number') return `HTTP ${e.code}`;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') {
    return 'timed out';
  }
  if (typeof e?.code === 'string') return e.code; // ECONNREFUSED, CERT_...
  return e?.name ?? 'error';
}

/**
 * Facts about a service's live workloads in the configured clusters. Each
 * collect call lists, once per cluster, the Deployments and the Pods of all
 * namespaces that carry the backstage.io/kubernetes-id label, and answers
 * every entity from that index: no call is made per entity. A cluster that
 * fails is logged once (its name and status) and makes cluster.reachable
 * false; the facts of the other clusters still count.
 */
export class ClusterFactProvider implements FactProvider {
  readonly id = 'cluster';
  readonly facts = CLUSTER_FACTS;
  readonly #clusters: ClusterClient[];
  readonly #logger: LoggerService;
  readonly #timeoutMs: number;

  constructor(options: {
    clusters: ClusterConfig[];
    logger: LoggerService;
    /** How long one list call may take; 5 seconds by default. */
    timeoutMs?: number;
  }) {
    this.#logger = options.logger;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#clusters = options.clusters.map(cluster => {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromClusterAndUser(
        {
          name: cluster.name,
          server: cluster.url,
          caData: cluster.caData,
          skipTLSVerify: cluster.skipTLSVerify ?? false,
        },
        {
          name: `${cluster.name}-scorecard`,
          token: cluster.serviceAccountToken,
        },
      );
      return {
        name: cluster.name,
        apps: kubeConfig.makeApiClient(AppsV1Api),
        core: kubeConfig.makeApiClient(CoreV1Api),
      };
    });
  }

  async collect(entities: Entity[]): Promise<Map<string, Facts>> {
    const result = new Map<string, Facts>();
    if (this.#clusters.length === 0) {
      for (const entity of entities) {
        result.set(stringifyEntityRef(entity), NOT_CONFIGURED);
      }
      return result;
    }
    if (entities.length === 0) return result;

    const answers = await Promise.all(
      this.#clusters.map(cluster => this.#list(cluster)),
    );
    const answered = answers.filter((a): a is Workloads => a !== undefined);
    const reachable = answered.length === this.#clusters.length;

    for (const entity of entities) {
      const ref = stringifyEntityRef(entity);
      const annotations = entity.metadata.annotations ?? {};
      const id = annotations[KUBERNETES_ID]?.trim();
      const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();
      const inNamespace = (o: { metadata?: { namespace?: string } }) =>
        !namespace || o.metadata?.namespace === namespace;

      const deployments = id
        ? answered.flatMap(a => a.deployments.get(id) ?? []).filter(inNamespace)
        : [];
      const pods = id
        ? answered.flatMap(a => a.pods.get(id) ?? []).filter(inNamespace)
        : [];
      let deployed: boolean | null = deployments.length > 0;
      if (id && answered.length === 0) deployed = null;

      const facts: Record<string, Facts[string]> = {
        'cluster.configured': true,
        'cluster.reachable': reachable,
        'cluster.deployed': deployed,
        'cluster.desiredReplicas': null,
        'cluster.availableReplicas': null,
        'cluster.unavailableReplicas': null,
        'cluster.podRestarts': null,
        'cluster.podsNotReady': null,
      };
      if (deployed) {
        let desired = 0;
        let available = 0;
        let unavailable = 0;
        for (const d of deployments) {
          const want = d.spec?.replicas ?? 1;
          const have = d.status?.availableReplicas ?? 0;
          desired += want;
          available += have;
          unavailable += Math.max(
            d.status?.unavailableReplicas ?? 0,
            want - have,
          );
        }
        let restarts = 0;
        let notReady = 0;
        for (const pod of pods) {
          for (const status of [
            ...(pod.status?.containerStatuses ?? []),
            ...(pod.status?.initContainerStatuses ?? []),
          ]) {
            restarts += status.restartCount ?? 0;
          }
          if (pod.status?.phase === 'Succeeded') continue;
          const ready = pod.status?.conditions?.find(c => c.type === 'Ready');
          if (ready?.status !== 'True') notReady += 1;
        }
        Object.assign(facts, {
          'cluster.desiredReplicas': desired,
          'cluster.availableReplicas': available,
          'cluster.unavailableReplicas': unavailable,
          'cluster.podRestarts': restarts,
          'cluster.podsNotReady': notReady,
        });
      }
      result.set(ref, facts);
    }
    this.#logger.debug(
      `Cluster facts of ${entities.length} entities from ${
        answered.length
      } of ${this.#clusters.length} clusters`,
    );
    return result;
  }

  /** One list call per resource; undefined (logged once) when one fails. */
  async #list(cluster: ClusterClient): Promise<Workloads | undefined> {
    const labelSelector = KUBERNETES_ID;
    const timeout: ObservableMiddleware = {
      pre: (context: RequestContext) => {
        context.setSignal(AbortSignal.timeout(this.#timeoutMs));
        return new Observable(Promise.resolve(context));
      },
      post: (response: ResponseContext) =>
        new Observable(Promise.resolve(response)),
    };
    const options = {
      middleware: [timeout],
      middlewareMergeStrategy: 'append' as const,
    };
    const [deployments, pods] = await Promise.allSettled([
      cluster.apps.listDeploymentForAllNamespaces({ labelSelector }, options),
      cluster.core.listPodForAllNamespaces({ labelSelector }, options),
    ]);
    if (deployments.status === 'rejected' || pods.status === 'rejected') {
      const failure =
        deployments.status === 'rejected' ? deployments.reason : undefined;
      const reason = failure ?? (pods as PromiseRejectedResult).reason;
      this.#logger.warn(
        `Scorecard cluster facts: cluster ${
          cluster.name
        } did not answer (${describeFailure(
          reason,
        )}); its workloads are left out and cluster.reachable is false`,
      );
      return undefined;
    }
    return {
      deployments: indexById(deployments.value.items),
      pods: indexById(pods.value.items),
    };
  }
}
