import { GitOpsStore } from './GitOpsStore';

/** The trailer naming the task that made a commit. */
export const TASK_TRAILER = 'Causeway-Task';
/** The trailer naming the template step that made a commit. */
export const STEP_TRAILER = 'Causeway-Step';
/** The trailer of a revert, naming the commit it undid. */
export const REVERTS_TRAILER = 'Causeway-Reverts';

/** A commit a scaffolder task made, found by its trailers. */
export type TaskCommit = {
  sha: string;
  /** The branch it was found on (the default branch). */
  branch: string;
  /** A link to the commit, as GitOpsPublishResult has it. */
  link: string;
  /** The template step that made it, when the commit names one. */
  step?: string;
  /** For a revert: the commit it undid. */
  reverts?: string;
  /** The paths the commit changed. */
  files: string[];
};

/**
 * The trailers of a commit message: only its last paragraph counts, so a
 * line typed into the message body cannot pass for one.
 */
export function messageTrailers(message: string): Record<string, string> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  const last = paragraphs.length > 1 ? paragraphs[paragraphs.length - 1] : '';
  const trailers: Record<string, string> = {};
  for (const line of last.split('\n')) {
    const match = /^([A-Za-z][A-Za-z0-9-]*): (.+)$/.exec(line.trim());
    if (match) trailers[match[1]] = match[2];
  }
  return trailers;
}

/**
 * The commits of the branch a task made (its Causeway-Task trailer), newest
 * first: how a resumed run finds what it already did.
 */
export async function findTaskCommits(
  store: GitOpsStore,
  taskId: string,
): Promise<TaskCommit[]> {
  // Task ids are UUIDs; anything else cannot be one of ours.
  if (!/^[0-9a-zA-Z-]{1,64}$/.test(taskId)) return [];
  const { commitSha } = await store.head(Date.now());
  const log = await store.log(
    commitSha,
    [
      `--grep=^${TASK_TRAILER}: ${taskId}$`,
      '--name-only',
      '--format=%x1e%H%x1f%B%x1f',
    ],
    [],
  );
  const commits: TaskCommit[] = [];
  for (const record of log.split('\x1e')) {
    const [sha, message, names = ''] = record.trim().split('\x1f');
    if (!sha || message === undefined) continue;
    const trailers = messageTrailers(message);
    if (trailers[TASK_TRAILER] !== taskId) continue;
    commits.push({
      sha,
      branch: store.remote.branch,
      link: store.remote.link(sha),
      files: names.split('\n').filter(Boolean),
      ...(trailers[STEP_TRAILER] ? { step: trailers[STEP_TRAILER] } : {}),
      ...(trailers[REVERTS_TRAILER]
        ? { reverts: trailers[REVERTS_TRAILER] }
        : {}),
    });
  }
  return commits;
}
