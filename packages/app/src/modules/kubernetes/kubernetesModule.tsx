import {
  coreExtensionData,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import { ClustersConfigured } from './ClustersConfigured';
import { OwnersOnly } from './OwnersOnly';

/**
 * The stock Kubernetes tab, shown when a cluster is configured and only to
 * those who may see the entity's objects (the backend refuses everyone else;
 * see plugins/kubernetes-backend-module-owners-only).
 */
export const ownersOnlyKubernetesContent = kubernetesPlugin
  .getExtension('entity-content:kubernetes/kubernetes')
  .override({
    *factory(originalFactory) {
      const original = originalFactory();
      for (const output of original) {
        yield output.id === coreExtensionData.reactElement.id
          ? coreExtensionData.reactElement(
              <ClustersConfigured>
                <OwnersOnly>{output.value as JSX.Element}</OwnersOnly>
              </ClustersConfigured>,
            )
          : output;
      }
    },
  });

export const kubernetesModule = createFrontendModule({
  pluginId: 'kubernetes',
  extensions: [ownersOnlyKubernetesContent],
});
