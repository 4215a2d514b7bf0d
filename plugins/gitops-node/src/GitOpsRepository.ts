import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { GitCommandError, GitIdentity, redact, runGit } from './git';
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
  /**
   * Publishes through this instance (one per backend) go one at a time, in
   * one working copy kept between them: they would only lose races to each
   * other. Races with other writers (other replicas, people) are handled by
   * fetching and retrying.
   */
  #queue: Promise<unknown> = Promise.resolve();
  #workdir: Promise<string> | undefined;

  constructor(options: GitOpsRepositoryOptions) {
    this.#url = options.url;
    this.#branch = options.branch;
    this.#logger = options.logger;
    this.#maxAttempts = options.maxAttempts ?? 30;
    this.#config = {};
    this.#secrets = [];
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
    const next = this.#queue.then(
      () => this.#publishWithRetry(change, targetBranch),
      () => this.#publishWithRetry(change, targetBranch),
    );
    this.#queue = next.catch(() => undefined);
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
    const sha = await git(['rev-parse', 'HEAD']);
    try {
      await git([
        'push',
        '--quiet',
        'origin',
        `HEAD:refs/heads/${targetBranch}`,
      ]);
    } catch (error) {
      if (error instanceof GitCommandError && RACE.test(error.stderr)) {
        return undefined;
      }
      throw this.#explain(error, 'push to');
    }
    return {
      commitSha: sha,
      changed: true,
      branch: targetBranch,
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
        await git([
          'fetch',
          '--quiet',
          '--depth',
          '1',
          '--no-tags',
          'origin',
          this.#branch,
        ]);
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
