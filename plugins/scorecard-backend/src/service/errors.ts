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
