import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { gitopsRepositoryServiceRef } from '@causeway/plugin-gitops-node';
import { createPublishAction } from './actions/publish';
import { createRenderServiceAction } from './actions/renderService';
import { platformPolicyFromConfig } from './platformPolicyFromConfig';

/** The golden paths' GitOps actions for the scaffolder. */
export const scaffolderModuleGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gitops',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        repository: gitopsRepositoryServiceRef,
      },
      async init({ scaffolder, config, repository }) {
        scaffolder.addActions(
          createRenderServiceAction({
            policy: platformPolicyFromConfig(config),
            gitops: {
              repoURL: repository.displayUrl,
              branch:
                config.getOptionalString('gitops.repository.branch') ?? 'main',
            },
          }),
          createPublishAction({ repository }),
        );
      },
    });
  },
});
