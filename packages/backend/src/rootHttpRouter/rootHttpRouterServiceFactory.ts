import { rootHttpRouterServiceFactory as defaultRootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { createGuestHostGuard } from './guestHostGuard';

/**
 * Backstage's root HTTP router with its defaults, plus two things:
 * - while guest sign-in is on, requests not addressed to the portal are
 *   refused (createGuestHostGuard: DNS rebinding);
 * - its error handler (routes outside plugins, e.g. the frontend's files)
 *   never sends stack traces, which Backstage shows when NODE_ENV is
 *   development, as for `./causeway start`. Plugins' own error handlers are
 *   set the same way in databaseOutage/httpRouterServiceFactory.ts.
 * Added in index.ts only: test backends bring their own root router.
 */
export const rootHttpRouterServiceFactory = defaultRootHttpRouterServiceFactory(
  {
    configure({ app, config, logger, middleware, applyDefaults }) {
      const guard = createGuestHostGuard({ config, logger });
      if (guard) {
        app.use(guard);
      }
      // applyDefaults ends the chain with middleware.error().
      const error = middleware.error.bind(middleware);
      middleware.error = errorOptions =>
        error({ ...errorOptions, showStackTraces: false });
      applyDefaults();
    },
  },
);
