import { LoggerService } from '@backstage/backend-plugin-api';
import { ErrorRequestHandler } from 'express';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  databaseUnavailableError,
  isDatabaseConnectionError,
} from './databaseUnavailable';
import { DatabaseProbe } from './databaseProbe';

/** Error names of @backstage/errors that answer below 500. */
const CLIENT_ERROR_NAMES = new Set([
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotModifiedError',
]);

function isServerError(error: any): boolean {
  const status = error?.statusCode ?? error?.status;
  if (typeof status === 'number') return status >= 500;
  return !CLIENT_ERROR_NAMES.has(error?.name);
}

/**
 * A user token could not be verified: the keys come from the auth plugin's
 * database, so this is what a request gets while that database is away.
 */
const isTokenVerificationFailure = (error: any) =>
  error?.name === 'AuthenticationError' &&
  error?.message === 'Failed user token verification';

const LOG_EVERY_MS = 10_000;

/**
 * Express error middleware, placed just before Backstage's error handler:
 * an error from a lost or unobtainable database connection becomes
 * ServiceUnavailableError (503, Retry-After, a fixed message) instead of a
 * 500 that names the server's address. Errors that lost their cause on the
 * way (a provider's message, a token that could not be verified) count when
 * the database does not answer a probe either; all others pass unchanged.
 */
export function createDatabaseUnavailableHandler(options: {
  logger: LoggerService;
  probe: DatabaseProbe;
}): ErrorRequestHandler {
  const { logger, probe } = options;
  let lastLogged = 0;
  return (error, req, res, next) => {
    const classify = async () => {
      if (isDatabaseConnectionError(error)) return true;
      if (isTokenVerificationFailure(error) || isServerError(error)) {
        return !(await probe.reachable());
      }
      return false;
    };
    classify().then(
      unavailable => {
        if (!unavailable || res.headersSent) {
          next(error);
          return;
        }
        if (Date.now() - lastLogged > LOG_EVERY_MS) {
          lastLogged = Date.now();
          logger.warn(
            `The database is unavailable; answering 503 (${req.method} ${
              req.baseUrl
            }: ${error?.code ?? error?.name ?? 'error'})`,
          );
        }
        res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
        next(databaseUnavailableError());
      },
      () => next(error),
    );
  };
}
