import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ClusterError } from '@causeway/plugin-gitops-common';
import {
  ApiException,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  ObservableMiddleware,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';
import { ClusterAction, clusterError } from './clusterError';
import { ClusterConfig, readClusterConfigs } from './readClusterConfigs';

/** A resource type to read; apiVersion is 'v1' (core) or 'group/version'. */
export type ResourceType = { apiVersion: string; kind: string; plural: string };

/** One cluster's answer: a value, or why there is none. */
export type ClusterAnswer<T> = {
  cluster: string;
  value?: T;
  error?: ClusterError;
};

/** A named object to get. */
export type ObjectToGet = ResourceType & { namespace: string; name: string };

export type KubernetesClustersOptions = {
  /** How long one request may take; 5 seconds by default. */
  timeoutMs?: number;
};

type KubernetesItem = Record<string, unknown>;
type Client = { name: string; api: CustomObjectsApi };

const splitApiVersion = (apiVersion: string) => {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : {
        group: apiVersion.slice(0, slash),
        version: apiVersion.slice(slash + 1),
      };
};

/** deployments.apps, pods: the name RBAC messages use. */
const resourceName = (type: ResourceType) => {
  const { group } = splitApiVersion(type.apiVersion);
  return group ? `${type.plural}.${group}` : type.plural;
};

const notFound = (error: unknown) =>
  error instanceof ApiException && error.code === 404;

/**
 * CustomObjectsApi builds /apis/GROUP/VERSION paths for any plural; with
 * the core group's empty name that is /apis//v1/..., which this middleware
 * turns into the core API's /api/v1/... so that one client reads every type
 * as raw JSON (the typed clients would turn timestamps into Dates).
 */
const corePaths: ObservableMiddleware = {
  pre: (context: RequestContext) => {
    const url = new URL(context.getUrl());
    if (url.pathname.includes('/apis//')) {
      url.pathname = url.pathname.replace('/apis//', '/api/');
      context.setUrl(url.toString());
    }
    return new Observable(Promise.resolve(context));
  },
  post: (response: ResponseContext) =>
    new Observable(Promise.resolve(response)),
};

/**
 * The configured clusters (kubernetes.clusterLocatorMethods of type config
 * with service account tokens), read for the GitOps views: every call asks
 * all clusters in parallel and answers per cluster, so that a cluster that
 * fails (refused token, RBAC, timeout, unreachable) is an error in its own
 * answer while the others still count. Each failing cluster is logged once
 * per call, by name and status, never with its token.
 */
export class KubernetesClusters {
  readonly #clients: Client[];
  readonly #logger: LoggerService;
  readonly #timeoutMs: number;

  constructor(
    options: {
      clusters: ClusterConfig[];
      logger: LoggerService;
    } & KubernetesClustersOptions,
  ) {
    this.#logger = options.logger;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#clients = options.clusters.map(cluster => {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromClusterAndUser(
        {
          name: cluster.name,
          server: cluster.url,
          caData: cluster.caData,
          // client-node refuses http:// unless TLS checks are off, and
          // there are none over plain HTTP; the Kubernetes plugin allows it.
          skipTLSVerify:
            (cluster.skipTLSVerify ?? false) || cluster.url.startsWith('http:'),
        },
        {
          name: `${cluster.name}-causeway`,
          token: cluster.serviceAccountToken,
        },
      );
      return {
        name: cluster.name,
        api: kubeConfig.makeApiClient(CustomObjectsApi),
      };
    });
  }

  /** The clusters of `kubernetes.clusterLocatorMethods` Causeway can read. */
  static fromConfig(
    config: Config,
    logger: LoggerService,
    options?: KubernetesClustersOptions,
  ): KubernetesClusters {
    return new KubernetesClusters({
      clusters: readClusterConfigs(config, logger),
      logger,
      ...options,
    });
  }

  /** The clusters' names, in the order of the answers. */
  get names(): string[] {
    return this.#clients.map(c => c.name);
  }

  /**
   * Objects of these types with the label selector, in one namespace or
   * all; one list call per type per cluster, in parallel. A type the cluster
   * does not serve (404: its CRD is not installed) is empty, not an error;
   * any other failure makes that cluster's answer an error. Items get
   * apiVersion and kind filled in, which the API server leaves out of the
   * list items of built-in types.
   */
  async list(request: {
    types: ResourceType[];
    labelSelector: string;
    namespace?: string;
  }): Promise<Array<ClusterAnswer<KubernetesItem[]>>> {
    return Promise.all(
      this.#clients.map(client =>
        this.#answer(
          client,
          request.types.map(type => ({
            action: { verb: 'list' as const, resource: resourceName(type) },
            run: () => this.#list(client, type, request),
            onNotFound: (): KubernetesItem[] => [],
          })),
          lists => lists.flat(),
        ),
      ),
    );
  }

  /** Named objects (claims); a 404 is `undefined` in the array, not an error. */
  async get(request: {
    objects: ObjectToGet[];
  }): Promise<Array<ClusterAnswer<Array<KubernetesItem | undefined>>>> {
    return Promise.all(
      this.#clients.map(client =>
        this.#answer(
          client,
          request.objects.map(object => ({
            action: { verb: 'get' as const, resource: resourceName(object) },
            run: () => this.#get(client, object),
            onNotFound: (): KubernetesItem | undefined => undefined,
          })),
          objects => objects,
        ),
      ),
    );
  }

  /** Runs a cluster's calls together; the first failure (but 404) is its error. */
  async #answer<T, V>(
    client: Client,
    calls: Array<{
      action: ClusterAction;
      run: () => Promise<T>;
      onNotFound: () => T;
    }>,
    combine: (results: T[]) => V,
  ): Promise<ClusterAnswer<V>> {
    const settled = await Promise.allSettled(
      calls.map(call =>
        call.run().catch(error => {
          if (notFound(error)) return call.onNotFound();
          throw error;
        }),
      ),
    );
    const index = settled.findIndex(s => s.status === 'rejected');
    if (index >= 0) {
      const error = clusterError(
        client.name,
        calls[index].action,
        (settled[index] as PromiseRejectedResult).reason,
        this.#timeoutMs,
      );
      this.#logger.warn(`Kubernetes ${error.message}; its answer is left out`);
      return { cluster: client.name, error };
    }
    return {
      cluster: client.name,
      value: combine(settled.map(s => (s as PromiseFulfilledResult<T>).value)),
    };
  }

  /** Per call: a timeout from the moment the request is sent. */
  #options() {
    const timeout: ObservableMiddleware = {
      pre: (context: RequestContext) => {
        context.setSignal(AbortSignal.timeout(this.#timeoutMs));
        return new Observable(Promise.resolve(context));
      },
      post: (response: ResponseContext) =>
        new Observable(Promise.resolve(response)),
    };
    return {
      middleware: [corePaths, timeout],
      middlewareMergeStrategy: 'append' as const,
    };
  }

  async #list(
    client: Client,
    type: ResourceType,
    request: { labelSelector: string; namespace?: string },
  ): Promise<KubernetesItem[]> {
    const { group, version } = splitApiVersion(type.apiVersion);
    const { labelSelector, namespace } = request;
    const params = { group, version, plural: type.plural, labelSelector };
    const list: { items?: KubernetesItem[] } =
      namespace === undefined
        ? await client.api.listClusterCustomObject(params, this.#options())
        : await client.api.listNamespacedCustomObject(
            { ...params, namespace },
            this.#options(),
          );
    return (list.items ?? []).map(item => ({
      apiVersion: type.apiVersion,
      kind: type.kind,
      ...item,
    }));
  }

  async #get(client: Client, object: ObjectToGet): Promise<KubernetesItem> {
    const { group, version } = splitApiVersion(object.apiVersion);
    const found: KubernetesItem = await client.api.getNamespacedCustomObject(
      {
        group,
        version,
        namespace: object.namespace,
        plural: object.plural,
        name: object.name,
      },
      this.#options(),
    );
    return { apiVersion: object.apiVersion, kind: object.kind, ...found };
  }
}
