import { ClusterError } from '@causeway/plugin-gitops-common';

/** What was asked of the cluster, for the message: list deployments.apps. */
export type ClusterAction = { verb: 'list' | 'get'; resource: string };

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * Why a cluster gave no answer, in one sentence that names the cluster and
 * what failed. Built from the HTTP status or the error's name and code only:
 * client errors can quote the request, and a message must never carry the
 * token.
 */
export function clusterError(
  cluster: string,
  action: ClusterAction,
  error: unknown,
  timeoutMs: number,
): ClusterError {
  const e = error as { code?: unknown; name?: unknown; type?: unknown };
  const prefix = `cluster ${cluster}:`;
  if (typeof e?.code === 'number') {
    const status = `(HTTP ${e.code})`;
    if (e.code === 401) {
      return {
        reason: 'unauthorized',
        message: `${prefix} the service account token was refused ${status}`,
      };
    }
    if (e.code === 403) {
      return {
        reason: 'forbidden',
        message: `${prefix} the service account may not ${action.verb} ${action.resource} ${status}`,
      };
    }
    return {
      reason: 'error',
      message: `${prefix} ${action.verb === 'list' ? 'listing' : 'getting'} ${
        action.resource
      } failed ${status}`,
    };
  }
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') {
    return {
      reason: 'timeout',
      message: `${prefix} the API server did not answer within ${seconds(
        timeoutMs,
      )}`,
    };
  }
  // node-fetch's FetchError of type system: ECONNREFUSED, ENOTFOUND, TLS codes.
  if (typeof e?.code === 'string') {
    return {
      reason: 'unreachable',
      message: `${prefix} the API server could not be reached (${e.code})`,
    };
  }
  const what =
    e?.name === 'SyntaxError' ? 'an answer that is not JSON' : e?.name;
  return {
    reason: 'error',
    message: `${prefix} ${action.verb === 'list' ? 'listing' : 'getting'} ${
      action.resource
    } failed (${typeof what === 'string' ? what : 'error'})`,
  };
}
