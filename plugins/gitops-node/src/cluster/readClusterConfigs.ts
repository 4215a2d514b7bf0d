import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/** A cluster as the Kubernetes plugin's config locator describes it. */
export type ClusterConfig = {
  name: string;
  url: string;
  serviceAccountToken: string;
  caData?: string;
  skipTLSVerify?: boolean;
};

/**
 * The clusters of `kubernetes.clusterLocatorMethods` that Causeway reads
 * itself: entries of type config whose clusters authenticate with a service
 * account token. Anything else is skipped with one log line (never the
 * token).
 */
export function readClusterConfigs(
  config: Config,
  logger: LoggerService,
): ClusterConfig[] {
  const clusters: ClusterConfig[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const method of methods) {
    const type = method.getString('type');
    if (type !== 'config') {
      logger.info(
        `Skipping the Kubernetes cluster locator of type ${type}: only type config is read`,
      );
      continue;
    }
    for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
      const name = cluster.getString('name');
      const authMetadata =
        cluster.getOptional<Record<string, unknown>>('authMetadata');
      const authProvider =
        cluster.getOptionalString('authProvider') ??
        (authMetadata?.['kubernetes.io/auth-provider'] as string | undefined);
      const token = cluster.getOptionalString('serviceAccountToken');
      if (authProvider !== 'serviceAccount' || !token) {
        logger.info(
          `Skipping Kubernetes cluster ${name}: only authProvider serviceAccount with a serviceAccountToken is supported (got ${
            authProvider ?? 'none'
          })`,
        );
        continue;
      }
      clusters.push({
        name,
        url: cluster.getString('url'),
        serviceAccountToken: token,
        caData: cluster.getOptionalString('caData'),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify'),
      });
    }
  }
  return clusters;
}
