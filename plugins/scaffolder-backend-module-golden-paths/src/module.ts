import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createTemplateGlobalValue,
  scaffolderTemplatingExtensionPoint,
} from '@backstage/plugin-scaffolder-node/alpha';
import {
  gitopsRepositoryServiceRef,
  localGitHostServiceRef,
  SOURCE_REPOSITORY_CREATED_TOPIC,
  SourceRepositoryCreatedEvent,
  withTestPauses,
} from '@causeway/plugin-gitops-node';
import { createFinishRunAction } from './actions/finishRun';
import { createPreflightAction } from './actions/preflight';
import { createPublishSourceAction } from './actions/publishSource';
import { createWaitForEntityAction } from './actions/waitForEntity';
import { scorecardGateFromConfig } from './scorecardGate';
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
        templating: scaffolderTemplatingExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        repository: gitopsRepositoryServiceRef,
        host: localGitHostServiceRef,
        permissions: coreServices.permissions,
        userInfo: coreServices.userInfo,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        events: eventsServiceRef,
      },
      async init({
        scaffolder,
        templating,
        config,
        catalog,
        repository,
        host,
        permissions,
        userInfo,
        discovery,
        auth,
        events,
      }) {
        const sourceHost = sourceHostFromConfig(config);
        // A template global: every skeleton's CI workflow installs the gate
        // from it, and no template can forget to pass it.
        templating.addTemplateGlobals([
          createTemplateGlobalValue({
            id: 'scorecardGate',
            value: scorecardGateFromConfig(config),
            description:
              'The scorecard release gate CI runs: { name, scope, version, registry } from goldenPaths.scorecardGate',
          }),
        ]);
        const testPauses =
          config.getOptionalBoolean('goldenPaths.testing.pauses') ?? false;
        scaffolder.addActions(
          ...[
            createPreflightAction({
              catalog,
              permissions,
              userInfo,
              repository,
              host,
              sourceHost,
              imageRegistry:
                config.getOptionalString('goldenPaths.imageRegistry') ??
                'registry.causeway.internal',
            }),
            createPublishSourceAction({
              host,
              repository,
              // As the host does for a repository it creates: the catalog reads it.
              onFound: async ({ name, url }) =>
                events.publish({
                  topic: SOURCE_REPOSITORY_CREATED_TOPIC,
                  eventPayload: { name, url } as SourceRepositoryCreatedEvent,
                }),
            }),
            createWaitForEntityAction({ catalog }),
            createFinishRunAction({
              repository,
              host,
              sourceHost,
              removeLocation: async target => {
                // As this module's service: the user who ran the template may
                // register locations but not remove them.
                const credentials = await auth.getOwnServiceCredentials();
                const location = await catalog.getLocationByRef(
                  `url:${target}`,
                  {
                    credentials,
                  },
                );
                if (!location) return false;
                await catalog.removeLocationById(location.id, { credentials });
                return true;
              },
              wasRecovered: taskRecoveredFromEvents({ discovery, auth }),
            }),
          ].map(action => withTestPauses(action, testPauses)),
        );
      },
    });
  },
});
