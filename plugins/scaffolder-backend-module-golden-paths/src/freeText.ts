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

/**
 * What is wrong with a link a golden path writes into the catalog (docs,
 * runbook), as `FIELD: reason`, or undefined: bounded like free text, and
 * http(s) only, since the entity page opens it for everyone who views it
 * (a javascript: or file: link would run or point at the viewer's disk).
 */
export function linkProblem(field: string, value: unknown): string | undefined {
  const problem = freeTextProblem(field, value);
  if (problem || value === undefined || value === null || value === '') {
    return problem;
  }
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {
    url = undefined;
  }
  // Browsers drop spaces and control characters and read "\\" as "/".
  const unsafe = [...(value as string)].some(character => {
    const code = character.charCodeAt(0);
    return code <= 0x20 || code === 0x7f || character === '\\';
  });
  if (!url || !['http:', 'https:'].includes(url.protocol) || unsafe) {
    return `${field}: must be a link starting with http:// or https://`;
  }
  return undefined;
}
