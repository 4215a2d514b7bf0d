import path from 'node:path';
import { EventsService } from '@backstage/plugin-events-node';
import { InputError } from '@backstage/errors';
import {
  isNullSha,
  LocalGitHost,
  parseRefUpdates,
  SOURCE_REPOSITORY_PUSHED_TOPIC,
  SourceRepositoryPushedEvent,
} from '@causeway/plugin-gitops-node';
import { GitOpsHeadTracker } from './GitOpsHeadTracker';

/**
 * What the local repositories' post-receive hook reports: which repository
 * (the hook's folder, checked against the portal's own) and the refs that
 * moved (validated). A push to the GitOps branch goes out as the files it
 * changed, a push to a source repository's default branch as
 * SOURCE_REPOSITORY_PUSHED_TOPIC; other refs change no grade.
 */
export class LocalPushReceiver {
  readonly #host: LocalGitHost;
  readonly #gitopsPath?: string;
  readonly #gitops: GitOpsHeadTracker;
  readonly #events: EventsService;

  constructor(options: {
    host: LocalGitHost;
    /** The GitOps repository's folder when it is on this machine. */
    gitopsPath?: string;
    gitops: GitOpsHeadTracker;
    events: EventsService;
  }) {
    this.#host = options.host;
    this.#gitopsPath = options.gitopsPath && path.resolve(options.gitopsPath);
    this.#gitops = options.gitops;
    this.#events = options.events;
  }

  async received(body: { repository?: unknown; updates?: unknown }) {
    const updates = parseRefUpdates(body.updates);
    const repository =
      typeof body.repository === 'string' && path.isAbsolute(body.repository)
        ? path.resolve(body.repository)
        : undefined;
    if (repository && repository === this.#gitopsPath) {
      const branch = `refs/heads/${this.#gitops.branch}`;
      for (const { before, after, ref } of updates) {
        if (ref === branch) await this.#gitops.moved(before, after);
      }
      return;
    }
    const name = repository && this.#sourceName(repository);
    if (!name) {
      throw new InputError('Not a repository of this portal');
    }
    const branch = `refs/heads/${this.#host.defaultBranch}`;
    for (const { after, ref } of updates) {
      if (ref !== branch || isNullSha(after)) continue;
      await this.#events.publish({
        topic: SOURCE_REPOSITORY_PUSHED_TOPIC,
        eventPayload: {
          name,
          url: this.#host.url(name),
          branch: this.#host.defaultBranch,
          commitSha: after,
        } as SourceRepositoryPushedEvent,
      });
    }
  }

  /** The local git host's name of a repository folder, if it is one. */
  #sourceName(folder: string): string | undefined {
    if (path.dirname(folder) !== this.#host.root) return undefined;
    const name = path.basename(folder, '.git');
    try {
      return this.#host.repositoryPath(name) === folder ? name : undefined;
    } catch {
      return undefined;
    }
  }
}
