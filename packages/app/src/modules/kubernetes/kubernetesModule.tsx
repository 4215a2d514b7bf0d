import {
  coreExtensionData,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import { OwnersOnly } from './OwnersOnly';

/**
 * The stock Kubernetes tab, shown only to those who may see the entity's
 * objects (the backend refuses everyone else; see
 * plugins/kubernetes-backend-module-owners-only).
 */
export const ownersOnlyKubernetesContent = kubernetesPlugin
  .getExtension('entity-content:kubernetes/kubernetes')
  .override({
    *factory(originalFactory) {
      const original = originalFactory();
      for (const output of original) {
        yield output.id === coreExtensionData.reactElement.id
          ? coreExtensionData.reactElement(
              <OwnersOnly>{output.value as JSX.Element}</OwnersOnly>,
            )
          : output;
      }
    },
  });

export const kubernetesModule = createFrontendModule({
  pluginId: 'kubernetes',
  extensions: [ownersOnlyKubernetesContent],
});
