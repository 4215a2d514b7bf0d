import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EventParams } from '@backstage/plugin-events-node';
import {
  GITOPS_CHANGED_TOPIC,
  GitOpsChangedEvent,
  LocalGitHost,
  SOURCE_REPOSITORY_CREATED_TOPIC,
  SourceRepositoryCreatedEvent,
} from '@causeway/plugin-gitops-node';
import { EntityChangeListener } from '@causeway/plugin-scorecard-node';
import { parseAllDocuments } from 'yaml';
import { GitOpsFactProvider } from '../gitops/GitOpsFactProvider';
import { SourceFactProvider } from '../source/SourceFactProvider';

export const CHANGE_TOPICS = [
  GITOPS_CHANGED_TOPIC,
  SOURCE_REPOSITORY_CREATED_TOPIC,
];

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

  constructor(options: {
    gitops: GitOpsFactProvider;
    source: SourceFactProvider;
    host: LocalGitHost;
    logger: LoggerService;
  }) {
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
      const { files } = event.eventPayload as GitOpsChangedEvent;
      return this.#gitops.entitiesForPaths(files ?? []);
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
