import path from 'node:path';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  gitopsRepositoryServiceRef,
  loadPlatformApis,
  localGitHostServiceRef,
} from '@causeway/plugin-gitops-node';
import { scorecardFactProvidersExtensionPoint } from '@causeway/plugin-scorecard-node';
import {
  CHANGE_TOPICS,
  RepositoryChangeSource,
} from './changes/RepositoryChangeSource';
import { DatabaseFactCache } from './cache/FactCache';
import { DatabaseChangeIndex } from './changes/ChangeIndex';
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
        const source = new SourceFactProvider({
          host,
          logger,
          urlReader,
          integrations: ScmIntegrations.fromConfig(config),
          changeIndex,
          cache,
        });
        scorecard.addFactProvider(gitops, source);

        const changes = new RepositoryChangeSource({
          gitops,
          source,
          host,
          logger,
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
