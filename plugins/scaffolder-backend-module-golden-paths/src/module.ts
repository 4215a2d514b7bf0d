import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  gitopsRepositoryServiceRef,
  localGitHostServiceRef,
} from '@causeway/plugin-gitops-node';
import { createPreflightAction } from './actions/preflight';
import { createPublishSourceAction } from './actions/publishSource';
import { createWaitForEntityAction } from './actions/waitForEntity';
import { sourceHostFromConfig } from './sourceHost';

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
      },
      async init({
        scaffolder,
        config,
        catalog,
        repository,
        host,
        permissions,
      }) {
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
          }),
          createPublishSourceAction({ host, repository }),
          createWaitForEntityAction({ catalog }),
        );
      },
    });
  },
});
