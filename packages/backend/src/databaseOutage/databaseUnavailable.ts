import { ServiceUnavailableError } from '@backstage/errors';

/** What every API answers while the database cannot be reached. */
export const DATABASE_UNAVAILABLE_MESSAGE =
  'The database is unavailable; try again shortly';

/** Seconds a client is told to wait (Retry-After) before trying again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Socket failures of a connection to the database server. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server going away: class 08 (connection exception),
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now.
 */
const isConnectionSqlState = (code: string) =>
  /^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code);

/**
 * Messages of node-postgres and knex for a lost or unobtainable connection
 * (knex puts the statement in front of a query's error message).
 */
const CONNECTION_MESSAGES = [
  /Connection terminated/,
  /Connection ended unexpectedly/,
  /Client has encountered a connection error and is not queryable/,
  /Client was closed and is not queryable/,
  /Timeout acquiring a connection/,
];

type ErrorLike = {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  syscall?: unknown;
  cause?: unknown;
  body?: { error?: { name?: unknown; message?: unknown } };
};

/**
 * Whether `error` (or an error it wraps as its cause) says the database
 * server could not be reached or dropped the connection. A bare socket error
 * counts only as the error itself, as knex throws it: HTTP clients wrap
 * theirs (fetch's TypeError, node-fetch's FetchError), and those are about
 * other hosts.
 */
export function isDatabaseConnectionError(error: unknown): boolean {
  let node = error as ErrorLike | undefined;
  for (let depth = 0; depth < 5 && node && typeof node === 'object'; depth++) {
    const code = typeof node.code === 'string' ? node.code : '';
    const message = typeof node.message === 'string' ? node.message : '';
    if (node.name === 'KnexTimeoutError') return true;
    if (code && isConnectionSqlState(code)) return true;
    if (CONNECTION_MESSAGES.some(pattern => pattern.test(message))) {
      return true;
    }
    if (depth === 0 && SOCKET_CODES.has(code) && node.syscall) return true;
    // Another plugin (e.g. the catalog, through its client) answered 503
    // for the same reason.
    if (
      node.name === 'ResponseError' &&
      node.body?.error?.name === 'ServiceUnavailableError' &&
      node.body.error.message === DATABASE_UNAVAILABLE_MESSAGE
    ) {
      return true;
    }
    node = node.cause as ErrorLike | undefined;
  }
  return false;
}

/**
 * The error an API answers with while the database is away: HTTP 503, a
 * fixed message (nothing of the connection, such as its host or port), no
 * stack even where the error handler shows stacks (development).
 */
export function databaseUnavailableError(): ServiceUnavailableError {
  const error = new ServiceUnavailableError(DATABASE_UNAVAILABLE_MESSAGE);
  delete error.stack;
  return error;
}
