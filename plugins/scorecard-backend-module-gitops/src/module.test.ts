import path from 'node:path';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import { GITOPS_CHANGED_TOPIC } from '@causeway/plugin-gitops-node';
import {
  EntityChangeListener,
  FactProvider,
  scorecardFactProvidersExtensionPoint,
} from '@causeway/plugin-scorecard-node';
import {
  createGitOpsRepository,
  goldenPathManifests,
  serviceEntity,
  tempDir,
} from './__testUtils__/repositories';
import { scorecardModuleGitops } from './module';

jest.setTimeout(60_000);

describe('scorecardModuleGitops', () => {
  let scratch: ReturnType<typeof tempDir>;
  afterEach(() => scratch.remove());

  it('adds the gitops and source providers and re-grades on GitOps events', async () => {
    scratch = tempDir('scorecard-module-');
    const { bare, publish } = await createGitOpsRepository(scratch.dir);
    await publish(goldenPathManifests());

    const providers: FactProvider[] = [];
    const subscribers: Array<(listener: EntityChangeListener) => void> = [];
    let events!: EventsService;
    // Stands in for the scorecard plugin: offers the extension point.
    const scorecard = createBackendPlugin({
      pluginId: 'scorecard',
      register(reg) {
        reg.registerExtensionPoint(scorecardFactProvidersExtensionPoint, {
          addFactProvider: (...added) => providers.push(...added),
          addChangeSource: subscribe => subscribers.push(subscribe),
        });
        reg.registerInit({
          deps: { eventsService: eventsServiceRef },
          async init({ eventsService }) {
            events = eventsService;
          },
        });
      },
    });

    const backend = await startTestBackend({
      features: [
        scorecard,
        scorecardModuleGitops,
        mockServices.rootConfig.factory({
          data: {
            gitops: {
              repository: { url: bare },
              platformApis: path.resolve(__dirname, '../../../platform/apis'),
            },
            goldenPaths: {
              sourceHost: { path: path.join(scratch.dir, 'repos') },
            },
            events: { useEventBus: 'never' },
          },
        }),
      ],
    });

    expect(providers.map(p => p.id)).toEqual(['gitops', 'source']);
    const entity = serviceEntity('payment-service', {
      'causeway.dev/gitops-path': 'apps/production/payments/payment-service',
    });
    const [gitopsFacts, sourceFacts] = await Promise.all(
      providers.map(p => p.collect([entity])),
    );
    expect(gitopsFacts.get('component:default/payment-service')).toMatchObject({
      'gitops.hasManifests': true,
      'gitops.databaseClaimCount': 0,
    });
    expect(sourceFacts.get('component:default/payment-service')).toEqual({
      'source.readable': false,
    });

    const heard: string[][] = [];
    subscribers.forEach(subscribe => subscribe(refs => heard.push(refs)));
    await events.publish({
      topic: GITOPS_CHANGED_TOPIC,
      eventPayload: {
        commitSha: 'x',
        branch: 'main',
        files: ['apps/production/payments/payment-service/deployment.yaml'],
      },
    });
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(heard).toEqual([['component:default/payment-service']]);
    await backend.stop();
  });
});
