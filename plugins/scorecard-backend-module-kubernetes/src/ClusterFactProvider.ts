import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ClusterConfig,
  KubernetesClusters,
  ResourceType,
} from '@causeway/plugin-gitops-node';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { FactDefinition, Facts } from '@causeway/plugin-scorecard-common';
import { FactProvider } from '@causeway/plugin-scorecard-node';

/** The label on a service's workloads, and the annotation naming it. */
export const KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** Limits a service's workloads to one namespace when set. */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

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

const DEPLOYMENTS: ResourceType = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  plural: 'deployments',
};
const PODS: ResourceType = { apiVersion: 'v1', kind: 'Pod', plural: 'pods' };

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
  readonly #clusters: KubernetesClusters;
  readonly #logger: LoggerService;

  constructor(options: {
    clusters: ClusterConfig[];
    logger: LoggerService;
    /** How long one list call may take; 5 seconds by default. */
    timeoutMs?: number;
  }) {
    this.#logger = options.logger;
    this.#clusters = new KubernetesClusters(options);
  }

  async collect(entities: Entity[]): Promise<Map<string, Facts>> {
    const result = new Map<string, Facts>();
    const clusterCount = this.#clusters.names.length;
    if (clusterCount === 0) {
      for (const entity of entities) {
        result.set(stringifyEntityRef(entity), NOT_CONFIGURED);
      }
      return result;
    }
    if (entities.length === 0) return result;

    const answered = await this.#list();
    const reachable = answered.length === clusterCount;

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
      `Cluster facts of ${entities.length} entities from ${answered.length} of ${clusterCount} clusters`,
    );
    return result;
  }

  /**
   * The workloads of the clusters that answered: one list call per resource
   * per cluster; a cluster that fails is logged once by KubernetesClusters
   * and left out, which makes cluster.reachable false.
   */
  async #list(): Promise<Workloads[]> {
    const answers = await this.#clusters.list({
      types: [DEPLOYMENTS, PODS],
      labelSelector: KUBERNETES_ID,
    });
    return answers.flatMap(({ value }) => {
      if (!value) return [];
      // Raw JSON, typed as client-node's models (only numbers are read).
      const deployments = value.filter(
        o => o.kind === DEPLOYMENTS.kind,
      ) as V1Deployment[];
      const pods = value.filter(o => o.kind === PODS.kind) as V1Pod[];
      return [{ deployments: indexById(deployments), pods: indexById(pods) }];
    });
  }
}
