import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConflictError, InputError } from '@backstage/errors';
import { KUBERNETES_NAME } from '@causeway/plugin-gitops-common';
import { GitCommandError, GitIdentity, runGit } from './git';
import { useLocalHooks } from './localGitHooks';

export type LocalRepositoryCreated = {
  name: string;
  /** file:// URL of the bare repository; what `git clone` takes. */
  url: string;
  branch: string;
  commitSha: string;
};

const PLATFORM: GitIdentity = { name: 'Causeway', email: 'causeway@localhost' };

/**
 * The embedded default's git host: one bare repository per service in a
 * folder of the data directory, so a golden path works with no network.
 * A repository appears whole or not at all: it is built in a staging folder
 * beside the others and renamed into place.
 */
export class LocalGitHost {
  readonly root: string;
  readonly defaultBranch: string;
  readonly #onCreated?: (created: LocalRepositoryCreated) => Promise<void>;

  constructor(options: {
    root: string;
    defaultBranch?: string;
    /** Told about every repository created, e.g. to send an event. */
    onCreated?: (created: LocalRepositoryCreated) => Promise<void>;
  }) {
    this.root = path.resolve(options.root);
    this.defaultBranch = options.defaultBranch ?? 'main';
    this.#onCreated = options.onCreated;
  }

  /** The bare repository's folder for a service name (validated). */
  repositoryPath(name: string): string {
    if (!KUBERNETES_NAME.test(name) || name.length > 63) {
      throw new InputError(
        `Invalid repository name ${JSON.stringify(
          name,
        )}: use lowercase letters, digits and '-', at most 63 characters`,
      );
    }
    return path.join(this.root, `${name}.git`);
  }

  /**
   * The folder of the post-receive hook every repository here runs (see
   * installLocalHooks); its leading dot keeps it out of list().
   */
  get hooksDir(): string {
    return path.join(this.root, '.causeway-hooks');
  }

  url(name: string): string {
    return pathToFileURL(this.repositoryPath(name)).href;
  }

  async exists(name: string): Promise<boolean> {
    return fs.stat(this.repositoryPath(name)).then(
      s => s.isDirectory(),
      () => false,
    );
  }

  /** The names of every repository on the host, sorted. */
  async list(): Promise<string[]> {
    const entries = await fs
      .readdir(this.root, { withFileTypes: true })
      .catch(() => []);
    return entries
      .filter(e => e.isDirectory() && e.name.endsWith('.git'))
      .map(e => e.name.slice(0, -'.git'.length))
      .filter(name => KUBERNETES_NAME.test(name))
      .sort();
  }

  /**
   * Creates the repository `name` holding every file under `sourceDir` as
   * one commit by `author` on the default branch. A ConflictError when the
   * name is taken; nothing is left behind when anything fails.
   */
  async create(options: {
    name: string;
    sourceDir: string;
    message: string;
    author: GitIdentity;
    description?: string;
  }): Promise<LocalRepositoryCreated> {
    const target = this.repositoryPath(options.name);
    if (await this.exists(options.name)) {
      throw this.#taken(options.name);
    }
    await fs.mkdir(this.root, { recursive: true });
    // Staging inside the host's folder keeps the final rename on one filesystem.
    const staging = await fs.mkdtemp(path.join(this.root, '.staging-'));
    const bare = path.join(staging, `${options.name}.git`);
    let commitSha: string;
    try {
      const git = (args: string[]) =>
        runGit(['--git-dir', bare, '--work-tree', options.sourceDir, ...args], {
          author: options.author,
          committer: PLATFORM,
        });
      await runGit([
        'init',
        '--quiet',
        '--bare',
        `--initial-branch=${this.defaultBranch}`,
        bare,
      ]);
      await git(['add', '--all']);
      await git([
        '-c',
        'commit.gpgsign=false',
        'commit',
        '--quiet',
        '-m',
        options.message,
      ]);
      commitSha = await git(['rev-parse', 'HEAD']);
      // The index was only needed to commit from the workspace.
      await fs.rm(path.join(bare, 'index'), { force: true });
      // Pushes to it from now on tell the portal.
      await useLocalHooks(bare, this.hooksDir);
      if (options.description) {
        await fs.writeFile(
          path.join(bare, 'description'),
          `${options.description}\n`,
        );
      }
      try {
        await fs.rename(bare, target);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' || code === 'ENOTEMPTY') {
          throw this.#taken(options.name);
        }
        throw error;
      }
    } finally {
      await fs.rm(staging, { recursive: true, force: true });
    }
    const created = {
      name: options.name,
      url: pathToFileURL(target).href,
      branch: this.defaultBranch,
      commitSha,
    };
    await this.#onCreated?.(created);
    return created;
  }

  /**
   * A file at the tip of the default branch, or undefined when the
   * repository or the file does not exist.
   */
  async readFile(name: string, file: string): Promise<string | undefined> {
    try {
      return await runGit(
        [
          '--git-dir',
          this.repositoryPath(name),
          'cat-file',
          'blob',
          `${this.defaultBranch}:${file}`,
        ],
        { trim: false },
      );
    } catch (error) {
      if (error instanceof GitCommandError) {
        return undefined;
      }
      throw error;
    }
  }

  #taken(name: string) {
    return new ConflictError(
      `A source repository named ${name} already exists on the local git host (${this.root})`,
    );
  }
}
