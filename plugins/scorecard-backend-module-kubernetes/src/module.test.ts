import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  FactProvider,
  scorecardFactProvidersExtensionPoint,
} from '@causeway/plugin-scorecard-node';
import { scorecardModuleKubernetes } from './module';

describe('scorecardModuleKubernetes', () => {
  it('adds the cluster provider, which reports configured false without clusters', async () => {
    const providers: FactProvider[] = [];
    // Stands in for the scorecard plugin: offers the extension point.
    const scorecard = createBackendPlugin({
      pluginId: 'scorecard',
      register(reg) {
        reg.registerExtensionPoint(scorecardFactProvidersExtensionPoint, {
          addFactProvider: (...added) => providers.push(...added),
          addChangeSource: () => {},
        });
        reg.registerInit({ deps: {}, async init() {} });
      },
    });

    const backend = await startTestBackend({
      features: [
        scorecard,
        scorecardModuleKubernetes,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });

    expect(providers.map(p => p.id)).toEqual(['cluster']);
    expect(providers[0].facts.map(f => f.name)).toContain(
      'cluster.unavailableReplicas',
    );
    const facts = await providers[0].collect([
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'payment-service' },
      },
    ]);
    expect([...facts]).toEqual([
      ['component:default/payment-service', { 'cluster.configured': false }],
    ]);
    await backend.stop();
  });
});
