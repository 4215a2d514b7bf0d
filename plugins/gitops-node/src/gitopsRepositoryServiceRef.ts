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
import { GitOpsCredentials, GitOpsRepository } from './GitOpsRepository';
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
  options: { logger: LoggerService; events?: EventsService },
): GitOpsRepository {
  const { events } = options;
  const url = config.getString('gitops.repository.url');
  const local = localRepositoryPath(url);
  return new GitOpsRepository({
    url: local ?? url,
    branch: config.getOptionalString('gitops.repository.branch') ?? 'main',
    credentials: local ? undefined : readCredentials(config, url),
    logger: options.logger,
    onPublished: events
      ? async ({ commitSha, branch, files }) =>
          events.publish({
            topic: GITOPS_CHANGED_TOPIC,
            eventPayload: { commitSha, branch, files } as GitOpsChangedEvent,
          })
      : undefined,
  });
}

/** The configured GitOps repository, one per plugin that asks for it. */
export const gitopsRepositoryServiceRef = createServiceRef<GitOpsRepository>({
  id: 'causeway.gitops.repository',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        events: eventsServiceRef,
      },
      factory: ({ config, logger, events }) =>
        gitopsRepositoryFromConfig(config, { logger, events }),
    }),
});
