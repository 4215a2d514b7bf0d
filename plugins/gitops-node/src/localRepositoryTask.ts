import fs from 'node:fs/promises';
import { GitCommandError, runGit } from './git';
import { LocalGitHost } from './LocalGitHost';
import { messageTrailers, TASK_TRAILER } from './taskCommits';

/**
 * The scaffolder task that created a repository of the local git host (the
 * Causeway-Task trailer of its first commit) and that commit, or undefined
 * when the repository does not exist.
 */
export async function localRepositoryOrigin(
  host: LocalGitHost,
  name: string,
): Promise<{ taskId?: string; commitSha: string } | undefined> {
  if (!(await host.exists(name))) return undefined;
  try {
    const log = await runGit(
      [
        '--git-dir',
        host.repositoryPath(name),
        'log',
        '--max-parents=0',
        '--format=%H%x1f%B',
        host.defaultBranch,
      ],
      { trim: false },
    );
    const [commitSha, message = ''] = log.trim().split('\x1f');
    return { taskId: messageTrailers(message)[TASK_TRAILER], commitSha };
  } catch (error) {
    if (error instanceof GitCommandError) return undefined;
    throw error;
  }
}

/** The scaffolder task that created a repository of the local git host, if any. */
export async function localRepositoryTask(
  host: LocalGitHost,
  name: string,
): Promise<string | undefined> {
  return (await localRepositoryOrigin(host, name))?.taskId;
}

/** Removes a repository of the local git host (e.g. one a failed run created). */
export async function removeLocalRepository(
  host: LocalGitHost,
  name: string,
): Promise<void> {
  await fs.rm(host.repositoryPath(name), { recursive: true, force: true });
}
