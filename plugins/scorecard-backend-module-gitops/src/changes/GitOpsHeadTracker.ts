import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import {
  GITOPS_CHANGED_TOPIC,
  GitOpsChangedEvent,
  GitOpsRepository,
  isNullSha,
} from '@causeway/plugin-gitops-node';
import { HostedHeadStore } from './HostedHeadStore';

/**
 * Pushes to the GitOps repository that the portal did not make, told by a
 * hook or webhook (which commits moved) or found by the head poll (the
 * head against the one recorded): the files changed go out as
 * GITOPS_CHANGED_TOPIC, as the portal's own commits do. The head recorded
 * in the database is shared by the replicas, so a push is announced once by
 * the poll whichever replica runs it.
 */
export class GitOpsHeadTracker {
  readonly #repository: GitOpsRepository;
  readonly #heads: HostedHeadStore;
  readonly #events: EventsService;
  readonly #logger: LoggerService;
  readonly #branch: string;

  constructor(options: {
    repository: GitOpsRepository;
    branch: string;
    heads: HostedHeadStore;
    events: EventsService;
    logger: LoggerService;
  }) {
    this.#repository = options.repository;
    this.#branch = options.branch;
    this.#heads = options.heads;
    this.#events = options.events;
    this.#logger = options.logger;
  }

  get branch(): string {
    return this.#branch;
  }

  /** The head store's key of the GitOps repository. */
  get #key(): string {
    return `gitops:${this.#repository.displayUrl}`;
  }

  /**
   * The branch moved from `before` to `after` (a push a hook or webhook
   * reported): announces the files changed and records the new head.
   */
  async moved(before: string | undefined, after: string): Promise<void> {
    if (isNullSha(after)) return;
    // A webhook can arrive before this replica fetched the commit.
    await this.#repository.reader.freshHead();
    const from = before && !isNullSha(before) ? before : undefined;
    const files = await this.#repository.reader
      .changedPaths(from, after)
      // A commit this replica's cache never had: every file, graded again.
      .catch(() => this.#repository.reader.changedPaths(undefined, after));
    await this.#events.publish({
      topic: GITOPS_CHANGED_TOPIC,
      eventPayload: {
        commitSha: after,
        branch: this.#branch,
        files,
      } as GitOpsChangedEvent,
    });
    await this.#heads.record(this.#key, after);
  }

  /** The portal's own commit: the poll need not announce it again. */
  async seen(branch: string, commitSha: string): Promise<void> {
    if (branch === this.#branch) await this.#heads.record(this.#key, commitSha);
  }

  /**
   * The head poll: when the branch's head is not the one recorded, what
   * changed since is announced. The first poll only records.
   */
  async poll(): Promise<void> {
    const head = await this.#repository.reader.freshHead();
    const last = (await this.#heads.heads([this.#key])).get(this.#key);
    if (last?.sha === head) return;
    if (!last) {
      await this.#heads.record(this.#key, head);
      return;
    }
    this.#logger.info(
      `The GitOps repository moved to ${head} without a hook or webhook telling the portal; re-grading what changed since ${last.sha}`,
    );
    await this.moved(last.sha, head);
  }
}
