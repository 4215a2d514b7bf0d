import path from 'node:path';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  GITOPS_CHANGED_TOPIC,
  GitOpsChangedEvent,
  gitopsRepositoryServiceRef,
  loadPlatformApis,
  localGitHostServiceRef,
  SOURCE_REPOSITORY_CREATED_TOPIC,
  SourceRepositoryCreatedEvent,
  usesLocalGitHost,
} from '@causeway/plugin-gitops-node';
import { EntityTrustProcessor } from './processors/EntityTrustProcessor';
import { GitOpsClaimEntityProvider } from './providers/GitOpsClaimEntityProvider';
import { LocalGitHostEntityProvider } from './providers/LocalGitHostEntityProvider';

/**
 * Catalog entities from Causeway's git repositories: new services from the
 * local git host (when it is the golden paths' source host), and claimed
 * infrastructure from the GitOps repository.
 * Both are re-read on a schedule and at once on Causeway's change events, so
 * a golden path's entities are in the catalog seconds after it finishes.
 * Entities from anywhere else may carry Causeway's and Kubernetes' sensitive
 * annotations only where they point at their own things
 * (EntityTrustProcessor).
 */
export const catalogModuleGitops = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'gitops',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
        repository: gitopsRepositoryServiceRef,
        host: localGitHostServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        events,
        repository,
        host,
      }) {
        const apis = await loadPlatformApis(
          path.resolve(
            config.getOptionalString('gitops.platformApis') ??
              './platform/apis',
          ),
          logger,
        );
        // The events cover Causeway's own writes; the schedule catches pushes
        // made with plain git and removals.
        const schedule = () =>
          scheduler.createScheduledTaskRunner({
            frequency: { minutes: 5 },
            timeout: { minutes: 5 },
          });
        const claims = new GitOpsClaimEntityProvider({
          repository,
          apis,
          logger,
          taskRunner: schedule(),
        });
        catalog.addEntityProvider(claims);
        // Only where the local git host is the source host: elsewhere its
        // folder is empty, and a provider reading it would remove entities.
        const sources = usesLocalGitHost(config)
          ? new LocalGitHostEntityProvider({
              host,
              logger,
              taskRunner: schedule(),
            })
          : undefined;
        if (sources) catalog.addEntityProvider(sources);

        const configLocations = new Set(
          (config.getOptionalConfigArray('catalog.locations') ?? []).map(
            location => {
              // As the catalog's ConfigLocationEntityProvider names them.
              const type = location.getString('type');
              const target = location.getString('target');
              return `${type}:${
                type === 'file' ? path.resolve(target) : target
              }`;
            },
          ),
        );
        catalog.addProcessor(
          new EntityTrustProcessor({
            isTrustedOrigin: origin =>
              configLocations.has(origin) ||
              claims.isOwnLocation(origin) ||
              (sources?.isOwnLocation(origin) ?? false),
          }),
        );

        await events.subscribe({
          id: 'catalog-causeway-gitops',
          topics: [GITOPS_CHANGED_TOPIC, SOURCE_REPOSITORY_CREATED_TOPIC],
          async onEvent({ topic, eventPayload }) {
            if (topic === SOURCE_REPOSITORY_CREATED_TOPIC) {
              const { name } = eventPayload as SourceRepositoryCreatedEvent;
              await sources?.refreshRepository(name);
            } else if (
              (eventPayload as GitOpsChangedEvent).files.some(f =>
                f.startsWith('infrastructure/'),
              )
            ) {
              await claims.refresh();
            }
          },
        });
      },
    });
  },
});
