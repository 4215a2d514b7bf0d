import { createHash } from 'node:crypto';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
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
import { retryUnderPolicy, RetryPolicy } from './service/databaseRetry';
import { RequestLimit } from './service/RequestLimit';
import { ScorecardEvaluator } from './service/ScorecardEvaluator';
import { ScorecardService } from './service/ScorecardService';

const EVALUATE_ALL_TASK = 'scorecard-evaluate-all';

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
        const knex = await deps.database.getClient();
        // Work that failed while PostgreSQL restarted or was away is tried
        // again once it answers, not at the next scheduled run.
        const retry: RetryPolicy = {
          databaseReachable: () =>
            Promise.race([
              knex.raw('select 1').then(
                () => true,
                () => false,
              ),
              new Promise<boolean>(resolve =>
                setTimeout(resolve, 5000, false).unref(),
              ),
            ]),
        };
        const allProviders = [new CatalogFactProvider(), ...providers];
        const facts = allProviders.flatMap(p => p.facts);

        const evaluator = new ScorecardEvaluator({
          ...deps,
          store,
          providers: allProviders,
          retentionDays: settings.retentionDays,
          retry,
        });
        const checks = new CheckLoader({
          directory: settings.checksDirectory,
          label: settings.checksDirectoryLabel,
          facts: new Map(facts.map(f => [f.name, f])),
          logger,
        });
        evaluator.setChecks((await checks.load()).checks);
        checks.watch(async loaded => {
          evaluator.setChecks(loaded.checks);
          // Every replica sees the files change, seconds apart (a ConfigMap
          // update): the first to claim these checks asks the scheduler,
          // whose trigger is coordinated in the database, for one full run.
          const digest = createHash('sha256')
            .update(JSON.stringify(loaded.checks))
            .digest('hex');
          try {
            if (await store.claimChecksRun(digest)) {
              await scheduler.triggerTask(EVALUATE_ALL_TASK);
            }
          } catch (error) {
            logger.info(
              isError(error) && error.name === 'ConflictError'
                ? 'Checks changed during a full evaluation; the next one uses them'
                : `Could not start a full evaluation after a check change: ${error}`,
            );
          }
        });
        for (const subscribe of changeSources) {
          subscribe(refs => evaluator.enqueue(refs));
        }
        lifecycle.addShutdownHook(() => {
          checks.close();
          evaluator.close();
        });

        /*
         * A scheduled run that failed is tried again within the same claim:
         * the claim could not be released while the database was away, and
         * would block the next run until it expired. The signal aborts a run
         * at its next step when this replica shuts down, so its claim is
         * released for another replica.
         */
        const retried =
          (what: string, work: (signal: AbortSignal) => Promise<unknown>) =>
          async (signal: AbortSignal) => {
            await retryUnderPolicy(() => work(signal), {
              ...retry,
              signal,
              onRetry: ({ error, delayMs, databaseReachable }) =>
                logger.warn(
                  `${what} failed${
                    databaseReachable ? '' : ' (the database is unreachable)'
                  }; running it again in ${Math.round(
                    delayMs / 1000,
                  )} s: ${error}`,
                ),
            });
          };
        await scheduler.scheduleTask({
          id: EVALUATE_ALL_TASK,
          ...settings.schedule,
          fn: retried('The full evaluation', signal =>
            evaluator.evaluateAll({ signal }),
          ),
        });
        await scheduler.scheduleTask({
          id: 'scorecard-catalog-changes',
          ...settings.catalogPoll,
          fn: retried('Evaluating the catalog changes', signal =>
            evaluator.pollCatalog({ signal }),
          ),
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
              evaluateMinIntervalMs: settings.evaluate.minIntervalMs,
            }),
            evaluateLimit: new RequestLimit({
              store,
              name: 'evaluate',
              perMinute: settings.evaluate.perUserPerMinute,
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
