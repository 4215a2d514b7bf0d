import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scorecardPermissions } from '@causeway/plugin-scorecard-common';
import {
  EntityChangeListener,
  FactProvider,
  scorecardFactProvidersExtensionPoint,
} from '@causeway/plugin-scorecard-node';
import { CheckLoader } from './checks/CheckLoader';
import { readScorecardConfig } from './config';
import { DatabaseScorecardStore } from './database/DatabaseScorecardStore';
import { CatalogFactProvider } from './facts/CatalogFactProvider';
import { createRouter } from './service/router';
import { ScorecardEvaluator } from './service/ScorecardEvaluator';
import { ScorecardService } from './service/ScorecardService';

/**
 * The scorecard: checks from scorecards/*.yaml evaluated ahead of time over
 * facts from providers (the catalog's own and those modules add), results,
 * levels, history and waivers stored, served under /api/scorecard.
 */
export const scorecardPlugin = createBackendPlugin({
  pluginId: 'scorecard',
  register(env) {
    const providers: FactProvider[] = [];
    const changeSources: Array<(listener: EntityChangeListener) => void> = [];
    env.registerExtensionPoint(scorecardFactProvidersExtensionPoint, {
      addFactProvider(...added) {
        providers.push(...added);
      },
      addChangeSource(subscribe) {
        changeSources.push(subscribe);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { config, logger, scheduler, lifecycle, httpRouter } = deps;
        deps.permissionsRegistry.addPermissions(scorecardPermissions);
        const settings = readScorecardConfig(config);
        const store = await DatabaseScorecardStore.create(deps);
        const allProviders = [new CatalogFactProvider(), ...providers];
        const facts = allProviders.flatMap(p => p.facts);

        const evaluator = new ScorecardEvaluator({
          ...deps,
          store,
          providers: allProviders,
          retentionDays: settings.retentionDays,
        });
        const checks = new CheckLoader({
          directory: settings.checksDirectory,
          label: settings.checksDirectoryLabel,
          facts: new Map(facts.map(f => [f.name, f])),
          logger,
        });
        evaluator.setChecks((await checks.load()).checks);
        checks.watch(loaded => {
          evaluator.setChecks(loaded.checks);
          evaluator
            .evaluateAll()
            .catch(error =>
              logger.error(`Evaluation after a check change failed: ${error}`),
            );
        });
        for (const subscribe of changeSources) {
          subscribe(refs => evaluator.enqueue(refs));
        }
        lifecycle.addShutdownHook(() => {
          checks.close();
          evaluator.close();
        });

        await scheduler.scheduleTask({
          id: 'scorecard-evaluate-all',
          ...settings.schedule,
          fn: async () => {
            await evaluator.evaluateAll();
          },
        });
        await scheduler.scheduleTask({
          id: 'scorecard-catalog-changes',
          ...settings.catalogPoll,
          fn: async () => {
            await evaluator.pollCatalog();
          },
        });

        httpRouter.use(
          await createRouter({
            ...deps,
            service: new ScorecardService({
              store,
              evaluator,
              loadedChecks: () => checks.current,
              facts,
              waiverMaxDays: settings.waiverMaxDays,
              retentionDays: settings.retentionDays,
            }),
            publicBadges: settings.publicBadges,
            decisionTtlMs: settings.decisionTtlMs,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        if (settings.publicBadges) {
          httpRouter.addAuthPolicy({
            path: '/badge',
            allow: 'unauthenticated',
          });
        }
      },
    });
  },
});
