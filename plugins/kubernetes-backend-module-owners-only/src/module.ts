import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { kubernetesObjectsProviderExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { OwnersOnlyObjectsProvider } from './OwnersOnlyObjectsProvider';

/**
 * The Kubernetes tab shows an entity's objects to its owners and platform
 * admins only: the upstream backend checks a permission that cannot depend
 * on the entity, and full Pod specs (env values included) are not for
 * everyone.
 */
export const kubernetesModuleOwnersOnly = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'causeway-owners-only',
  register(reg) {
    reg.registerInit({
      deps: {
        objects: kubernetesObjectsProviderExtensionPoint,
        permissions: coreServices.permissions,
      },
      async init({ objects, permissions }) {
        objects.addObjectsProvider(
          async ({ getDefault }) =>
            new OwnersOnlyObjectsProvider(await getDefault(), permissions),
        );
      },
    });
  },
});
