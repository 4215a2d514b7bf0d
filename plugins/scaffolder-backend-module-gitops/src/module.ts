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
      },
      async init({ scaffolder, config, logger, repository }) {
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
        const testPauses =
          config.getOptionalBoolean('goldenPaths.testing.pauses') ?? false;
        scaffolder.addActions(
          ...[
            createRenderServiceAction({
              policy: platformPolicyFromConfig(config),
              gitops,
            }),
            createRenderJobAction({
              policy: platformPolicyFromConfig(config),
              gitops,
            }),
            createRenderClaimAction({ apis, gitops }),
            createConnectServiceAction({ repository }),
            createPublishAction({ repository }),
          ].map(action => withTestPauses(action, testPauses)),
        );
      },
    });
  },
});
