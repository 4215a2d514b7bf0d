import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  gitopsRepositoryServiceRef,
  localGitHostServiceRef,
  SOURCE_REPOSITORY_CREATED_TOPIC,
  SourceRepositoryCreatedEvent,
} from '@causeway/plugin-gitops-node';
import { createFinishRunAction } from './actions/finishRun';
import { createPreflightAction } from './actions/preflight';
import { createPublishSourceAction } from './actions/publishSource';
import { createWaitForEntityAction } from './actions/waitForEntity';
import { sourceHostFromConfig } from './sourceHost';
import { taskRecoveredFromEvents } from './taskRecovered';

/** The golden paths' own actions: preflight, source repository, catalog wait. */
export const scaffolderModuleGoldenPaths = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'golden-paths',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        repository: gitopsRepositoryServiceRef,
        host: localGitHostServiceRef,
        permissions: coreServices.permissions,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        events: eventsServiceRef,
      },
      async init({
        scaffolder,
        config,
        catalog,
        repository,
        host,
        permissions,
        discovery,
        auth,
        events,
      }) {
        const testPauses =
          config.getOptionalBoolean('goldenPaths.testing.pauses') ?? false;
        scaffolder.addActions(
          createPreflightAction({
            catalog,
            permissions,
            repository,
            host,
            sourceHost: sourceHostFromConfig(config),
            imageRegistry:
              config.getOptionalString('goldenPaths.imageRegistry') ??
              'registry.causeway.internal',
            testPauses,
          }),
          createPublishSourceAction({
            host,
            repository,
            testPauses,
            // As the host does for a repository it creates: the catalog reads it.
            onFound: async ({ name, url }) =>
              events.publish({
                topic: SOURCE_REPOSITORY_CREATED_TOPIC,
                eventPayload: { name, url } as SourceRepositoryCreatedEvent,
              }),
          }),
          createWaitForEntityAction({ catalog, testPauses }),
          createFinishRunAction({
            repository,
            host,
            testPauses,
            wasRecovered: taskRecoveredFromEvents({ discovery, auth }),
          }),
        );
      },
    });
  },
});
