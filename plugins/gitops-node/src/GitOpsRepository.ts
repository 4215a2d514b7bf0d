import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { GitCommandError, GitIdentity, redact, runGit } from './git';
import { GitObjectReader } from './GitObjectReader';
import {
  applyTreeChanges,
  diffCommitTrees,
  GitTreeChange,
  GitTreeEntry,
  isUnder,
  listCommitFiles,
  readBranchHead,
} from './gitTreeChanges';
import { localRepositoryPath } from './localRepositoryPath';
import { assertSafeRepositoryPath } from './paths';

export type GitOpsCredentials = { username: string; password: string };

export type GitOpsRepositoryOptions = {
  /** A local path (bare repository) or an https:// git URL. */
  url: string;
  /** The branch Argo CD syncs from. */
  branch: string;
  /** For https remotes: basic-auth credentials (e.g. from the integrations config). */
  credentials?: GitOpsCredentials;
  logger: LoggerService;
  /** How often to fetch and re-apply when someone else pushed first. */
  maxAttempts?: number;
  /** Told about every commit pushed, e.g. to send a change event. */
  onPublished?: (result: GitOpsPublishResult) => Promise<void>;
};

export type GitOpsFile = { path: string; content: string };

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
};

/** Files of the branch's head under a folder, with the commit they come from. */
export type GitOpsSnapshot = { commitSha: string; files: GitOpsFile[] };

/** A file of a git tree: its path and the id of its content (a blob). */
export type { GitTreeEntry } from './gitTreeChanges';

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

const COMMITTER: GitIdentity = {
  name: 'Causeway',
  email: 'causeway@localhost',
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
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sorted[mid].path < prefix) low = mid + 1;
      else high = mid;
    }
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

/** Push rejections that mean "someone else pushed first": fetch and retry. */
const RACE =
  /\[rejected\]|\(fetch first\)|non-fast-forward|failed to update ref|cannot lock ref|stale info|incorrect old value/i;
const UNAUTHORISED =
  /authentication failed|\b40[13]\b|could not read username|access denied|permission denied/i;

/**
 * The GitOps repository: writes a set of files as one commit by the user who
 * asked, and pushes it. Each attempt works in a fresh clone of the branch;
 * when the push loses a race it starts over from the new head, so parallel
 * template runs all land and none overwrites another.
 */
export class GitOpsRepository {
  readonly #url: string;
  readonly #branch: string;
  readonly #logger: LoggerService;
  readonly #maxAttempts: number;
  readonly #config: Record<string, string>;
  readonly #secrets: string[];
  readonly #onPublished?: (result: GitOpsPublishResult) => Promise<void>;
  /**
   * Publishes through this instance (one per backend) go one at a time, in
   * one working copy kept between them: they would only lose races to each
   * other. Races with other writers (other replicas, people) are handled by
   * fetching and retrying.
   */
  #queue: Promise<unknown> = Promise.resolve();
  #workdir: Promise<string> | undefined;
  /**
   * history() reads a clone of its own with the whole history of the branch
   * (the working copy is shallow), without file contents where the remote
   * allows it; its reads go one at a time, beside the publishes.
   */
  #historyQueue: Promise<unknown> = Promise.resolve();
  /** The last tree() listing of each set of folders. */
  #trees = new Map<string, { commitSha: string; entries: GitTreeEntry[] }>();
  /** Every file at the last head read (see #allFilesAt). */
  #allFiles: Promise<AllFiles | undefined> = Promise.resolve(undefined);
  /** The repository's folder when it is on this machine. */
  readonly #localPath?: string;
  #historyDir: Promise<string> | undefined;
  /** Long-lived `git cat-file --batch` readers, by repository folder. */
  #readers = new Map<string, GitObjectReader>();

  constructor(options: GitOpsRepositoryOptions) {
    this.#url = options.url;
    this.#localPath = localRepositoryPath(options.url);
    this.#branch = options.branch;
    this.#logger = options.logger;
    this.#maxAttempts = options.maxAttempts ?? 30;
    this.#config = {};
    this.#secrets = [];
    this.#onPublished = options.onPublished;
    if (options.credentials) {
      const { username, password } = options.credentials;
      const basic = Buffer.from(`${username}:${password}`).toString('base64');
      this.#config['http.extraHeader'] = `Authorization: Basic ${basic}`;
      this.#secrets.push(password, basic);
    }
  }

  /** The repository's URL, safe to show: never carries credentials. */
  get displayUrl(): string {
    return redact(this.#url, this.#secrets);
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
    const targetBranch = change.reviewBranch ?? this.#branch;
    const result = await this.#enqueue(() =>
      this.#publishWithRetry(change, targetBranch),
    );
    if (result.changed) {
      // A listener's failure must not turn a pushed commit into an error.
      await this.#onPublished?.(result).catch(error =>
        this.#logger.warn(
          `GitOps commit ${result.commitSha} pushed, but telling listeners failed: ${error}`,
        ),
      );
    }
    return result;
  }

  /**
   * The files under `prefix` (a folder, e.g. "infrastructure") at the head
   * of the branch Argo CD syncs, read from the same working copy publishes
   * use, so a read after a publish sees it.
   */
  async snapshot(prefix: string): Promise<GitOpsSnapshot> {
    assertSafeRepositoryPath(prefix);
    return this.#enqueue(async () => {
      const dir = await this.#freshWorkdir();
      const commitSha = await runGit(['rev-parse', 'HEAD'], { cwd: dir });
      const listed = await runGit(['ls-files', '-z', '--', prefix], {
        cwd: dir,
        trim: false,
      });
      const files: GitOpsFile[] = [];
      for (const file of listed.split('\0').filter(Boolean)) {
        files.push({
          path: file,
          content: await fs.readFile(path.join(dir, file), 'utf8'),
        });
      }
      return { commitSha, files };
    });
  }

  /**
   * The paths and blob ids of the files under `prefixes` (folders, e.g.
   * "apps") at the head of the branch: one fetch and one listing, however
   * many files, and nothing checked out. Blob ids change only when a file
   * does, so callers can keep what they made of a file by its id and read
   * only the new ones with readBlobs().
   */
  async tree(prefixes: string[]): Promise<GitOpsTree> {
    prefixes.forEach(assertSafeRepositoryPath);
    const { dir, commitSha } = await this.#readableHead();
    const key = prefixes.join('\0');
    const last = this.#trees.get(key);
    if (last?.commitSha === commitSha) return { ...last, since: undefined };
    const all = await this.#allFilesAt(dir, commitSha);
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
          : await this.#diff(dir, last.commitSha, commitSha, prefixes).catch(
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
   * Where reads happen and the branch's head. A repository on this machine
   * is read in place, its head from its ref files: no process, no fetch, and
   * no wait behind publishes. A remote one is fetched into the working copy.
   */
  async #readableHead(): Promise<{ dir: string; commitSha: string }> {
    if (this.#localPath) {
      const commitSha = await readBranchHead(this.#localPath, this.#branch);
      if (commitSha) return { dir: this.#localPath, commitSha };
    }
    return this.#enqueue(async () => {
      const { dir, rev } = await this.#fetchedHead();
      return { dir, commitSha: await runGit(['rev-parse', rev], { cwd: dir }) };
    });
  }

  /**
   * Every file of the repository at a commit, sorted by path: listed once,
   * then moved along by the changes of each new head (one diff-tree).
   */
  #allFilesAt(dir: string, commitSha: string): Promise<AllFiles> {
    const previous = this.#allFiles;
    const next = previous.then(async current => {
      if (current?.commitSha === commitSha) return current;
      const changes = current
        ? await this.#diff(dir, current.commitSha, commitSha, []).catch(
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
      return {
        commitSha,
        entries: await listCommitFiles(this.#reader(dir), commitSha),
      };
    });
    // A failed listing leaves the last good one for the next call.
    this.#allFiles = next.catch(() => previous);
    return next;
  }

  /**
   * The contents of blobs by id (from tree()), read in one batch; an id the
   * repository does not hold is left out of the map.
   */
  async readBlobs(blobIds: string[]): Promise<Map<string, string>> {
    if (blobIds.length === 0) return new Map();
    // Blobs never change: a repository on this machine is read in place.
    const dir =
      this.#localPath ??
      (await this.#enqueue(
        async () =>
          (await this.#workdir?.catch(() => undefined)) ??
          (await this.#freshWorkdir()),
      ));
    const objects = await this.#reader(dir).read(blobIds);
    const blobs = new Map<string, string>();
    for (const [id, object] of objects) {
      if (object.type === 'blob') blobs.set(id, object.data.toString('utf8'));
    }
    return blobs;
  }

  /** The files changed under the prefixes between two commits in dir. */
  #diff(dir: string, from: string, to: string, prefixes: string[]) {
    return diffCommitTrees(this.#reader(dir), from, to, prefixes);
  }

  #reader(dir: string): GitObjectReader {
    let reader = this.#readers.get(dir);
    if (!reader) {
      reader = new GitObjectReader(dir);
      this.#readers.set(dir, reader);
    }
    return reader;
  }

  /**
   * The latest `limit` commits of the branch's head that touched any of
   * `paths` (files or folders), newest first. No paths, no commits.
   */
  async history(paths: string[], limit: number): Promise<GitOpsCommit[]> {
    paths.forEach(assertSafeRepositoryPath);
    if (paths.length === 0 || limit < 1) return [];
    const work = async () => {
      // A repository on this machine is read in place, at its branch.
      const [dir, rev] = this.#localPath
        ? [this.#localPath, `refs/heads/${this.#branch}`]
        : [await this.#historyClone(), 'FETCH_HEAD'];
      const log = await runGit(
        [
          'log',
          '-z',
          `--max-count=${Math.floor(limit)}`,
          '--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s',
          rev,
          '--',
          ...paths,
        ],
        { cwd: dir, trim: false },
      );
      return log
        .split('\0')
        .filter(Boolean)
        .map(record => {
          const [sha, author, email, time, message] = record.split('\x1f');
          const url = this.#link(sha);
          return {
            sha,
            author,
            email,
            time,
            message,
            ...(/^https?:\/\//.test(url) ? { url } : {}),
          };
        });
    };
    if (this.#localPath) return work();
    const next = this.#historyQueue.then(work, work);
    this.#historyQueue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /**
   * Undoes a commit made by publish() with a new commit on the branch, e.g.
   * when a later step of the same template run failed. Pushes like publish.
   */
  async revert(options: {
    commitSha: string;
    message: string;
    author: GitIdentity;
  }): Promise<GitOpsPublishResult> {
    if (!/^[0-9a-f]{40}$/.test(options.commitSha)) {
      throw new InputError(
        `Cannot revert ${JSON.stringify(options.commitSha)}: not a commit id`,
      );
    }
    return this.#enqueue(async () => {
      for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
        const dir = await this.#freshWorkdir();
        const git = (args: string[]) =>
          runGit(args, {
            cwd: dir,
            config: this.#config,
            secrets: this.#secrets,
            author: options.author,
            committer: COMMITTER,
          });
        // The working copy is shallow; the commit and its parent are needed.
        await git([
          'fetch',
          '--quiet',
          '--depth',
          '2',
          'origin',
          options.commitSha,
        ]);
        const files = (
          await git([
            'diff',
            '--name-only',
            `${options.commitSha}^`,
            options.commitSha,
          ])
        ).split('\n');
        await git([
          '-c',
          'commit.gpgsign=false',
          'revert',
          '--no-edit',
          options.commitSha,
        ]);
        await git([
          '-c',
          'commit.gpgsign=false',
          'commit',
          '--quiet',
          '--amend',
          '-m',
          options.message,
        ]);
        const result = await this.#pushHead(git, this.#branch, files);
        if (!result) continue;
        await this.#onPublished?.(result).catch(() => undefined);
        return result;
      }
      throw new ConflictError(
        `Could not revert ${options.commitSha} on ${this.#branch} of ${
          this.displayUrl
        }: it kept moving`,
      );
    });
  }

  /** Runs work on the working copy after everything queued before it. */
  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    // The queue waits for the work but keeps none of its result (a batch of
    // blobs can be large).
    this.#queue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  async #publishWithRetry(
    change: GitOpsChange,
    targetBranch: string,
  ): Promise<GitOpsPublishResult> {
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const dir = await this.#freshWorkdir();
      const result = await this.#attempt(dir, change, targetBranch);
      if (result) {
        return result;
      }
      this.#logger.debug(
        `GitOps push to ${targetBranch} lost a race (attempt ${attempt}); retrying from the new head`,
      );
      // Spread the retries so racing writers do not collide again in lockstep.
      await new Promise(r =>
        setTimeout(r, Math.random() * 50 * Math.min(attempt, 10)),
      );
    }
    throw new ConflictError(
      `Could not push to ${targetBranch} of ${
        this.displayUrl
      }: it kept moving after ${this.#maxAttempts} attempts`,
    );
  }

  /** One clone-write-commit-push; undefined when the push lost a race. */
  async #attempt(
    dir: string,
    change: GitOpsChange,
    targetBranch: string,
  ): Promise<GitOpsPublishResult | undefined> {
    const git = (args: string[], author?: GitIdentity) =>
      runGit(args, {
        cwd: dir,
        config: this.#config,
        secrets: this.#secrets,
        author,
        committer: COMMITTER,
      });

    if (!change.update) {
      for (const p of change.newPaths ?? []) {
        const exists = await fs.stat(path.join(dir, p)).then(
          () => true,
          () => false,
        );
        if (exists) {
          throw new ConflictError(
            `${p} already exists in the GitOps repository; ask for an update to change it`,
          );
        }
      }
    }

    for (const [file, sha256] of Object.entries(change.basedOn ?? {})) {
      const content = await fs.readFile(path.join(dir, file)).catch(() => '');
      if (createHash('sha256').update(content).digest('hex') !== sha256) {
        throw new ConflictError(
          `${file} changed in the GitOps repository since this change was made from it; make the change again from the current version`,
        );
      }
    }

    for (const file of change.files) {
      const target = path.join(dir, file.path);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, file.content);
    }
    await git(['add', '--', ...change.files.map(f => f.path)]);
    const staged = await git(['diff', '--cached', '--name-only']);
    const files = change.files.map(f => f.path);
    if (!staged) {
      const head = await git(['rev-parse', 'HEAD']);
      return {
        commitSha: head,
        changed: false,
        branch: this.#branch,
        files,
        link: this.#link(head),
      };
    }

    await git(
      ['-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', change.message],
      change.author,
    );
    return this.#pushHead(git, targetBranch, files);
  }

  /** Pushes the new HEAD to a branch; undefined when another writer was first. */
  async #pushHead(
    git: (args: string[]) => Promise<string>,
    branch: string,
    files: string[],
  ): Promise<GitOpsPublishResult | undefined> {
    const sha = await git(['rev-parse', 'HEAD']);
    try {
      await git(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
    } catch (error) {
      if (error instanceof GitCommandError && RACE.test(error.stderr)) {
        return undefined;
      }
      throw this.#explain(error, 'push to');
    }
    return {
      commitSha: sha,
      changed: true,
      branch,
      files,
      link: this.#link(sha),
    };
  }

  /**
   * The working copy at the branch's current head, with nothing else in it.
   * Cloned once; afterwards a shallow fetch and a hard reset bring it up to
   * date, which costs only what changed.
   */
  async #freshWorkdir(): Promise<string> {
    if (this.#workdir) {
      const dir = await this.#workdir;
      const git = (args: string[]) =>
        runGit(args, {
          cwd: dir,
          config: this.#config,
          secrets: this.#secrets,
        });
      try {
        await this.#fetch(dir);
        await git(['reset', '--quiet', '--hard', 'FETCH_HEAD']);
        await git(['clean', '--quiet', '-fdx']);
        return dir;
      } catch {
        // Start over from a new clone if the working copy is unusable.
        await fs.rm(dir, { recursive: true, force: true });
        this.#workdir = undefined;
      }
    }
    const workdir = this.#clone();
    this.#workdir = workdir;
    workdir.catch(() => {
      this.#workdir = undefined;
    });
    return workdir;
  }

  /** Fetches the branch's head into the working copy, as FETCH_HEAD. */
  async #fetch(dir: string): Promise<void> {
    await runGit(
      ['fetch', '--quiet', '--depth', '1', '--no-tags', 'origin', this.#branch],
      { cwd: dir, config: this.#config, secrets: this.#secrets },
    );
  }

  /**
   * The working copy with the branch's head fetched but not checked out
   * (FETCH_HEAD), which is cheaper than a reset for reads of the object
   * store; a new clone's HEAD when there is no working copy yet.
   */
  async #fetchedHead(): Promise<{ dir: string; rev: string }> {
    const dir = await this.#workdir?.catch(() => undefined);
    if (dir) {
      try {
        await this.#fetch(dir);
        return { dir, rev: 'FETCH_HEAD' };
      } catch {
        // #freshWorkdir starts over from a new clone when this one is unusable.
      }
    }
    return { dir: await this.#freshWorkdir(), rev: 'HEAD' };
  }

  /**
   * The history clone with the branch's head fetched as FETCH_HEAD: a bare
   * clone of the branch made once (without file contents where the remote
   * supports it), then fetched, which costs only the new commits.
   */
  async #historyClone(): Promise<string> {
    const options = { config: this.#config, secrets: this.#secrets };
    if (!this.#historyDir) {
      const made = (async () => {
        const dir = await fs.mkdtemp(
          path.join(os.tmpdir(), 'causeway-gitops-history-'),
        );
        try {
          await runGit(
            [
              'clone',
              '--quiet',
              '--bare',
              '--filter=blob:none',
              '--single-branch',
              '--no-tags',
              '--branch',
              this.#branch,
              this.#cloneUrl(),
              dir,
            ],
            options,
          );
          return dir;
        } catch (error) {
          await fs.rm(dir, { recursive: true, force: true });
          throw this.#explain(error, 'read');
        }
      })();
      this.#historyDir = made;
      made.catch(() => {
        this.#historyDir = undefined;
      });
    }
    const dir = await this.#historyDir;
    try {
      await runGit(['fetch', '--quiet', '--no-tags', 'origin', this.#branch], {
        ...options,
        cwd: dir,
      });
    } catch (error) {
      throw this.#explain(error, 'read');
    }
    return dir;
  }

  async #clone(): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'causeway-gitops-'));
    try {
      await runGit(
        [
          'clone',
          '--quiet',
          '--depth',
          '1',
          '--no-tags',
          '--branch',
          this.#branch,
          this.#cloneUrl(),
          dir,
        ],
        { config: this.#config, secrets: this.#secrets },
      );
      return dir;
    } catch (error) {
      await fs.rm(dir, { recursive: true, force: true });
      throw this.#explain(error, 'read');
    }
  }

  #cloneUrl(): string {
    // --depth needs a URL for local repositories.
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(this.#url)
      ? this.#url
      : `file://${path.resolve(this.#url)}`;
  }

  #explain(error: unknown, doing: string): Error {
    if (!(error instanceof GitCommandError)) {
      return error as Error;
    }
    const reason = error.stderr.trim().split('\n').pop() ?? '';
    const what = UNAUTHORISED.test(error.stderr)
      ? 'the credentials were refused'
      : 'it could not be reached';
    return new InputError(
      `Could not ${doing} the GitOps repository ${this.displayUrl} (branch ${
        this.#branch
      }): ${what}. ${reason}`,
    );
  }

  #link(sha: string): string {
    const url = this.displayUrl;
    if (/^https?:\/\//.test(url)) {
      return `${url
        .replace(/\.git$/, '')
        .replace(/\/\/\*\*\*@/, '//')}/commit/${sha}`;
    }
    return `${this.#cloneUrl()}#${sha}`;
  }
}
