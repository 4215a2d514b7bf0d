/**
 * The longest free text a golden path takes (a service's description): one
 * line in the catalog and on the repository, and the same bound as the
 * templates' `maxLength`, which the scaffolder checks when a run starts. The
 * actions check it again: a template registered by anyone may leave it out.
 */
export const FREE_TEXT_MAX_LENGTH = 200;

/**
 * What is wrong with a free-text value, as `FIELD: reason`, or undefined.
 * Never quotes the value: it may be a megabyte.
 */
export function freeTextProblem(
  field: string,
  value: unknown,
  maxLength: number = FREE_TEXT_MAX_LENGTH,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return `${field}: must be text`;
  if (value.length > maxLength) {
    return `${field}: ${value.length} characters, at most ${maxLength} are taken`;
  }
  return undefined;
}
