import { createHash } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { GitIdentity } from './git';
import { GitOpsFile } from './GitOpsReader';
import { GitOpsHead, GitOpsStore } from './GitOpsStore';
import { commitMessage } from './gitObjects';
import { diffCommitTrees } from './gitTreeChanges';
import { GitTrees, TreeEdit } from './GitTrees';
import { assertSafeRepositoryPath } from './paths';
import { REVERTS_TRAILER, STEP_TRAILER, TASK_TRAILER } from './taskCommits';

export type GitOpsChange = {
  files: GitOpsFile[];
  message: string;
  /** Who ran the template; the commit is theirs. */
  author: GitIdentity;
  /**
   * Paths (files or folders) that must not exist yet, e.g. a service's
   * folder; an existing one is a ConflictError unless `update` is set.
   */
  newPaths?: string[];
  update?: boolean;
  /** Push to this new branch for review instead of the default branch. */
  reviewBranch?: string;
  /**
   * Files this change rewrote from what it read, with the SHA-256 of the
   * content it read: when one changed meanwhile (say CI set a new image
   * digest), the publish is refused instead of overwriting that change.
   */
  basedOn?: Record<string, string>;
  /** The scaffolder task making the change: its id goes in the commit (Causeway-Task trailer). */
  taskId?: string;
  /** The template step making it (Causeway-Step trailer), so a re-run of the step finds it. */
  step?: string;
};

export type GitOpsRevert = {
  commitSha: string;
  message: string;
  author: GitIdentity;
  /** The scaffolder task reverting it (Causeway-Task trailer). */
  taskId?: string;
};

export type GitOpsPublishResult = {
  /** The commit holding the change; the current head when nothing changed. */
  commitSha: string;
  /** False when the repository already held exactly these files. */
  changed: boolean;
  branch: string;
  files: string[];
  /** A link to the commit, where the remote has a web view. */
  link: string;
};

export { TASK_TRAILER };

const COMMITTER: GitIdentity = {
  name: 'Causeway',
  email: 'causeway@localhost',
};

/** What one attempt made of a change on a head. */
type Outcome =
  | { commit: string; files: string[] }
  | { unchanged: true; files: string[] }
  /** Refused on this head (e.g. a new path exists); thrown if the head is current. */
  | { refused: Error };

/**
 * The writing side of the GitOps repository: a change becomes a commit
 * built from git objects on the branch's head (blobs, the folders on the way
 * to them, the commit), never through a checked-out tree, so no symbolic
 * link is ever followed, and the branch is moved only if it is still at
 * that head. When another writer moved it first, the change is made again
 * on the new head. Changes through this writer (one per backend) go one at
 * a time: they would only lose races to each other.
 */
export class GitOpsWriter {
  readonly #store: GitOpsStore;
  readonly #logger: LoggerService;
  readonly #maxAttempts: number;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    store: GitOpsStore,
    logger: LoggerService,
    options: { maxAttempts?: number } = {},
  ) {
    this.#store = store;
    this.#logger = logger;
    this.#maxAttempts = options.maxAttempts ?? 30;
  }

  get displayUrl(): string {
    return this.#store.remote.displayUrl;
  }

  async publish(change: GitOpsChange): Promise<GitOpsPublishResult> {
    if (change.files.length === 0) {
      throw new InputError(
        'Nothing to publish to the GitOps repository: no files',
      );
    }
    for (const file of change.files) {
      assertSafeRepositoryPath(file.path);
    }
    for (const p of change.newPaths ?? []) {
      assertSafeRepositoryPath(p);
    }
    for (const p of Object.keys(change.basedOn ?? {})) {
      assertSafeRepositoryPath(p, 'read');
    }
    const { branch } = this.#store.remote;
    const target = change.reviewBranch ?? branch;
    const files = change.files.map(f => f.path);
    // A path given twice is written with its last content.
    const contents = new Map(change.files.map(f => [f.path, f.content]));
    const edits: TreeEdit[] = [...contents].map(([file, content]) => ({
      path: file,
      blob: Buffer.from(content, 'utf8'),
    }));
    const message = commitMessage(change.message, {
      [TASK_TRAILER]: change.taskId,
      [STEP_TRAILER]: change.taskId ? change.step : undefined,
    });
    return this.#enqueue(() =>
      this.#withRetry(target, async (trees, head) => {
        const root = await trees.rootOf(head);
        // A link or submodule on the way to what is written is a refusal
        // naming the write, before anything is read through it.
        for (const p of [...(change.newPaths ?? []), ...files]) {
          await trees.entryAt(root, p, 'write');
        }
        if (!change.update) {
          for (const p of change.newPaths ?? []) {
            if (await trees.entryAt(root, p, 'write')) {
              return {
                refused: new ConflictError(
                  `${p} already exists in the GitOps repository; ask for an update to change it`,
                ),
              };
            }
          }
        }
        for (const [file, sha256] of Object.entries(change.basedOn ?? {})) {
          const entry = await trees.entryAt(root, file);
          const read = entry
            ? (await trees.reader.read([entry.id])).get(entry.id)?.data
            : undefined;
          const digest = createHash('sha256')
            .update(read ?? '')
            .digest('hex');
          if (digest !== sha256) {
            return {
              refused: new ConflictError(
                `${file} changed in the GitOps repository since this change was made from it; make the change again from the current version`,
              ),
            };
          }
        }
        const tree = await trees.edit(root, edits);
        if (tree === root) return { unchanged: true, files };
        const commit = await trees.writer.writeCommit({
          tree,
          parents: [head],
          author: change.author,
          committer: COMMITTER,
          message,
        });
        return { commit, files };
      }),
    );
  }

  /**
   * Undoes a commit (e.g. one a later step of the same template run no
   * longer wants) with a new commit on the branch: each file it changed goes
   * back to what it was before, if it has not changed again since.
   */
  async revert(options: GitOpsRevert): Promise<GitOpsPublishResult> {
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(options.commitSha)) {
      throw new InputError(
        `Cannot revert ${JSON.stringify(options.commitSha)}: not a commit id`,
      );
    }
    const message = commitMessage(options.message, {
      [TASK_TRAILER]: options.taskId,
      [REVERTS_TRAILER]: options.commitSha,
    });
    const undone = options.commitSha;
    return this.#enqueue(async () => {
      await this.#store.ensureCommit(undone);
      const trees = await this.#store.trees();
      const commit = (await trees.reader.read([undone])).get(undone);
      const parent =
        commit?.type === 'commit'
          ? /^parent ([0-9a-f]+)$/m.exec(commit.data.toString('latin1'))?.[1]
          : undefined;
      if (!parent) {
        throw new InputError(
          `Cannot revert ${undone}: not a commit of the GitOps repository after its first`,
        );
      }
      const changes = await diffCommitTrees(trees.reader, parent, undone, []);
      return this.#withRetry(this.#store.remote.branch, async (_, head) => {
        const root = await trees.rootOf(head);
        const now = await Promise.all(
          changes.map(c => trees.entryAt(root, c.path)),
        );
        // Undone already (say by a run resumed after a crash): nothing to do.
        if (changes.every((c, i) => now[i]?.id === c.previousBlobId)) {
          return { unchanged: true, files: changes.map(c => c.path) };
        }
        for (const [i, change] of changes.entries()) {
          if (now[i]?.id !== change.blobId) {
            return {
              refused: new ConflictError(
                `Cannot revert ${undone}: ${change.path} changed in the GitOps repository since`,
              ),
            };
          }
        }
        const files = changes.map(c => c.path);
        const tree = await trees.edit(
          root,
          changes.map(c => ({ path: c.path, blob: c.previousBlobId ?? null })),
        );
        if (tree === root) return { unchanged: true, files };
        return {
          commit: await trees.writer.writeCommit({
            tree,
            parents: [head],
            author: options.author,
            committer: COMMITTER,
            message,
          }),
          files,
        };
      });
    });
  }

  /**
   * Makes a change on the head and moves the target branch to it, again on
   * the new head when another writer moved the branch first. Refusals and
   * "nothing changed" are only answered from a head fetched for this change.
   */
  async #withRetry(
    target: string,
    attempt: (trees: GitTrees, head: string) => Promise<Outcome>,
  ): Promise<GitOpsPublishResult> {
    const { branch } = this.#store.remote;
    const startedAt = Date.now();
    // A review branch starts from the current head, not a cached one.
    let head: GitOpsHead = await this.#store.head(
      target === branch ? undefined : startedAt,
    );
    const trees = await this.#store.trees();
    for (let tries = 1; tries <= this.#maxAttempts; tries++) {
      // A refusal (e.g. a path through a symbolic link) is an outcome too,
      // confirmed on a fetched head like the others.
      const outcome: Outcome = await attempt(trees, head.commitSha).catch(
        error => ({ refused: error }),
      );
      if (!('commit' in outcome) && head.fetchedAt < startedAt) {
        head = await this.#store.head(startedAt);
        tries--;
        continue;
      }
      if ('refused' in outcome) throw outcome.refused;
      if ('unchanged' in outcome) {
        return {
          commitSha: head.commitSha,
          changed: false,
          branch,
          files: outcome.files,
          link: this.#store.remote.link(head.commitSha),
        };
      }
      const lostAt = Date.now();
      const moved = await this.#store.update(
        target,
        outcome.commit,
        target === branch ? head.commitSha : undefined,
      );
      if (moved) {
        return {
          commitSha: outcome.commit,
          changed: true,
          branch: target,
          files: outcome.files,
          link: this.#store.remote.link(outcome.commit),
        };
      }
      if (target !== branch && (await this.#store.hasBranch(target))) {
        throw new ConflictError(
          `The branch ${target} already exists in the GitOps repository ${this.displayUrl}; choose another review branch`,
        );
      }
      this.#logger.debug(
        `GitOps push to ${target} lost a race (attempt ${tries}); retrying from the new head`,
      );
      // Spread the retries so racing writers do not collide again in lockstep.
      await new Promise(r =>
        setTimeout(r, Math.random() * 50 * Math.min(tries, 10)),
      );
      head = await this.#store.head(lostAt);
    }
    throw new ConflictError(
      `Could not push to ${target} of ${
        this.displayUrl
      }: it kept moving after ${this.#maxAttempts} attempts`,
    );
  }

  /** Runs a change after every change queued before it. */
  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    // The queue waits for the work but keeps none of its result.
    this.#queue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /** Resolves once every change queued so far is done. */
  async drain(): Promise<void> {
    await this.#queue;
  }
}
