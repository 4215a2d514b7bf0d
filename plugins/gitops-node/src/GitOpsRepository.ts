import { LoggerService } from '@backstage/backend-plugin-api';
import { GitOpsReader } from './GitOpsReader';
import {
  GitOpsCredentials,
  GitOpsRemote,
  GitOpsStore,
  LocalGitOpsStore,
  RemoteGitOpsStore,
} from './GitOpsStore';
import {
  GitOpsChange,
  GitOpsPublishResult,
  GitOpsRevert,
  GitOpsWriter,
} from './GitOpsWriter';
import { localRepositoryPath } from './localRepositoryPath';
import { findTaskCommits, TaskCommit } from './taskCommits';

export type { GitOpsCredentials } from './GitOpsStore';
export type {
  GitOpsCommit,
  GitOpsFile,
  GitOpsSnapshot,
  GitOpsTree,
  GitOpsUnfollowed,
} from './GitOpsReader';
export type {
  GitOpsChange,
  GitOpsPublishResult,
  GitOpsRevert,
} from './GitOpsWriter';
/** A file of a git tree: its path and the id of its content (a blob). */
export type { GitTreeEntry } from './gitTreeChanges';

/** Told about every commit made through a repository, e.g. to send a change event. */
export type GitOpsPublishListener = (
  result: GitOpsPublishResult,
) => Promise<void>;

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
  onPublished?: GitOpsPublishListener;
};

/**
 * The GitOps repository: a reader (head, trees, blobs, history) and a writer
 * (a set of files as one commit by the user who asked, pushed safely under
 * concurrency). One per backend (see gitopsRepositoryRootServiceRef); each
 * plugin gets a view of it that tells its listener about the commits made
 * through that view (withPublishListener).
 */
export class GitOpsRepository {
  readonly reader: GitOpsReader;
  readonly writer: GitOpsWriter;
  readonly #store: GitOpsStore;
  readonly #logger: LoggerService;
  readonly #onPublished?: GitOpsPublishListener;

  constructor(
    options:
      | GitOpsRepositoryOptions
      | { of: GitOpsRepository; onPublished: GitOpsPublishListener },
  ) {
    if ('of' in options) {
      const shared = options.of;
      this.reader = shared.reader;
      this.writer = shared.writer;
      this.#store = shared.#store;
      this.#logger = shared.#logger;
      this.#onPublished = options.onPublished;
      return;
    }
    const localPath = localRepositoryPath(options.url);
    const remote = new GitOpsRemote({
      url: options.url,
      branch: options.branch,
      credentials: options.credentials,
    });
    this.#store = localPath
      ? new LocalGitOpsStore(remote, localPath)
      : new RemoteGitOpsStore(remote, options.logger);
    this.reader = new GitOpsReader(this.#store, options.logger);
    this.writer = new GitOpsWriter(this.#store, options.logger, {
      maxAttempts: options.maxAttempts,
    });
    this.#logger = options.logger;
    this.#onPublished = options.onPublished;
  }

  /**
   * The same repository (reader, writer, cache and publish queue), telling
   * `onPublished` about each commit made through the returned view.
   */
  withPublishListener(onPublished: GitOpsPublishListener): GitOpsRepository {
    return new GitOpsRepository({ of: this, onPublished });
  }

  /** The repository's URL, safe to show: never carries credentials. */
  get displayUrl(): string {
    return this.reader.displayUrl;
  }

  async publish(change: GitOpsChange): Promise<GitOpsPublishResult> {
    return this.#told(await this.writer.publish(change));
  }

  /**
   * Undoes a commit made by publish() with a new commit on the branch, e.g.
   * when a later step of the same template run failed. Pushes like publish.
   */
  async revert(options: GitOpsRevert): Promise<GitOpsPublishResult> {
    return this.#told(await this.writer.revert(options));
  }

  /**
   * The commits of the branch a scaffolder task made, newest first (see
   * findTaskCommits): what a run resumed after a crash already did.
   */
  commitsOfTask(taskId: string): Promise<TaskCommit[]> {
    return findTaskCommits(this.#store, taskId);
  }

  /**
   * Tells this view's listener about a commit made earlier, e.g. one a run
   * resumed after a crash found: its first attempt may have died before
   * telling anyone.
   */
  async announce(result: GitOpsPublishResult): Promise<void> {
    await this.#told(result);
  }

  /** The commit at the head of the branch Argo CD syncs. */
  head(): Promise<string> {
    return this.reader.head();
  }

  /** See GitOpsReader.snapshot. */
  snapshot(prefix: string) {
    return this.reader.snapshot(prefix);
  }

  /** See GitOpsReader.unfollowed. */
  unfollowed(commitSha: string, prefixes: string[]) {
    return this.reader.unfollowed(commitSha, prefixes);
  }

  /** See GitOpsReader.tree. */
  tree(prefixes: string[]) {
    return this.reader.tree(prefixes);
  }

  /** See GitOpsReader.readBlobs. */
  readBlobs(blobIds: string[]) {
    return this.reader.readBlobs(blobIds);
  }

  /** See GitOpsReader.history. */
  history(paths: string[], limit: number) {
    return this.reader.history(paths, limit);
  }

  /** Waits for the changes under way, then stops git processes and removes the cache. */
  async close(): Promise<void> {
    await this.writer.drain();
    await this.#store.close();
  }

  async #told(result: GitOpsPublishResult): Promise<GitOpsPublishResult> {
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
}
