import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EventParams } from '@backstage/plugin-events-node';
import {
  GITOPS_CHANGED_TOPIC,
  GitOpsChangedEvent,
  LocalGitHost,
  isNullSha,
  SOURCE_REPOSITORY_CREATED_TOPIC,
  SOURCE_REPOSITORY_PUSHED_TOPIC,
  SourceRepositoryCreatedEvent,
  SourceRepositoryPushedEvent,
} from '@causeway/plugin-gitops-node';
import { EntityChangeListener } from '@causeway/plugin-scorecard-node';
import { parseAllDocuments } from 'yaml';
import { GitOpsFactProvider } from '../gitops/GitOpsFactProvider';
import { SourceFactProvider } from '../source/SourceFactProvider';
import { DatabaseChangeIndex } from './ChangeIndex';
import { GitOpsHeadTracker } from './GitOpsHeadTracker';
import { GITHUB_PUSH_TOPIC, parseGitHubPush } from './githubPush';
import { hostedRepositoryKey, HostedHeadStore } from './HostedHeadStore';

export const CHANGE_TOPICS = [
  GITOPS_CHANGED_TOPIC,
  SOURCE_REPOSITORY_CREATED_TOPIC,
  SOURCE_REPOSITORY_PUSHED_TOPIC,
  GITHUB_PUSH_TOPIC,
];

/** What tells the portal about pushes it did not make. */
export type PushSources = {
  /** The GitOps repository's head, announced when it moves. */
  gitopsHeads: GitOpsHeadTracker;
  /** The GitOps repository's URL, to know its webhooks. */
  gitopsUrl: string;
  hostedHeads: HostedHeadStore;
  changeIndex: DatabaseChangeIndex;
};

/**
 * Turns Causeway's repository events into the entities to re-grade now: a
 * GitOps commit, the entities whose folder (or, for claims, namespace's
 * infrastructure folder) holds a file it wrote; a new source repository, the
 * entities whose source it is, or, when the last collect did not know it
 * yet, the entities its catalog-info.yaml declares.
 */
export class RepositoryChangeSource {
  readonly #gitops: GitOpsFactProvider;
  readonly #source: SourceFactProvider;
  readonly #host: LocalGitHost;
  readonly #logger: LoggerService;
  readonly #listeners: EntityChangeListener[] = [];
  readonly #pushes?: PushSources;

  constructor(options: {
    gitops: GitOpsFactProvider;
    source: SourceFactProvider;
    host: LocalGitHost;
    logger: LoggerService;
    pushes?: PushSources;
  }) {
    this.#pushes = options.pushes;
    this.#gitops = options.gitops;
    this.#source = options.source;
    this.#host = options.host;
    this.#logger = options.logger;
  }

  subscribe(listener: EntityChangeListener): void {
    this.#listeners.push(listener);
  }

  /** The entities an event changes the facts of. */
  async entitiesFor(event: EventParams): Promise<string[]> {
    if (event.topic === GITOPS_CHANGED_TOPIC) {
      const { files, commitSha, branch } =
        event.eventPayload as GitOpsChangedEvent;
      await this.#pushes?.gitopsHeads.seen(branch, commitSha).catch(() => {});
      return this.#gitops.entitiesForPaths(files ?? []);
    }
    if (event.topic === SOURCE_REPOSITORY_PUSHED_TOPIC) {
      const { name, url } = event.eventPayload as SourceRepositoryPushedEvent;
      if (name) {
        const known = await this.#source.entitiesForRepository(name);
        return known.length ? known : this.#declaredEntities(name);
      }
      if (typeof url !== 'string') return [];
      // A push whose branch is not known to be the one read (the org's
      // events): its entities' re-grade reads the repository, not the
      // hourly answer.
      this.#source.pushed(url);
      return this.#hostedEntities(url);
    }
    if (event.topic === GITHUB_PUSH_TOPIC && this.#pushes) {
      const push = parseGitHubPush(event.eventPayload);
      if (!push || isNullSha(push.after)) return [];
      const { gitopsHeads, gitopsUrl, hostedHeads } = this.#pushes;
      if (
        hostedRepositoryKey(push.repositoryUrl) ===
        hostedRepositoryKey(gitopsUrl)
      ) {
        // Announced as the files it changed, heard again as such.
        if (push.branch === gitopsHeads.branch) {
          await gitopsHeads.moved(push.before, push.after);
        }
        return [];
      }
      if (push.branch !== push.defaultBranch) return [];
      await hostedHeads.record(push.repositoryUrl, push.after);
      return this.#hostedEntities(push.repositoryUrl);
    }
    if (event.topic === SOURCE_REPOSITORY_CREATED_TOPIC) {
      const { name } = event.eventPayload as SourceRepositoryCreatedEvent;
      const known = await this.#source.entitiesForRepository(name);
      return known.length ? known : this.#declaredEntities(name);
    }
    return [];
  }

  async onEvent(event: EventParams): Promise<void> {
    const refs = await this.entitiesFor(event);
    if (refs.length === 0) return;
    this.#logger.debug(`Re-grading ${refs.join(', ')} after ${event.topic}`);
    for (const listener of this.#listeners) listener(refs);
  }

  /** The entities (as of the last collect) whose source is this hosted repository. */
  async #hostedEntities(url: string): Promise<string[]> {
    if (!this.#pushes) return [];
    const { changeIndex } = this.#pushes;
    const wanted = hostedRepositoryKey(url);
    const keys = (await changeIndex.keys('source-repository')).filter(
      key => key.startsWith('url:') && hostedRepositoryKey(key) === wanted,
    );
    return keys.length
      ? changeIndex.entitiesFor('source-repository', keys)
      : [];
  }

  /** The entities a repository's catalog-info.yaml declares. */
  async #declaredEntities(name: string): Promise<string[]> {
    const content = await this.#host
      .readFile(name, 'catalog-info.yaml')
      .catch(() => undefined);
    if (!content) return [];
    return parseAllDocuments(content).flatMap(doc => {
      const entity = doc.errors.length ? undefined : doc.toJS();
      if (
        typeof entity?.kind !== 'string' ||
        typeof entity?.metadata?.name !== 'string'
      ) {
        return [];
      }
      return [
        stringifyEntityRef({
          kind: entity.kind,
          namespace: entity.metadata.namespace ?? 'default',
          name: entity.metadata.name,
        }),
      ];
    });
  }
}
