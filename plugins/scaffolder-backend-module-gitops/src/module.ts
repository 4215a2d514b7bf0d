import path from 'node:path';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  gitopsRepositoryServiceRef,
  loadPlatformApis,
  platformPolicyFromConfig,
  withTestPauses,
} from '@causeway/plugin-gitops-node';
import { createConnectServiceAction } from './actions/connectService';
import { createPublishAction } from './actions/publish';
import { createRenderClaimAction } from './actions/renderClaim';
import { createRenderJobAction } from './actions/renderJob';
import { createRenderServiceAction } from './actions/renderService';

/** The golden paths' GitOps actions for the scaffolder. */
export const scaffolderModuleGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gitops',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        repository: gitopsRepositoryServiceRef,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
      },
      async init({
        scaffolder,
        config,
        logger,
        repository,
        userInfo,
        permissions,
      }) {
        const apis = await loadPlatformApis(
          path.resolve(
            config.getOptionalString('gitops.platformApis') ??
              './platform/apis',
          ),
          logger,
        );
        // What the Argo CD Applications the actions write point at.
        const gitops = {
          repoURL: repository.displayUrl,
          branch:
            config.getOptionalString('gitops.repository.branch') ?? 'main',
        };
        // Each action that writes a team's files asks who may, as the user.
        const access = { userInfo, permissions };
        const testPauses =
          config.getOptionalBoolean('goldenPaths.testing.pauses') ?? false;
        scaffolder.addActions(
          ...[
            createRenderServiceAction({
              policy: platformPolicyFromConfig(config),
              gitops,
              ...access,
            }),
            createRenderJobAction({
              policy: platformPolicyFromConfig(config),
              gitops,
              ...access,
            }),
            createRenderClaimAction({ apis, gitops, ...access }),
            createConnectServiceAction({ repository, ...access }),
            createPublishAction({ repository, ...access }),
          ].map(action => withTestPauses(action, testPauses)),
        );
      },
    });
  },
});
