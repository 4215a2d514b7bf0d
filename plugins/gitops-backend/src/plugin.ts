import path from 'node:path';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  ensureLocalRepository,
  gitopsRepositoryServiceRef,
  gitopsRepositoryUrl,
  KubernetesClusters,
  loadPlatformApis,
  localRepositoryPath,
  platformPolicyFromConfig,
} from '@causeway/plugin-gitops-node';
import { GitOpsViewService } from './service/GitOpsViewService';
import { InfrastructureViewService } from './service/InfrastructureViewService';
import { createRouter } from './service/router';

/**
 * The GitOps plugin. It makes sure the GitOps repository of the embedded
 * default exists before anything writes to it, and serves the template forms
 * the platform policy's service tiers (GET /tiers) and the platform APIs a
 * service can claim, with their parameters (GET /platform-apis). An entity
 * page's GitOps and Infrastructure views come from it too: what git holds
 * for the entity and what the configured clusters say about it
 * (GET /entities/:namespace/:kind/:name/gitops and .../infrastructure).
 */
export const gitopsPlugin = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
        repository: gitopsRepositoryServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        catalog,
        repository,
      }) {
        const url = gitopsRepositoryUrl(config);
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

        const clusters = KubernetesClusters.fromConfig(config, logger);
        const views = {
          catalog,
          repository,
          clusters,
          permissions,
          platformApis,
        };
        httpRouter.use(
          await createRouter({
            policy: platformPolicyFromConfig(config),
            platformApis,
            gitopsViews: new GitOpsViewService(views),
            infrastructureViews: new InfrastructureViewService(views),
            httpAuth,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
