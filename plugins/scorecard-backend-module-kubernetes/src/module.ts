import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readClusterConfigs } from '@causeway/plugin-gitops-node';
import { scorecardFactProvidersExtensionPoint } from '@causeway/plugin-scorecard-node';
import { ClusterFactProvider } from './ClusterFactProvider';

/**
 * The scorecard's facts from the live clusters (provider `cluster`): what
 * the clusters of `kubernetes.clusterLocatorMethods` (type config, service
 * account auth) say about a service's Deployments and Pods. Without any
 * such cluster, every entity gets only `cluster.configured: false`.
 */
export const scorecardModuleKubernetes = createBackendModule({
  pluginId: 'scorecard',
  moduleId: 'kubernetes',
  register(reg) {
    reg.registerInit({
      deps: {
        scorecard: scorecardFactProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ scorecard, config, logger }) {
        const clusters = readClusterConfigs(config, logger);
        logger.info(
          clusters.length
            ? `Scorecard cluster facts from ${
                clusters.length
              } cluster(s): ${clusters.map(c => c.name).join(', ')}`
            : 'Scorecard cluster facts: no cluster configured; every entity reports cluster.configured false',
        );
        scorecard.addFactProvider(
          new ClusterFactProvider({ clusters, logger }),
        );
      },
    });
  },
});
