import { CustomErrorBase } from '@backstage/errors';

/**
 * The entity is in the catalog but has no results yet: the first evaluation
 * has not run, or no check applies to it. HTTP 409 with error name
 * NotEvaluatedError, so that the gate's callers can tell it from 404 (the
 * catalog does not have the entity).
 */
export class NotEvaluatedError extends CustomErrorBase {
  name = 'NotEvaluatedError' as const;
  statusCode = 409;
}

/**
 * The caller made more requests than its limit allows: HTTP 429, and the
 * router sets Retry-After to `retryAfterSeconds`.
 */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  statusCode = 429;
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
