import { LoggerService } from '@backstage/backend-plugin-api';
import { GitOpsStore } from './GitOpsStore';
import {
  applyTreeChanges,
  diffCommitTrees,
  GitTreeChange,
  GitTreeEntry,
  indexOfPath,
  isUnder,
  listCommitFiles,
} from './gitTreeChanges';
import type { UnfollowedEntry } from './GitTrees';
import { assertSafeRepositoryPath } from './paths';

export type GitOpsFile = { path: string; content: string };

/**
 * A symbolic link or submodule of the repository, and why it was not read
 * (e.g. "is a symbolic link; Causeway does not follow links"): what a
 * reader reports as that path's problem.
 */
export type GitOpsUnfollowed = UnfollowedEntry;

/** Files of the branch's head under a folder, with the commit they come from. */
export type GitOpsSnapshot = {
  commitSha: string;
  files: GitOpsFile[];
  /** The links and submodules under the folder: left out, never followed. */
  unfollowed: GitOpsUnfollowed[];
};

/** The files under some folders at the branch's head, without their contents. */
export type GitOpsTree = {
  commitSha: string;
  /** Sorted by path. */
  entries: GitTreeEntry[];
  /**
   * When an earlier call listed the same folders: that commit and the files
   * changed since, so a caller can update what it made of the old tree.
   */
  since?: { commitSha: string; changes: GitTreeChange[] };
};

/** A commit of the branch, as history() reports it. */
export type GitOpsCommit = {
  sha: string;
  author: string;
  email: string;
  /** The author's time, ISO 8601. */
  time: string;
  /** The first line of the message. */
  message: string;
  /** A link to the commit, where the remote has a web view. */
  url?: string;
};

/** Every file of the repository at a commit, and what its last move changed. */
type AllFiles = {
  commitSha: string;
  entries: GitTreeEntry[];
  movedFrom?: string;
  changes?: GitTreeChange[];
};

/** The entries (sorted by path) at or under the prefixes, found by binary search. */
function underPrefixes(
  sorted: GitTreeEntry[],
  prefixes: string[],
): GitTreeEntry[] {
  // Each prefix's entries are one run of the sorted list; the runs, in
  // order and without overlaps, are the answer, still sorted.
  const runs: Array<[number, number]> = [];
  for (const prefix of prefixes) {
    const low = indexOfPath(sorted, prefix);
    let end = low;
    while (end < sorted.length && sorted[end].path.startsWith(prefix)) end++;
    runs.push([low, end]);
  }
  runs.sort((a, b) => a[0] - b[0]);
  const found: GitTreeEntry[] = [];
  let done = 0;
  for (const [start, end] of runs) {
    for (let i = Math.max(start, done); i < end; i++) {
      // "apps" also starts "apps-legacy/...": only the folder itself.
      if (isUnder(sorted[i].path, prefixes)) found.push(sorted[i]);
    }
    done = Math.max(done, end);
  }
  return found;
}

/** How many tree() listings (by folders) are kept to answer from or diff against. */
const TREES_KEPT = 64;
/** How often a read served from an old head (the remote unreachable) is logged. */
const STALE_WARNING_MS = 60_000;

/**
 * The reading side of the GitOps repository: the branch's head, trees,
 * blobs and history, from the store (the repository itself on this
 * machine, else the cache of the remote, whose head is fetched again at
 * most every few seconds). Reads never wait for a publish.
 */
export class GitOpsReader {
  readonly #store: GitOpsStore;
  readonly #logger: LoggerService;
  /** The last tree() listing of each set of folders. */
  #trees = new Map<string, { commitSha: string; entries: GitTreeEntry[] }>();
  /** Every file at the last head read (see #allFilesAt). */
  #allFiles: Promise<AllFiles | undefined> = Promise.resolve(undefined);
  #warnedAt = 0;

  constructor(store: GitOpsStore, logger: LoggerService) {
    this.#store = store;
    this.#logger = logger;
  }

  /** The repository's URL, safe to show: never carries credentials. */
  get displayUrl(): string {
    return this.#store.remote.displayUrl;
  }

  /** The commit at the head of the branch. */
  async head(): Promise<string> {
    try {
      return (await this.#store.head()).commitSha;
    } catch (error) {
      // An unreachable remote: what was read last is better than nothing.
      const last = this.#store.lastHead;
      if (!last) throw error;
      if (Date.now() - this.#warnedAt > STALE_WARNING_MS) {
        this.#warnedAt = Date.now();
        this.#logger.warn(
          `Reading the GitOps repository at ${
            last.commitSha
          }, fetched ${Math.round(
            (Date.now() - last.fetchedAt) / 1000,
          )}s ago: ${error}`,
        );
      }
      return last.commitSha;
    }
  }

  /**
   * The head of the branch as the remote has it now, not as fetched in the
   * last few seconds: for a push someone says just happened.
   */
  async freshHead(): Promise<string> {
    return (await this.#store.head(Date.now())).commitSha;
  }

  /**
   * The paths of the files changed between two commits the store holds
   * (after a fetch: see freshHead); `from` undefined: every file of `to`.
   */
  async changedPaths(from: string | undefined, to: string): Promise<string[]> {
    if (!from) {
      const { reader } = await this.#store.trees();
      return (await listCommitFiles(reader, to)).map(e => e.path);
    }
    return (await this.#diff(from, to, [])).map(c => c.path);
  }

  /**
   * The files under `prefix` (a folder or a file, e.g. "infrastructure") at
   * the head of the branch. A prefix through a symbolic link or submodule is
   * refused; those under it are not files: listed in `unfollowed`, never
   * followed or read.
   */
  async snapshot(prefix: string): Promise<GitOpsSnapshot> {
    assertSafeRepositoryPath(prefix, 'read');
    const commitSha = await this.head();
    const trees = await this.#store.trees();
    const listed = await trees.filesAt(await trees.rootOf(commitSha), prefix);
    const blobs = await this.readBlobs(listed.files.map(f => f.blobId));
    return {
      commitSha,
      files: listed.files.map(f => ({
        path: f.path,
        content: blobs.get(f.blobId) ?? '',
      })),
      unfollowed: listed.unfollowed,
    };
  }

  /**
   * The symbolic links and submodules at, under or on the way to the
   * prefixes at a commit (tree() leaves them out): for a view to report
   * each as that path's problem rather than miss a file silently.
   */
  async unfollowed(
    commitSha: string,
    prefixes: string[],
  ): Promise<GitOpsUnfollowed[]> {
    prefixes.forEach(p => assertSafeRepositoryPath(p, 'read'));
    const trees = await this.#store.trees();
    return trees.unfollowedAt(await trees.rootOf(commitSha), prefixes);
  }

  /**
   * The paths and blob ids of the files under `prefixes` (folders, e.g.
   * "apps") at the head of the branch, and nothing checked out. Blob ids
   * change only when a file does, so callers can keep what they made of a
   * file by its id and read only the new ones with readBlobs().
   */
  async tree(prefixes: string[]): Promise<GitOpsTree> {
    prefixes.forEach(p => assertSafeRepositoryPath(p, 'read'));
    const commitSha = await this.head();
    const key = prefixes.join('\0');
    const last = this.#trees.get(key);
    if (last?.commitSha === commitSha) return { ...last, since: undefined };
    const all = await this.#allFilesAt(commitSha);
    const tree: GitOpsTree = {
      commitSha,
      entries: underPrefixes(all.entries, prefixes),
    };
    if (last) {
      // What changed since this caller's last listing: the last move's
      // changes when it moved from there, else a diff of the two commits.
      const changes =
        all.movedFrom === last.commitSha
          ? all.changes
          : await this.#diff(last.commitSha, commitSha, prefixes).catch(
              () => undefined,
            );
      if (changes) {
        tree.since = {
          commitSha: last.commitSha,
          changes: changes.filter(c => isUnder(c.path, prefixes)),
        };
      }
    }
    // Kept for the folders listed last (a service's view lists its own).
    this.#trees.delete(key);
    this.#trees.set(key, { commitSha, entries: tree.entries });
    if (this.#trees.size > TREES_KEPT) {
      this.#trees.delete(this.#trees.keys().next().value!);
    }
    return tree;
  }

  /**
   * Every file of the repository at a commit, sorted by path: listed once,
   * then moved along by the changes of each new head (one diff-tree).
   */
  #allFilesAt(commitSha: string): Promise<AllFiles> {
    const previous = this.#allFiles;
    const next = previous.then(async current => {
      if (current?.commitSha === commitSha) return current;
      const changes = current
        ? await this.#diff(current.commitSha, commitSha, []).catch(
            () => undefined,
          )
        : undefined;
      if (current && changes) {
        return {
          commitSha,
          entries: applyTreeChanges(current.entries, changes),
          movedFrom: current.commitSha,
          changes,
        };
      }
      const { reader } = await this.#store.trees();
      return { commitSha, entries: await listCommitFiles(reader, commitSha) };
    });
    // A failed listing leaves the last good one for the next call.
    this.#allFiles = next.catch(() => previous);
    return next;
  }

  /** The files changed under the prefixes between two commits. */
  async #diff(from: string, to: string, prefixes: string[]) {
    const { reader } = await this.#store.trees();
    return diffCommitTrees(reader, from, to, prefixes);
  }

  /**
   * The contents of blobs by id (from tree()), read in one batch; an id the
   * repository does not hold is left out of the map.
   */
  async readBlobs(blobIds: string[]): Promise<Map<string, string>> {
    if (blobIds.length === 0) return new Map();
    const { reader } = await this.#store.trees();
    const objects = await reader.read(blobIds);
    const blobs = new Map<string, string>();
    for (const [id, object] of objects) {
      if (object.type === 'blob') blobs.set(id, object.data.toString('utf8'));
    }
    return blobs;
  }

  /**
   * The latest `limit` commits of the branch's head that touched any of
   * `paths` (files or folders), newest first. No paths, no commits.
   */
  async history(paths: string[], limit: number): Promise<GitOpsCommit[]> {
    paths.forEach(p => assertSafeRepositoryPath(p, 'read'));
    if (paths.length === 0 || limit < 1) return [];
    const log = await this.#store.log(
      await this.head(),
      [
        '-z',
        `--max-count=${Math.floor(limit)}`,
        '--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s',
      ],
      paths,
    );
    return log
      .split('\0')
      .filter(Boolean)
      .map(record => {
        const [sha, author, email, time, message] = record.split('\x1f');
        const url = this.#store.remote.link(sha);
        return {
          sha,
          author,
          email,
          time,
          message,
          ...(/^https?:\/\//.test(url) ? { url } : {}),
        };
      });
  }
}
