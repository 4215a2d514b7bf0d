import { InputError } from '@backstage/errors';

/**
 * Checks that a path a caller wants written stays inside the repository: a
 * relative POSIX path, with no `..`, empty or `.git` segments.
 */
export function assertSafeRepositoryPath(path: string): void {
  const problem =
    (!path && 'is empty') ||
    (path.startsWith('/') && 'is absolute') ||
    (path.includes('\\') && 'contains a backslash') ||
    ([...path].some(c => c.charCodeAt(0) < 32) &&
      'contains a control character') ||
    (path.split('/').some(s => s === '' || s === '.' || s === '..') &&
      'has an empty, "." or ".." segment') ||
    (path.split('/').some(s => s.toLowerCase() === '.git') &&
      'writes into .git') ||
    undefined;
  if (problem) {
    throw new InputError(
      `Refusing to write ${JSON.stringify(
        path,
      )} to the GitOps repository: the path ${problem}`,
    );
  }
}
