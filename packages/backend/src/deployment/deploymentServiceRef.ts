import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { assertSafeDeployment, Deployment } from './deploymentConfig';
import { acquireStartupLock } from './startupLock';

/** How this backend is deployed (`causeway.deployment`). */
export const deploymentServiceRef = createServiceRef<Deployment>({
  id: 'causeway.deployment',
  scope: 'root',
});

/**
 * Root services start before any plugin, so an unsafe production
 * configuration stops the backend before a plugin migrates a database or
 * writes a file; and on PostgreSQL, plugins start (and migrate) on one
 * replica at a time.
 */
export const deploymentServiceFactory = createServiceFactory({
  service: deploymentServiceRef,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
    lifecycle: coreServices.rootLifecycle,
  },
  async factory({ config, logger, lifecycle }) {
    const deployment = assertSafeDeployment(config);
    const release = await acquireStartupLock(config, logger);
    if (release) {
      lifecycle.addStartupHook(release);
      // A start that fails exits the process, which releases the lock too.
      lifecycle.addShutdownHook(release);
    }
    return deployment;
  },
});
