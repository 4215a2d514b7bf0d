import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  ensureLocalRepository,
  localRepositoryPath,
} from '@causeway/plugin-gitops-node';
import { createRouter } from './service/router';

/**
 * The GitOps plugin. So far it makes sure the GitOps repository of the
 * embedded default exists before anything writes to it.
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

        httpRouter.use(await createRouter());
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
