import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import { GITOPS_CHANGED_TOPIC, GitOpsChangedEvent } from './events';
import {
  GitOpsCredentials,
  GitOpsPublishResult,
  GitOpsRepository,
} from './GitOpsRepository';
import { gitopsRepositoryUrl } from './gitopsRepositoryUrl';
import { localRepositoryPath } from './localRepositoryPath';

/**
 * Credentials for the GitOps remote: `gitops.repository.credentials` when
 * set, else the token of the matching integration (integrations.github...).
 */
function readCredentials(
  config: Config,
  url: string,
): GitOpsCredentials | undefined {
  const explicit = config.getOptionalConfig('gitops.repository.credentials');
  if (explicit) {
    return {
      username: explicit.getString('username'),
      password: explicit.getString('password'),
    };
  }
  const integrations = ScmIntegrations.fromConfig(config);
  const github = integrations.github.byUrl(url)?.config.token;
  if (github) return { username: 'x-access-token', password: github };
  const gitlab = integrations.gitlab.byUrl(url)?.config.token;
  if (gitlab) return { username: 'oauth2', password: gitlab };
  return undefined;
}

/** The GitOps repository configured under `gitops.repository`. */
export function gitopsRepositoryFromConfig(
  config: Config,
  options: { logger: LoggerService },
): GitOpsRepository {
  const url = gitopsRepositoryUrl(config);
  const local = localRepositoryPath(url);
  return new GitOpsRepository({
    url: local ?? url,
    branch: config.getOptionalString('gitops.repository.branch') ?? 'main',
    credentials: local ? undefined : readCredentials(config, url),
    logger: options.logger,
  });
}

/** Sends the change event of each commit, once, on a plugin's events service. */
export function publishChangeEvents(events: EventsService) {
  return async ({ commitSha, branch, files }: GitOpsPublishResult) =>
    events.publish({
      topic: GITOPS_CHANGED_TOPIC,
      eventPayload: { commitSha, branch, files } as GitOpsChangedEvent,
    });
}

/**
 * The configured GitOps repository, one per backend: one cache of the
 * remote, one head, one publish queue. Plugins use
 * gitopsRepositoryServiceRef, which also sends the change events.
 */
export const gitopsRepositoryRootServiceRef =
  createServiceRef<GitOpsRepository>({
    id: 'causeway.gitops.repository.root',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.rootLogger,
          lifecycle: coreServices.rootLifecycle,
        },
        factory: ({ config, logger, lifecycle }) => {
          const repository = gitopsRepositoryFromConfig(config, {
            logger: logger.child({ service: 'gitops-repository' }),
          });
          // Plugins have stopped by now: nothing more will be published.
          lifecycle.addShutdownHook(() => repository.close());
          return repository;
        },
      }),
  });

/**
 * The GitOps repository for a plugin: the backend's one repository
 * (gitopsRepositoryRootServiceRef), sending GITOPS_CHANGED_TOPIC on the
 * plugin's events service after each commit made through it (the events
 * service is plugin-scoped, which a root service cannot use).
 */
export const gitopsRepositoryServiceRef = createServiceRef<GitOpsRepository>({
  id: 'causeway.gitops.repository',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        repository: gitopsRepositoryRootServiceRef,
        events: eventsServiceRef,
      },
      factory: ({ repository, events }) =>
        repository.withPublishListener(publishChangeEvents(events)),
    }),
});
