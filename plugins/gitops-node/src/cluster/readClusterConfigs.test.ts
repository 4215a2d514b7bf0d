import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readClusterConfigs } from './readClusterConfigs';

describe('readClusterConfigs', () => {
  it('reads config clusters with serviceAccount auth and skips the rest with a log line each', () => {
    const logger = mockServices.logger.mock();
    const clusters = readClusterConfigs(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'gke', projectId: 'p' },
            {
              type: 'config',
              clusters: [
                {
                  name: 'production',
                  url: 'https://k8s.example.com',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'secret-token',
                  caData: 'Q0E=',
                },
                {
                  name: 'staging',
                  url: 'https://staging.example.com',
                  authMetadata: {
                    'kubernetes.io/auth-provider': 'serviceAccount',
                  },
                  serviceAccountToken: 'other-secret',
                  skipTLSVerify: true,
                },
                {
                  name: 'oidc',
                  url: 'https://oidc.example.com',
                  authProvider: 'oidc',
                },
              ],
            },
          ],
        },
      }),
      logger,
    );

    expect(clusters).toEqual([
      {
        name: 'production',
        url: 'https://k8s.example.com',
        serviceAccountToken: 'secret-token',
        caData: 'Q0E=',
        skipTLSVerify: undefined,
      },
      {
        name: 'staging',
        url: 'https://staging.example.com',
        serviceAccountToken: 'other-secret',
        caData: undefined,
        skipTLSVerify: true,
      },
    ]);
    expect(logger.info).toHaveBeenCalledTimes(2);
    expect(JSON.stringify(logger.info.mock.calls)).toMatch(/gke.*oidc/);
    const lines = JSON.stringify(logger.info.mock.calls);
    expect(lines).not.toContain('secret-token');
    expect(lines).not.toContain('other-secret');
  });

  it('reads no cluster when none is configured', () => {
    expect(
      readClusterConfigs(new ConfigReader({}), mockServices.logger.mock()),
    ).toEqual([]);
  });
});
