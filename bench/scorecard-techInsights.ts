/*
 * Tech Insights (the community scorecard plugin) set up to grade what
 * Causeway's scorecard grades, for bench/scorecard.ts: the same facts, the
 * same checks, the same entities.
 *
 * - Facts: FactRetrievers (its documented extension point), one per
 *   Causeway fact provider (catalog, gitops, source, cluster). Each lists the
 *   catalog's components the checks select and asks Causeway's provider for
 *   their facts, so both products grade identical values. Fact names are
 *   Causeway's with "_" for "." (gitops.replicas -> gitops_replicas); an
 *   unknown value is null, as in Causeway.
 * - Checks: every scorecards/*.yaml check as a json-rules-engine check (the
 *   jsonfc module's config), reading the retrievers its facts come from. A
 *   check with a condition (`when`) passes where the condition does not
 *   hold, which is what not-applicable counts as in Causeway.
 */
import path from 'node:path';
import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  FactRetriever,
  techInsightsFactRetrieversExtensionPoint,
} from '@backstage-community/plugin-tech-insights-node';
import {
  gitopsRepositoryServiceRef,
  loadPlatformApis,
  localGitHostServiceRef,
} from '@causeway/plugin-gitops-node';
import { CatalogFactProvider } from '@causeway/plugin-scorecard-backend';
import {
  GITOPS_FACTS,
  DatabaseChangeIndex,
  GitOpsFactProvider,
  SOURCE_FACTS,
  SourceFactProvider,
} from '@causeway/plugin-scorecard-backend-module-gitops';
import {
  CLUSTER_FACTS,
  ClusterFactProvider,
} from '@causeway/plugin-scorecard-backend-module-kubernetes';
import { readClusterConfigs } from '@causeway/plugin-gitops-node';
import {
  CheckDefinition,
  Comparison,
  FactDefinition,
  Rule,
  ruleFacts,
  selectorMatches,
} from '@causeway/plugin-scorecard-common';
import { FactProvider } from '@causeway/plugin-scorecard-node';

/** Retriever ids by Causeway fact provider id. */
export const RETRIEVERS: Record<string, string> = {
  catalog: 'causewayCatalog',
  gitops: 'causewayGitops',
  source: 'causewaySource',
  cluster: 'causewayCluster',
};

/** The facts of the providers the backend has, which the retrievers mirror. */
export const PROVIDER_FACTS: FactDefinition[] = [
  ...new CatalogFactProvider().facts,
  ...GITOPS_FACTS,
  ...SOURCE_FACTS,
  ...CLUSTER_FACTS,
];

const factName = (name: string) => name.replace('.', '_');
const retrieverOf = (fact: string) => RETRIEVERS[fact.split('.')[0]];

const SCHEMA_TYPES = {
  boolean: 'boolean',
  number: 'integer',
  string: 'string',
  'string[]': 'set',
} as const;

type JsonCondition =
  | { fact: string; operator: string; value: JsonValue }
  | { all: JsonCondition[] }
  | { any: JsonCondition[] }
  | { not: JsonCondition };

const OPERATORS: Partial<Record<keyof Comparison, string>> = {
  equals: 'equal',
  gt: 'greaterThan',
  gte: 'greaterThanInclusive',
  lt: 'lessThan',
  lte: 'lessThanInclusive',
  in: 'in',
  contains: 'contains',
};

/**
 * A rule as json-rules-engine conditions. The operators kept have the same
 * meaning for null (unknown) as Causeway's; the checks use no other.
 */
function conditionOf(rule: Rule): JsonCondition {
  if ('all' in rule) return { all: rule.all.map(conditionOf) };
  if ('any' in rule) return { any: rule.any.map(conditionOf) };
  if ('not' in rule) return { not: conditionOf(rule.not) };
  const [key, operator] = Object.entries(OPERATORS).find(
    ([k]) => rule[k as keyof Comparison] !== undefined,
  ) ?? [undefined, undefined];
  if (!key || !operator) {
    throw new Error(
      `Comparison on ${rule.fact} has no json-rules-engine equivalent here`,
    );
  }
  return {
    fact: factName(rule.fact),
    operator,
    value: rule[key as keyof Comparison] as JsonValue,
  };
}

/** Causeway's checks as the jsonfc module's `techInsights.factChecker.checks`. */
export function techInsightsChecks(checks: CheckDefinition[]) {
  return Object.fromEntries(
    checks.map(check => {
      const facts = [
        ...ruleFacts(check.rule),
        ...(check.when ? ruleFacts(check.when) : []),
      ];
      const rule = conditionOf(check.rule);
      return [
        check.id,
        {
          type: 'json-rules-engine',
          name: check.title,
          description: check.description,
          factIds: [...new Set(facts.map(retrieverOf))],
          rule: {
            conditions: check.when
              ? { any: [{ not: conditionOf(check.when) }, rule] }
              : { all: [rule] },
          },
        },
      ];
    }),
  );
}

/** What the bench reads of the module: the scheduler to trigger retrievers. */
export type TechInsightsHandle = {
  scheduler?: SchedulerService;
  /** Per retriever: entities and the handler's time, last run. */
  retrieved: Map<string, { entities: number; ms: number }>;
};

function retriever(
  provider: FactProvider,
  listSelected: () => Promise<Entity[]>,
  handle: TechInsightsHandle,
): FactRetriever {
  const id = RETRIEVERS[provider.id];
  const facts: FactDefinition[] = provider.facts;
  return {
    id,
    version: '1.0.0',
    title: `Causeway ${provider.id} facts`,
    entityFilter: [{ kind: 'component' }],
    schema: Object.fromEntries(
      facts.map(f => [
        factName(f.name),
        { type: SCHEMA_TYPES[f.type], description: f.description },
      ]),
    ),
    handler: async () => {
      const started = performance.now();
      const entities = await listSelected();
      const collected = await provider.collect(entities);
      handle.retrieved.set(id, {
        entities: entities.length,
        ms: performance.now() - started,
      });
      return entities.map(entity => {
        const values = collected.get(stringifyEntityRef(entity)) ?? {};
        return {
          entity: {
            namespace: entity.metadata.namespace ?? 'default',
            kind: entity.kind,
            name: entity.metadata.name,
          },
          facts: Object.fromEntries(
            facts.map(f => [factName(f.name), values[f.name] ?? null]),
          ),
        };
      });
    },
  };
}

/**
 * The retrievers as a Tech Insights backend module, with Causeway's
 * providers built from the tech-insights plugin's own GitOps repository and
 * local git host services.
 */
export function techInsightsCausewayFacts(options: {
  checks: CheckDefinition[];
  handle: TechInsightsHandle;
}) {
  return createBackendModule({
    pluginId: 'tech-insights',
    moduleId: 'causeway-facts',
    register(reg) {
      reg.registerInit({
        deps: {
          retrievers: techInsightsFactRetrieversExtensionPoint,
          catalog: catalogServiceRef,
          auth: coreServices.auth,
          config: coreServices.rootConfig,
          logger: coreServices.logger,
          scheduler: coreServices.scheduler,
          database: coreServices.database,
          repository: gitopsRepositoryServiceRef,
          host: localGitHostServiceRef,
        },
        async init(deps) {
          const { catalog, auth, logger } = deps;
          options.handle.scheduler = deps.scheduler;
          const platformApis = await loadPlatformApis(
            path.resolve(
              deps.config.getOptionalString('gitops.platformApis') ??
                './platform/apis',
            ),
            logger,
          );
          const listSelected = async () => {
            const credentials = await auth.getOwnServiceCredentials();
            const selected: Entity[] = [];
            for await (const page of catalog.streamEntities(
              { filter: { kind: 'component' }, pageSize: 1000 },
              { credentials },
            )) {
              for (const entity of page) {
                const spec = entity.spec ?? {};
                const subject = {
                  kind: entity.kind,
                  type: typeof spec.type === 'string' ? spec.type : undefined,
                  lifecycle:
                    typeof spec.lifecycle === 'string'
                      ? spec.lifecycle
                      : undefined,
                  tags: entity.metadata.tags,
                };
                if (
                  options.checks.some(c =>
                    selectorMatches(c.appliesTo, subject),
                  )
                ) {
                  selected.push(entity);
                }
              }
            }
            return selected;
          };
          const changeIndex = await DatabaseChangeIndex.create({
            database: deps.database,
          });
          const providers: FactProvider[] = [
            new CatalogFactProvider(),
            new GitOpsFactProvider({
              repository: deps.repository,
              platformApis,
              logger,
              changeIndex,
            }),
            new SourceFactProvider({ host: deps.host, logger, changeIndex }),
            new ClusterFactProvider({
              clusters: readClusterConfigs(deps.config, logger),
              logger,
            }),
          ];
          deps.retrievers.addFactRetrievers(
            Object.fromEntries(
              providers.map(p => [
                RETRIEVERS[p.id],
                retriever(p, listSelected, options.handle),
              ]),
            ),
          );
        },
      });
    },
  });
}

/** The `techInsights` config: retrievers run only when triggered. */
export function techInsightsConfig(checks: CheckDefinition[]): JsonObject {
  return {
    factRetrievers: Object.fromEntries(
      Object.values(RETRIEVERS).map(id => [
        id,
        {
          // Once a year (and once at start, on an empty catalog): the
          // bench triggers them. A longer initial delay would hold the
          // trigger too.
          cadence: '0 0 1 1 *',
          timeout: { minutes: 20 },
          lifecycle: { timeToLive: { weeks: 2 } },
        },
      ]),
    ),
    factChecker: { checks: techInsightsChecks(checks) },
  };
}
