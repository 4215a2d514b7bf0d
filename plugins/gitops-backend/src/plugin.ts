import path from 'node:path';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  ensureLocalRepository,
  loadPlatformApis,
  localRepositoryPath,
  platformPolicyFromConfig,
} from '@causeway/plugin-gitops-node';
import { createRouter } from './service/router';

/**
 * The GitOps plugin. It makes sure the GitOps repository of the embedded
 * default exists before anything writes to it, and serves the template forms
 * the platform policy's service tiers (GET /tiers) and the platform APIs a
 * service can claim, with their parameters (GET /platform-apis).
 */
export const gitopsPlugin = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, logger, httpRouter }) {
        const url = config.getString('gitops.repository.url');
        const branch =
          config.getOptionalString('gitops.repository.branch') ?? 'main';
        const repoPath = localRepositoryPath(url);
        if (repoPath) {
          await ensureLocalRepository({ repoPath, branch, logger });
        }

        // Read once: the XRDs change with a deployment of the portal.
        const platformApis = await loadPlatformApis(
          path.resolve(
            config.getOptionalString('gitops.platformApis') ??
              './platform/apis',
          ),
          logger,
        );

        httpRouter.use(
          await createRouter({
            policy: platformPolicyFromConfig(config),
            platformApis,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
