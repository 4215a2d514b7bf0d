import path from 'node:path';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  gitopsRepositoryServiceRef,
  hookSecret,
  installLocalHooks,
  loadPlatformApis,
  localGitHostServiceRef,
  localRepositoryPath,
  usesLocalGitHost,
} from '@causeway/plugin-gitops-node';
import { scorecardFactProvidersExtensionPoint } from '@causeway/plugin-scorecard-node';
import {
  CHANGE_TOPICS,
  RepositoryChangeSource,
} from './changes/RepositoryChangeSource';
import { DatabaseFactCache } from './cache/FactCache';
import { DatabaseChangeIndex } from './changes/ChangeIndex';
import { GitOpsHeadTracker } from './changes/GitOpsHeadTracker';
import { DatabaseHostedHeadStore } from './changes/HostedHeadStore';
import { LocalPushReceiver } from './changes/LocalPushReceiver';
import { createPushRouter, POST_RECEIVE_PATH } from './changes/pushRouter';
import {
  readHeadPollFrequency,
  readHostedPollFrequency,
} from './changes/headPollConfig';
import { HostedSourcePoll } from './changes/HostedSourcePoll';
import { GitOpsFactProvider } from './gitops/GitOpsFactProvider';
import { SourceFactProvider } from './source/SourceFactProvider';

/**
 * The scorecard's facts from Causeway's git repositories: a service's
 * manifests and claims in the GitOps repository (provider `gitops`), its
 * source repository on the local git host or a host of `integrations` such
 * as GitHub (provider `source`), and the
 * entities to re-grade at once when either changes.
 */
export const scorecardModuleGitops = createBackendModule({
  pluginId: 'scorecard',
  moduleId: 'gitops',
  register(reg) {
    reg.registerInit({
      deps: {
        scorecard: scorecardFactProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        events: eventsServiceRef,
        repository: gitopsRepositoryServiceRef,
        host: localGitHostServiceRef,
        urlReader: coreServices.urlReader,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        discovery: coreServices.discovery,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
      },
      async init({
        scorecard,
        config,
        logger,
        events,
        repository,
        host,
        urlReader,
        database,
        httpRouter,
        discovery,
        lifecycle,
        scheduler,
      }) {
        const platformApis = await loadPlatformApis(
          path.resolve(
            config.getOptionalString('gitops.platformApis') ??
              './platform/apis',
          ),
          logger,
        );
        const cache = await DatabaseFactCache.create({ database });
        const changeIndex = await DatabaseChangeIndex.create({ database });
        const gitops = new GitOpsFactProvider({
          repository,
          platformApis,
          logger,
          changeIndex,
          cache,
        });
        const hostedHeads = await DatabaseHostedHeadStore.create({ database });
        const source = new SourceFactProvider({
          host,
          logger,
          urlReader,
          integrations: ScmIntegrations.fromConfig(config),
          changeIndex,
          cache,
          // Hosted heads as pushes were last seen: what the gate compares
          // a stored grade with, never a call to GitHub.
          hostedHeads,
        });
        scorecard.addFactProvider(gitops, source);

        // Pushes the portal did not make: the local repositories' hook,
        // GitHub's push webhooks (events.modules.github.webhookSecret) and
        // the head poll as the safety net.
        const gitopsUrl = config.getString('gitops.repository.url');
        const gitopsPath = localRepositoryPath(gitopsUrl);
        const gitopsHeads = new GitOpsHeadTracker({
          repository,
          branch:
            config.getOptionalString('gitops.repository.branch') ?? 'main',
          heads: hostedHeads,
          events,
          logger,
        });
        const receiver = new LocalPushReceiver({
          host,
          gitopsPath,
          gitops: gitopsHeads,
          events,
        });
        // Only where there are local repositories to run the hook: a
        // production replica on GitHub writes nothing to its disk for it.
        const localHooks = !!gitopsPath || usesLocalGitHost(config);
        let secret: Promise<string> | undefined;
        httpRouter.use(
          createPushRouter({
            receiver,
            secret: () => {
              if (!localHooks) return Promise.resolve(undefined);
              secret ??= hookSecret(host.hooksDir);
              secret.catch(() => {
                secret = undefined;
              });
              return secret;
            },
          }),
        );
        httpRouter.addAuthPolicy({
          path: POST_RECEIVE_PATH,
          allow: 'unauthenticated',
        });
        lifecycle.addStartupHook(async () => {
          if (!localHooks) return;
          // After every plugin's init: the GitOps repository exists by now.
          const repositories = (await host.list()).map(name =>
            host.repositoryPath(name),
          );
          if (gitopsPath) repositories.push(gitopsPath);
          await installLocalHooks({
            hooksDir: host.hooksDir,
            endpoint: `${await discovery.getBaseUrl(
              'scorecard',
            )}${POST_RECEIVE_PATH}`,
            repositories,
          }).catch(error =>
            // Pushes are then found by the head poll, seconds later.
            logger.warn(
              `Could not install the local repositories' git hook: ${error}`,
            ),
          );
        });
        await scheduler.scheduleTask({
          id: 'scorecard-gitops-head-poll',
          frequency: readHeadPollFrequency(config),
          timeout: { minutes: 2 },
          scope: 'global',
          fn: () => gitopsHeads.poll(),
        });

        const hostedPoll = new HostedSourcePoll({
          changeIndex,
          heads: hostedHeads,
          events,
          integrations: ScmIntegrations.fromConfig(config),
          logger,
        });
        await scheduler.scheduleTask({
          id: 'scorecard-hosted-source-poll',
          frequency: readHostedPollFrequency(config),
          timeout: { minutes: 2 },
          scope: 'global',
          fn: () => hostedPoll.poll(),
        });

        const changes = new RepositoryChangeSource({
          gitops,
          source,
          host,
          logger,
          pushes: { gitopsHeads, gitopsUrl, hostedHeads, changeIndex },
        });
        scorecard.addChangeSource(listener => changes.subscribe(listener));
        await events.subscribe({
          id: 'scorecard-gitops',
          topics: CHANGE_TOPICS,
          onEvent: event => changes.onEvent(event),
        });
      },
    });
  },
});
