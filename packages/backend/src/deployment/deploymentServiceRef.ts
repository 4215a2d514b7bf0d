import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { assertSafeDeployment, Deployment } from './deploymentConfig';

/** How this backend is deployed (`causeway.deployment`). */
export const deploymentServiceRef = createServiceRef<Deployment>({
  id: 'causeway.deployment',
  scope: 'root',
});

/**
 * Root services start before any plugin, so an unsafe production
 * configuration stops the backend before a plugin migrates a database or
 * writes a file.
 */
export const deploymentServiceFactory = createServiceFactory({
  service: deploymentServiceRef,
  deps: { config: coreServices.rootConfig },
  factory: ({ config }) => assertSafeDeployment(config),
});
