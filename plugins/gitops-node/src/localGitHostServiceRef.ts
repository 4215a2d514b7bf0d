import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  SOURCE_REPOSITORY_CREATED_TOPIC,
  SourceRepositoryCreatedEvent,
} from './events';
import { LocalGitHost } from './LocalGitHost';

/** The local git host at `goldenPaths.sourceHost.path`. */
export function localGitHostFromConfig(
  config: Config,
  options: { events?: EventsService } = {},
): LocalGitHost {
  const { events } = options;
  return new LocalGitHost({
    root:
      config.getOptionalString('goldenPaths.sourceHost.path') ??
      './data/git/repos',
    onCreated: events
      ? async ({ name, url }) =>
          events.publish({
            topic: SOURCE_REPOSITORY_CREATED_TOPIC,
            eventPayload: { name, url } as SourceRepositoryCreatedEvent,
          })
      : undefined,
  });
}

/** The local git host, one per plugin that asks for it. */
export const localGitHostServiceRef = createServiceRef<LocalGitHost>({
  id: 'causeway.local-git-host',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, events: eventsServiceRef },
      factory: ({ config, events }) =>
        localGitHostFromConfig(config, { events }),
    }),
});
