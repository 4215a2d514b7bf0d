import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  ensureLocalRepository,
  localRepositoryPath,
  platformPolicyFromConfig,
} from '@causeway/plugin-gitops-node';
import { createRouter } from './service/router';

/**
 * The GitOps plugin. It makes sure the GitOps repository of the embedded
 * default exists before anything writes to it, and serves the platform
 * policy's service tiers (GET /tiers) to the template form.
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

        httpRouter.use(
          await createRouter({ policy: platformPolicyFromConfig(config) }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
