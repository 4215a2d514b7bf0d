import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  coreVersions,
  group,
  groupList,
  resourceList,
  VERSION_INFO,
} from './discovery';
import { InvalidSelector, parseLabelSelector } from './labelSelector';
import { ObjectStore } from './ObjectStore';
import {
  apiVersionOf,
  ResourceDefinition,
  resourceName,
} from './resourceTypes';
import { failure } from './status';
import { KubernetesObject, ObjectReference } from './types';

/** Faults the stand-in can be told to show, per server. */
export type StandInFaults = {
  /**
   * Resources (as RBAC names them: pods, deployments.apps,
   * postgresqlinstances.platform.causeway.dev; '*' for all) whose get and
   * list answer 403 Forbidden.
   */
  forbid?: string[];
  /** Never answer: any request (true), or those of these resources. */
  hang?: boolean | string[];
  /** Resources whose get and list answer 500 InternalError. */
  fail?: string[];
};

export type StandInOptions = StandInFaults & {
  /** 0 (any free port) by default. */
  port?: number;
  /**
   * Require `Authorization: Bearer TOKEN`: a request without it or with
   * another answers 401. Without a token any request is let in.
   */
  token?: string;
  /** The user that 403 messages name. */
  user?: string;
  /** What the cluster holds from the start. */
  objects?: KubernetesObject[];
  /** Custom resource types installed from the start (CRDs). */
  serve?: ResourceDefinition[];
};

/** One request the stand-in received. */
export type RecordedRequest = {
  method: string;
  /** Without the query. */
  path: string;
  labelSelector?: string;
  /** Whether it carried an Authorization header (never its value). */
  authorization: boolean;
};

export type StandInApiServer = {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Every request received, in order; clear it with `requests.length = 0`. */
  requests: RecordedRequest[];
  /** Creates objects; one that exists already throws. */
  add(...objects: KubernetesObject[]): void;
  /** Deletes an object; false when there was none. */
  remove(ref: ObjectReference): boolean;
  /** Updates an object in place; one that does not exist throws. */
  replace(object: KubernetesObject): void;
  /** Installs custom resource types (as applying their CRD would). */
  serve(...types: ResourceDefinition[]): void;
  /** Replaces the faults shown from the next request on. */
  setFaults(faults: StandInFaults): void;
  /** Stops listening and drops every open connection, hanging ones too. */
  close(): Promise<void>;
};

type Route =
  | { type: ResourceDefinition; namespace?: string; name?: string }
  | { document: unknown }
  | undefined;

const NOT_FOUND = failure(
  404,
  'NotFound',
  'the server could not find the requested resource',
);

const matchesAny = (names: string[] | undefined, resource: string) =>
  names?.some(n => n === '*' || n === resource) ?? false;

/** The served type or discovery document a path names. */
function route(store: ObjectStore, path: string): Route {
  const parts = path.split('/').filter(Boolean);
  if (path === '/version') return { document: VERSION_INFO };
  if (path === '/api') return { document: coreVersions() };
  if (path === '/apis') return { document: groupList(store.types) };
  let groupName: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    [groupName, version, rest] = ['', 'v1', parts.slice(2)];
  } else if (parts[0] === 'apis' && parts.length >= 2) {
    if (parts.length === 2) {
      const document = group(store.types, parts[1]);
      return document && { document };
    }
    [groupName, version, rest] = [parts[1], parts[2], parts.slice(3)];
  } else {
    return undefined;
  }
  if (rest.length === 0) {
    const document = resourceList(store.types, groupName, version);
    return document && { document };
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  // Subresources (status, log, scale) are not served.
  if (rest.length > 2) return undefined;
  const type = store.typeAt(groupName, version, rest[0]);
  if (!type) return undefined;
  const namespaced = type.namespaced !== false;
  if (namespace !== undefined && !namespaced) return undefined;
  if (namespace === undefined && namespaced && rest[1] !== undefined) {
    return undefined;
  }
  return { type, namespace, name: rest[1] };
}

/**
 * A STAND-IN for a Kubernetes API server, not a cluster: a node http server
 * on 127.0.0.1 that speaks the REST API's reads in plain HTTP. It serves
 * get and list of the built-in types (BUILT_IN_RESOURCES) and of the custom
 * resource types it is told to serve, the discovery documents, and faults:
 * a refused token (401), RBAC denials (403), a server error (500) and
 * requests that never get an answer. Tests change the cluster between calls
 * with add, remove and replace.
 *
 * Lists answer as kube-apiserver does: a `KindList` with the store's
 * resourceVersion, its items sorted by namespace and name. Items of
 * built-in types carry no apiVersion and kind (the server encodes typed
 * lists without them, kubernetes/kubernetes#3030), items of custom
 * resources do (they are unstructured). A GET answers the object with them.
 */
export async function startStandInApiServer(
  options: StandInOptions = {},
): Promise<StandInApiServer> {
  const store = new ObjectStore();
  store.serve(...(options.serve ?? []));
  store.add(...(options.objects ?? []));
  const requests: RecordedRequest[] = [];
  const user = options.user ?? 'system:serviceaccount:backstage:backstage';
  let faults: StandInFaults = {
    forbid: options.forbid,
    hang: options.hang,
    fail: options.fail,
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const labelSelector = url.searchParams.get('labelSelector') ?? undefined;
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      ...(labelSelector !== undefined ? { labelSelector } : {}),
      authorization: req.headers.authorization !== undefined,
    });
    const send = (code: number, body: unknown) => {
      res.writeHead(code, {
        'audit-id': randomUUID(),
        'cache-control': 'no-cache, private',
        'content-type': 'application/json',
      });
      res.end(JSON.stringify(body));
    };

    if (faults.hang === true) return;
    if (
      options.token !== undefined &&
      req.headers.authorization !== `Bearer ${options.token}`
    ) {
      send(401, failure(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (['/healthz', '/livez', '/readyz'].includes(url.pathname)) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    const target = route(store, url.pathname);
    if (!target) {
      // A real API server authorizes before it routes: a token that may
      // read nothing gets 403 even for types the cluster does not serve.
      if (faults.forbid?.includes('*')) {
        send(
          403,
          failure(
            403,
            'Forbidden',
            `forbidden: User "${user}" cannot get path "${url.pathname}"`,
          ),
        );
      } else send(404, NOT_FOUND);
      return;
    }
    if (req.method !== 'GET') {
      send(
        405,
        failure(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        ),
      );
      return;
    }
    if ('document' in target) {
      send(200, target.document);
      return;
    }

    const { type, namespace, name } = target;
    const resource = resourceName(type);
    if (Array.isArray(faults.hang) && matchesAny(faults.hang, resource)) {
      return;
    }
    const verb = name === undefined ? 'list' : 'get';
    const details = {
      ...(name !== undefined ? { name } : {}),
      ...(type.group ? { group: type.group } : {}),
      kind: type.plural,
    };
    if (matchesAny(faults.forbid, resource)) {
      const where =
        namespace === undefined
          ? 'at the cluster scope'
          : `in the namespace "${namespace}"`;
      send(
        403,
        failure(
          403,
          'Forbidden',
          `${resource}${
            name !== undefined ? ` "${name}"` : ''
          } is forbidden: User "${user}" cannot ${verb} resource "${
            type.plural
          }" in API group "${type.group}" ${where}`,
          details,
        ),
      );
      return;
    }
    if (matchesAny(faults.fail, resource)) {
      send(
        500,
        failure(
          500,
          'InternalError',
          'Internal error occurred: etcdserver: request timed out',
        ),
      );
      return;
    }

    if (name !== undefined) {
      const object = store.get(type, namespace, name);
      if (object) {
        send(200, object);
      } else {
        send(
          404,
          failure(404, 'NotFound', `${resource} "${name}" not found`, details),
        );
      }
      return;
    }
    let matches;
    try {
      matches = parseLabelSelector(labelSelector);
    } catch (error) {
      if (!(error instanceof InvalidSelector)) throw error;
      send(400, failure(400, 'BadRequest', error.message));
      return;
    }
    const items = store.list(type, namespace, matches).map(object => {
      if (!type.typed) return object;
      const { apiVersion: _apiVersion, kind: _kind, ...item } = object;
      return item;
    });
    send(200, {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: store.resourceVersion },
      items,
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    add: (...objects) => store.add(...objects),
    remove: ref => store.remove(ref),
    replace: object => store.replace(object),
    serve: (...types) => store.serve(...types),
    setFaults: next => {
      faults = { ...next };
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
