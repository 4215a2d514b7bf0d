import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { GitCommandError, redact, runGit } from './git';
import { GitObjectReader } from './GitObjectReader';
import { LooseObjectWriter } from './gitObjects';
import { readBranchHead } from './gitTreeChanges';
import { GitTrees } from './GitTrees';

export type GitOpsCredentials = { username: string; password: string };

/** Push rejections that mean "someone else pushed first": fetch and retry. */
const RACE =
  /\[rejected\]|\(fetch first\)|non-fast-forward|failed to update ref|cannot lock ref|stale info|incorrect old value|is at [0-9a-f]+ but expected/i;
const UNAUTHORISED =
  /authentication failed|\b40[13]\b|could not read username|access denied|permission denied/i;

/** The configured repository and branch, and how to talk to it. */
export class GitOpsRemote {
  readonly url: string;
  readonly branch: string;
  /** Extra git config for commands that reach the remote (credentials). */
  readonly config: Record<string, string> = {};
  readonly secrets: string[] = [];

  constructor(options: {
    url: string;
    branch: string;
    credentials?: GitOpsCredentials;
  }) {
    this.url = options.url;
    this.branch = options.branch;
    if (options.credentials) {
      const { username, password } = options.credentials;
      const basic = Buffer.from(`${username}:${password}`).toString('base64');
      this.config['http.extraHeader'] = `Authorization: Basic ${basic}`;
      this.secrets.push(password, basic);
    }
  }

  /** The repository's URL, safe to show: never carries credentials. */
  get displayUrl(): string {
    return redact(this.url, this.secrets);
  }

  get cloneUrl(): string {
    // --depth needs a URL for local repositories.
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(this.url)
      ? this.url
      : `file://${path.resolve(this.url)}`;
  }

  /** A link to a commit: the web view where the remote has one. */
  link(sha: string): string {
    const url = this.displayUrl;
    if (/^https?:\/\//.test(url)) {
      return `${url
        .replace(/\.git$/, '')
        .replace(/\/\/\*\*\*@/, '//')}/commit/${sha}`;
    }
    return `${this.cloneUrl}#${sha}`;
  }

  /** Runs git against the remote, with its credentials and their redaction. */
  git(args: string[], cwd?: string): Promise<string> {
    return runGit(args, { cwd, config: this.config, secrets: this.secrets });
  }

  /** A failed git command as a user would want it told, without credentials. */
  explain(error: unknown, doing: string): Error {
    if (!(error instanceof GitCommandError)) {
      return error as Error;
    }
    const reason = error.stderr.trim().split('\n').pop() ?? '';
    const what = UNAUTHORISED.test(error.stderr)
      ? 'the credentials were refused'
      : 'it could not be reached';
    return new InputError(
      `Could not ${doing} the GitOps repository ${this.displayUrl} (branch ${this.branch}): ${what}. ${reason}`,
    );
  }
}

/** The branch's head as a store knows it, and when it was last fetched. */
export type GitOpsHead = { commitSha: string; fetchedAt: number };

/**
 * Where the GitOps repository's objects are read and written on this
 * machine, and how its branches move: the repository itself when it is on
 * this machine, else one local bare cache of the remote.
 */
export interface GitOpsStore {
  readonly remote: GitOpsRemote;
  /** The trees and objects, once the store is ready. */
  trees(): Promise<GitTrees>;
  /**
   * The branch's head: fetched when the one known was fetched before
   * `notBefore` (a time from Date.now()), else the one known.
   */
  head(notBefore?: number): Promise<GitOpsHead>;
  /** The head last known, if any, without fetching. */
  readonly lastHead?: GitOpsHead;
  /**
   * Moves a branch to a commit whose objects the store holds, if it is at
   * `expected` (undefined: if it does not exist yet). False when it was not.
   */
  update(branch: string, sha: string, expected?: string): Promise<boolean>;
  /** Whether the remote has the branch. */
  hasBranch(branch: string): Promise<boolean>;
  /** Makes a commit of the remote and its parent readable (e.g. to revert it). */
  ensureCommit(sha: string): Promise<void>;
  /** `git log <options> <head> -- <paths>` in a repository with the whole history. */
  log(head: string, options: string[], paths: string[]): Promise<string>;
  close(): Promise<void>;
}

/** Whether a repository on this machine holds a commit. */
function hasCommit(dir: string, sha: string): Promise<boolean> {
  return runGit(['cat-file', '-e', `${sha}^{commit}`], { cwd: dir }).then(
    () => true,
    () => false,
  );
}

/** Whether a failed git command lost a race to another writer. */
function raced(error: unknown): boolean {
  return error instanceof GitCommandError && RACE.test(error.stderr);
}

function objectWriter(repositoryDir: string, sampleId: string) {
  return new LooseObjectWriter(
    path.join(repositoryDir, 'objects'),
    sampleId.length === 64 ? 'sha256' : 'sha1',
  );
}

/**
 * A bare repository on this machine (the embedded default), read and written
 * in place: the head from its ref files, objects written into it, and the
 * branch moved with `git update-ref`'s compare-and-swap, so no push, no
 * clone and nothing to fetch.
 */
export class LocalGitOpsStore implements GitOpsStore {
  readonly remote: GitOpsRemote;
  readonly #dir: string;
  #trees?: GitTrees;

  constructor(remote: GitOpsRemote, dir: string) {
    this.remote = remote;
    this.#dir = dir;
  }

  async trees(): Promise<GitTrees> {
    if (!this.#trees) {
      const { commitSha } = await this.head();
      this.#trees ??= new GitTrees(
        new GitObjectReader(this.#dir),
        objectWriter(this.#dir, commitSha),
      );
    }
    return this.#trees;
  }

  readonly lastHead = undefined;

  async head(): Promise<GitOpsHead> {
    const commitSha = await readBranchHead(this.#dir, this.remote.branch);
    if (!commitSha) {
      throw new InputError(
        `Could not read the GitOps repository ${this.remote.displayUrl} (branch ${this.remote.branch}): it could not be reached. It has no such branch`,
      );
    }
    return { commitSha, fetchedAt: Date.now() };
  }

  async update(branch: string, sha: string, expected?: string) {
    try {
      await runGit(
        ['update-ref', `refs/heads/${branch}`, sha, expected ?? ''],
        { cwd: this.#dir },
      );
      return true;
    } catch (error) {
      if (raced(error)) return false;
      throw this.remote.explain(error, 'write to');
    }
  }

  async hasBranch(branch: string) {
    return !!(await readBranchHead(this.#dir, branch));
  }

  async ensureCommit(): Promise<void> {
    // Everything is here.
  }

  log(head: string, options: string[], paths: string[]): Promise<string> {
    return runGit(['log', ...options, head, '--', ...paths], {
      cwd: this.#dir,
      trim: false,
    });
  }

  async close() {
    this.#trees?.reader.close();
  }
}

/** How long a fetched head serves reads before the next read fetches again. */
export const HEAD_REFRESH_MS = 3_000;

/**
 * A remote repository, through one local bare cache: a shallow clone of the
 * branch, then fetches of what is new (at most one at a time; reads that
 * want a newer head share it). Commits are written into the cache as
 * objects and pushed by id with a lease on the head they were made on, so
 * a push that lost a race fails instead of overwriting. history() reads a
 * second bare clone with every commit and no file contents, fetched when
 * the head it shows is not there yet.
 */
export class RemoteGitOpsStore implements GitOpsStore {
  readonly remote: GitOpsRemote;
  readonly #logger: LoggerService;
  #cache?: Promise<{ dir: string; trees: GitTrees }>;
  #head?: GitOpsHead;
  #fetching?: { startedAt: number; done: Promise<GitOpsHead> };
  #history?: Promise<string>;
  #historyHead?: string;
  #historyQueue: Promise<unknown> = Promise.resolve();

  constructor(remote: GitOpsRemote, logger: LoggerService) {
    this.remote = remote;
    this.#logger = logger;
  }

  async trees(): Promise<GitTrees> {
    return (await this.#open()).trees;
  }

  #open() {
    if (!this.#cache) {
      const opened = this.#clone();
      this.#cache = opened;
      opened.catch(() => {
        if (this.#cache === opened) this.#cache = undefined;
      });
    }
    return this.#cache;
  }

  async #clone(): Promise<{ dir: string; trees: GitTrees }> {
    const { remote } = this;
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'causeway-gitops-'));
    const startedAt = Date.now();
    try {
      await remote.git([
        'clone',
        '--quiet',
        '--bare',
        '--depth',
        '1',
        '--single-branch',
        '--no-tags',
        '--branch',
        remote.branch,
        remote.cloneUrl,
        dir,
      ]);
    } catch (error) {
      await fs.rm(dir, { recursive: true, force: true });
      throw remote.explain(error, 'read');
    }
    // A bare clone has no fetch refspec, so a push moves no ref of the
    // cache: only #fetch() does, and the two never wait for one ref's lock.
    const commitSha = (await readBranchHead(dir, remote.branch))!;
    this.#head = { commitSha, fetchedAt: startedAt };
    return {
      dir,
      trees: new GitTrees(
        new GitObjectReader(dir),
        objectWriter(dir, commitSha),
      ),
    };
  }

  get lastHead(): GitOpsHead | undefined {
    return this.#head;
  }

  async head(notBefore = Date.now() - HEAD_REFRESH_MS): Promise<GitOpsHead> {
    await this.#open();
    if (this.#head && this.#head.fetchedAt >= notBefore) return this.#head;
    const fetching = this.#fetching;
    if (fetching && fetching.startedAt >= notBefore) return fetching.done;
    const done = (async () => {
      await fetching?.done.catch(() => undefined);
      return this.#fetch();
    })();
    const entry = { startedAt: Date.now(), done };
    this.#fetching = entry;
    done.then(
      () => {
        if (this.#fetching === entry) this.#fetching = undefined;
      },
      () => {
        if (this.#fetching === entry) this.#fetching = undefined;
      },
    );
    return done;
  }

  async #fetch(): Promise<GitOpsHead> {
    const { dir } = await this.#open();
    const { branch } = this.remote;
    const fetchedAt = Date.now();
    try {
      await this.remote.git(
        [
          'fetch',
          '--quiet',
          '--no-tags',
          'origin',
          `+refs/heads/${branch}:refs/heads/${branch}`,
        ],
        dir,
      );
    } catch (error) {
      throw this.remote.explain(error, 'read');
    }
    const commitSha = (await readBranchHead(dir, branch))!;
    // A push of ours after the fetch began is newer than what it found.
    if (!this.#head || this.#head.fetchedAt <= fetchedAt) {
      this.#head = { commitSha, fetchedAt };
    }
    return this.#head;
  }

  async update(branch: string, sha: string, expected?: string) {
    const { dir } = await this.#open();
    const pushedAt = Date.now();
    try {
      await this.remote.git(
        [
          'push',
          '--quiet',
          '--no-verify',
          `--force-with-lease=refs/heads/${branch}:${expected ?? ''}`,
          'origin',
          `${sha}:refs/heads/${branch}`,
        ],
        dir,
      );
    } catch (error) {
      if (raced(error)) return false;
      throw this.remote.explain(error, 'push to');
    }
    if (branch === this.remote.branch) {
      this.#head = { commitSha: sha, fetchedAt: pushedAt };
    }
    return true;
  }

  async hasBranch(branch: string) {
    const { dir } = await this.#open();
    const listed = await this.remote
      .git(['ls-remote', '--heads', 'origin', `refs/heads/${branch}`], dir)
      .catch(error => {
        throw this.remote.explain(error, 'read');
      });
    return listed !== '';
  }

  async ensureCommit(sha: string): Promise<void> {
    const { dir, trees } = await this.#open();
    const found = await trees.reader.read([sha]);
    const commit = found.get(sha)?.data.toString('latin1');
    const parent = commit && /^parent ([0-9a-f]+)$/m.exec(commit)?.[1];
    if (commit && (!parent || (await trees.reader.read([parent])).size)) {
      return;
    }
    await this.remote
      .git(
        ['fetch', '--quiet', '--no-tags', '--depth', '2', 'origin', sha],
        dir,
      )
      .catch(error => {
        throw this.remote.explain(error, 'read');
      });
  }

  async log(head: string, options: string[], paths: string[]) {
    const work = async () => {
      const dir = await this.#historyClone();
      if (this.#historyHead !== head) {
        const ref = `+refs/heads/${this.remote.branch}:refs/heads/${this.remote.branch}`;
        // The cache fetched this head already: its new commits come from
        // there, so a read costs the git host one fetch, not two; from the
        // host only when the cache cannot give them (say after a force push).
        const { dir: cache } = await this.#open();
        const fromCache = await runGit(
          ['fetch', '--quiet', '--no-tags', cache, ref],
          { cwd: dir },
        ).then(
          () => hasCommit(dir, head),
          () => false,
        );
        if (!fromCache) {
          await this.remote
            .git(['fetch', '--quiet', '--no-tags', 'origin', ref], dir)
            .catch(error => {
              throw this.remote.explain(error, 'read');
            });
        }
        this.#historyHead = head;
      }
      return runGit(['log', ...options, head, '--', ...paths], {
        cwd: dir,
        trim: false,
      });
    };
    const next: Promise<string> = this.#historyQueue.then(work, work);
    this.#historyQueue = next.catch(() => undefined);
    return next;
  }

  /**
   * A bare clone of the branch with every commit and tree but no file
   * contents where the remote allows it: what `git log -- paths` needs.
   */
  #historyClone(): Promise<string> {
    if (!this.#history) {
      const made = (async () => {
        const dir = await fs.mkdtemp(
          path.join(os.tmpdir(), 'causeway-gitops-history-'),
        );
        try {
          await this.remote.git([
            'clone',
            '--quiet',
            '--bare',
            '--filter=blob:none',
            '--single-branch',
            '--no-tags',
            '--branch',
            this.remote.branch,
            this.remote.cloneUrl,
            dir,
          ]);
          this.#historyHead = await readBranchHead(dir, this.remote.branch);
          return dir;
        } catch (error) {
          await fs.rm(dir, { recursive: true, force: true });
          throw this.remote.explain(error, 'read');
        }
      })();
      this.#history = made;
      made.catch(() => {
        this.#history = undefined;
      });
    }
    return this.#history;
  }

  async close() {
    const cache = await this.#cache?.catch(() => undefined);
    const history = await this.#history?.catch(() => undefined);
    this.#cache = undefined;
    this.#history = undefined;
    this.#head = undefined;
    this.#historyHead = undefined;
    cache?.trees.reader.close();
    for (const dir of [cache?.dir, history]) {
      if (dir) await fs.rm(dir, { recursive: true, force: true });
    }
    this.#logger.debug('Closed the GitOps repository cache');
  }
}
