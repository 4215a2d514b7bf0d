import { InputError } from '@backstage/errors';

/**
 * What is wrong with a path a caller names in the GitOps repository, or
 * undefined when it is a relative POSIX path that stays inside it: no `..`,
 * `.`, empty or `.git` segments, nothing absolute.
 */
export function repositoryPathProblem(path: string): string | undefined {
  return (
    (!path && 'is empty') ||
    (path.startsWith('/') && 'is absolute') ||
    (path.includes('\\') && 'contains a backslash') ||
    ([...path].some(c => c.charCodeAt(0) < 32) &&
      'contains a control character') ||
    (path.split('/').some(s => s === '' || s === '.' || s === '..') &&
      'has an empty, "." or ".." segment') ||
    (path.split('/').some(s => s.toLowerCase() === '.git') &&
      'writes into .git') ||
    undefined
  );
}

/** Checks that a path a caller wants written (or read) stays inside the repository. */
export function assertSafeRepositoryPath(
  path: string,
  doing: 'read' | 'write' = 'write',
): void {
  const problem = repositoryPathProblem(path);
  if (problem) {
    throw new InputError(
      `Refusing to ${doing} ${JSON.stringify(path)} ${
        doing === 'read' ? 'from' : 'to'
      } the GitOps repository: the path ${problem}`,
    );
  }
}
