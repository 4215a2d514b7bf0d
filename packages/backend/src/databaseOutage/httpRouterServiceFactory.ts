import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  createAuthIntegrationRouter,
  createCookieAuthRefreshMiddleware,
  createCredentialsBarrier,
  createLifecycleMiddleware,
  createRateLimitMiddleware,
} from '@backstage/backend-defaults/httpRouter';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import Router from 'express-promise-router';
import { databaseProbeServiceRef } from './databaseProbe';
import { createDatabaseUnavailableHandler } from './databaseUnavailableHandler';

/**
 * Backstage's httpRouter service (backend-defaults 0.18,
 * entrypoints/httpRouter/httpRouterServiceFactory), the same middleware in
 * the same order, with one step added before the plugin's error handler:
 * database connection errors answer 503 (createDatabaseUnavailableHandler);
 * and that error handler never sends stack traces. Each plugin's router ends in its own error handler, so the root router's
 * `configure` never sees these errors; this is where they can be mapped.
 */
export const httpRouterServiceFactory = createServiceFactory({
  service: coreServices.httpRouter,
  initialization: 'always',
  deps: {
    plugin: coreServices.pluginMetadata,
    config: coreServices.rootConfig,
    lifecycle: coreServices.lifecycle,
    rootHttpRouter: coreServices.rootHttpRouter,
    auth: coreServices.auth,
    httpAuth: coreServices.httpAuth,
    logger: coreServices.logger,
    probe: databaseProbeServiceRef,
  },
  async factory({
    auth,
    httpAuth,
    config,
    plugin,
    rootHttpRouter,
    lifecycle,
    logger,
    probe,
  }) {
    const router = Router();
    router.use(createRateLimitMiddleware({ pluginId: plugin.getId(), config }));
    rootHttpRouter.use(`/api/${plugin.getId()}`, router);
    const credentialsBarrier = createCredentialsBarrier({ httpAuth, config });
    router.use(createAuthIntegrationRouter({ auth }));
    router.use(createLifecycleMiddleware({ config, lifecycle }));
    router.use(credentialsBarrier.middleware);
    router.use(createCookieAuthRefreshMiddleware({ auth, httpAuth }));
    const pluginRoutes = Router();
    router.use(pluginRoutes);
    router.use(createDatabaseUnavailableHandler({ logger, probe }));
    // Users get the error's message, never its stack with the server's
    // paths (Backstage shows it when NODE_ENV is development, as for
    // `./causeway start`); the log still has it for 5xx.
    router.use(
      MiddlewareFactory.create({ config, logger }).error({
        showStackTraces: false,
      }),
    );
    return {
      use(handler) {
        pluginRoutes.use(handler);
      },
      addAuthPolicy(policy) {
        credentialsBarrier.addAuthPolicy(policy);
      },
    };
  },
});
