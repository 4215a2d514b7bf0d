import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CheckDefinition, Facts } from '@causeway/plugin-scorecard-common';
import { EntityRevisions, FactProvider } from '@causeway/plugin-scorecard-node';
import { EntityEvaluation, ScorecardStore } from '../database/ScorecardStore';
import { normalizeRef } from '../refs';
import {
  CompiledChecks,
  entityRefOf,
  entitySubject,
  evaluateEntity,
  indexWaivers,
} from './evaluation';
import { groupTree } from './groupTree';
import { RetryBudget, RetryPolicy } from './databaseRetry';

/**
 * The entity fields read from the catalog for evaluation: what the catalog
 * facts need plus what fact providers commonly read. Big fields such as an
 * API's definition are left out.
 */
export const ENTITY_FIELDS = [
  'apiVersion',
  'kind',
  'metadata',
  'relations',
  'spec.type',
  'spec.lifecycle',
  'spec.owner',
  'spec.system',
  'spec.domain',
  'spec.subcomponentOf',
  'spec.providesApis',
  'spec.consumesApis',
  'spec.dependsOn',
];

/** What the catalog poll reads per entity: enough to match selectors and etags. */
const POLL_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.etag',
  'metadata.tags',
  'spec.type',
  'spec.lifecycle',
];

/** What providers read to say where an entity's inputs are (its annotations). */
const REVISION_FIELDS = ['kind', 'metadata'];

const GROUP_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'relations',
];

const PAGE_SIZE = 1000;
const BY_REFS_BATCH = 500;
/** More changed entities than this in one poll: a full run is cheaper. */
const FULL_RUN_THRESHOLD = 500;

export const dayOf = (date: Date) => date.toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return dayOf(date);
}

/** Facts by entity ref, and the revisions they were made of. */
type Collected = {
  facts: Map<string, Facts>;
  revisions: Map<string, EntityRevisions>;
};

export type FullRunSummary = {
  entities: number;
  written: number;
  removed: number;
  /** Milliseconds: listing, fact collection, evaluation, storing. */
  timings: { list: number; facts: number; evaluate: number; store: number };
};

export type ScorecardEvaluatorOptions = {
  store: ScorecardStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Every provider, the catalog's own included. */
  providers: FactProvider[];
  retentionDays: number;
  /**
   * When a failed re-grade is tried again. Defaults to never: its entities
   * wait for the catalog poll or the next full run.
   */
  retry?: RetryPolicy;
  clock?: () => Date;
};

/**
 * Evaluates the checks over the catalog's entities and stores the results:
 * all of them (scheduled, or when the checks change), a few named ones
 * (change sources, a user asking), or those whose catalog etag moved since
 * they were evaluated (the catalog poll).
 */
export class ScorecardEvaluator {
  readonly #store: ScorecardStore;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #providers: FactProvider[];
  readonly #retentionDays: number;
  readonly #clock: () => Date;
  #checks = new CompiledChecks([]);
  #fullRun?: Promise<FullRunSummary>;
  #pending = new Set<string>();
  #flushTimer?: NodeJS.Immediate | NodeJS.Timeout;
  #flushing?: Promise<void>;
  /** Failed re-grades in a row, and when the next may start after them. */
  readonly #regradeRetry?: RetryBudget;
  #regradeNotBefore = 0;

  constructor(options: ScorecardEvaluatorOptions) {
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#providers = options.providers;
    this.#retentionDays = options.retentionDays;
    this.#regradeRetry = options.retry && new RetryBudget(options.retry);
    this.#clock = options.clock ?? (() => new Date());
  }

  get checks(): CompiledChecks {
    return this.#checks;
  }

  /** Compiles the checks; later evaluations use them. */
  setChecks(definitions: CheckDefinition[]): void {
    this.#checks = new CompiledChecks(definitions);
  }

  /**
   * Evaluates every entity a check selects, in one listing of the catalog and
   * one collect call per provider. A run asked for while one is under way
   * starts after it.
   */
  async evaluateAll(
    options: { signal?: AbortSignal } = {},
  ): Promise<FullRunSummary> {
    while (this.#fullRun) {
      await this.#fullRun.catch(() => undefined);
    }
    const run = this.#runAll(options.signal).finally(() => {
      this.#fullRun = undefined;
    });
    this.#fullRun = run;
    return run;
  }

  /** Stops at the next step once `signal` aborts (the replica shuts down). */
  async #runAll(signal?: AbortSignal): Promise<FullRunSummary> {
    const checks = this.#checks;
    const started = this.#clock();
    const today = dayOf(started);
    let mark = Date.now();
    const lap = () => {
      const now = Date.now();
      const elapsed = now - mark;
      mark = now;
      return elapsed;
    };
    const credentials = await this.#auth.getOwnServiceCredentials();
    const entities = checks.list.length
      ? (
          await this.#list(
            checks.kinds ? { kind: checks.kinds } : undefined,
            ENTITY_FIELDS,
            credentials,
          )
        ).filter(e => checks.selects(entitySubject(e)))
      : [];
    const list = lap();
    signal?.throwIfAborted();
    const [{ facts, revisions }, waivers] = await Promise.all([
      this.#collect(entities, { all: true }),
      this.#waiversOf(entities, today, { all: true }),
    ]);
    const factsTime = lap();
    signal?.throwIfAborted();
    const evaluations = this.#evaluate(
      checks,
      entities,
      { facts, revisions },
      waivers,
      today,
    );
    const evaluate = lap();
    signal?.throwIfAborted();

    // Stored as of when the run started: an entity graded since, here or
    // by another replica, keeps its newer results (the store enforces it).
    const { written } = await this.#store.saveEvaluations(evaluations, {
      day: today,
      evaluatedAt: started.toISOString(),
      touchUnchanged: false,
    });
    const scored = new Set(evaluations.map(e => e.entityRef));
    const removed = [...(await this.#store.listEntityEtags()).keys()].filter(
      ref => !scored.has(ref),
    );
    await this.#store.deleteEntities(removed, {
      evaluatedBefore: started.toISOString(),
    });
    await this.#store.replaceGroupTree(
      groupTree(await this.#list({ kind: 'group' }, GROUP_FIELDS, credentials)),
    );
    await this.#store.pruneHistory(addDays(today, -this.#retentionDays));
    await this.#store.setLastFullRun(started.toISOString());
    const summary: FullRunSummary = {
      entities: evaluations.length,
      written,
      removed: removed.length,
      timings: { list, facts: factsTime, evaluate, store: lap() },
    };
    this.#logger.info(
      `Evaluated ${summary.entities} entities against ${checks.list.length} checks: ${written} changed, ${removed.length} removed`,
      summary.timings,
    );
    return summary;
  }

  /**
   * Evaluates some entities now, reading them from the catalog in one call.
   * Returns the evaluations by ref; an entity the catalog does not have, or
   * no check selects, is left out and its stored results removed.
   */
  async evaluateEntities(
    entityRefs: string[],
  ): Promise<Map<string, EntityEvaluation>> {
    const refs = [...new Set(entityRefs.map(ref => normalizeRef(ref)))];
    if (!refs.length) return new Map();
    const checks = this.#checks;
    const now = this.#clock();
    const today = dayOf(now);
    const credentials = await this.#auth.getOwnServiceCredentials();
    const entities: Entity[] = [];
    for (let i = 0; i < refs.length; i += BY_REFS_BATCH) {
      const { items } = await this.#catalog.getEntitiesByRefs(
        { entityRefs: refs.slice(i, i + BY_REFS_BATCH), fields: ENTITY_FIELDS },
        { credentials },
      );
      for (const item of items) {
        if (item && checks.selects(entitySubject(item))) entities.push(item);
      }
    }
    const [collected, waivers] = await Promise.all([
      this.#collect(entities),
      this.#waiversOf(entities, today),
    ]);
    const evaluations = this.#evaluate(
      checks,
      entities,
      collected,
      waivers,
      today,
    );
    await this.#store.saveEvaluations(evaluations, {
      day: today,
      evaluatedAt: now.toISOString(),
      touchUnchanged: true,
    });
    const scored = new Map(evaluations.map(e => [e.entityRef, e]));
    await this.#store.deleteEntities(refs.filter(ref => !scored.has(ref)));
    return scored;
  }

  /**
   * The entity as the catalog has it now, with its uid (to record waivers
   * under); undefined when the catalog does not have it.
   */
  async catalogEntity(
    entityRef: string,
  ): Promise<{ uid?: string } | undefined> {
    const { items } = await this.#catalog.getEntitiesByRefs(
      { entityRefs: [normalizeRef(entityRef)], fields: ['metadata.uid'] },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    return items[0] ? { uid: items[0].metadata?.uid } : undefined;
  }

  /**
   * What the facts of these entities would be made of now, by ref, from
   * every provider that can tell without collecting (one catalog call for
   * where their inputs are). An entity the catalog does not have is left
   * out, and every entity when no provider tells revisions; one with no
   * such inputs has none.
   */
  async currentRevisions(
    entityRefs: string[],
  ): Promise<Map<string, EntityRevisions>> {
    const refs = [...new Set(entityRefs.map(ref => normalizeRef(ref)))];
    const current = new Map<string, EntityRevisions>();
    const providers = this.#providers.filter(p => p.revisions);
    // No input has revisions: every result is as fresh as it can be, and
    // the catalog need not be asked where the inputs are.
    if (!refs.length || !providers.length) return current;
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: REVISION_FIELDS },
      { credentials },
    );
    const entities = items.filter((e): e is Entity => Boolean(e));
    for (const entity of entities) current.set(entityRefOf(entity), {});
    const results = await Promise.all(
      providers.map(async provider => {
        try {
          return (await provider.revisions?.(entities)) ?? new Map();
        } catch (error) {
          throw new Error(`Fact provider ${provider.id} failed: ${error}`);
        }
      }),
    );
    for (const revisions of results) {
      for (const [ref, values] of revisions) {
        const into = current.get(ref.toLocaleLowerCase('en-US'));
        if (into) Object.assign(into, values);
      }
    }
    return current;
  }

  /**
   * Compares the catalog's etags of the selected entities with those they
   * were evaluated at, and evaluates what changed or is new; forgets
   * entities that left the catalog. Reads a few fields per entity only.
   */
  async pollCatalog(
    options: { signal?: AbortSignal } = {},
  ): Promise<{ changed: number; removed: number }> {
    const { signal } = options;
    const checks = this.#checks;
    if (!checks.list.length) return { changed: 0, removed: 0 };
    const credentials = await this.#auth.getOwnServiceCredentials();
    const stored = await this.#store.listEntityEtags();
    const seen = new Set<string>();
    const changed: string[] = [];
    for await (const page of this.#catalog.streamEntities(
      {
        filter: checks.kinds ? { kind: checks.kinds } : undefined,
        fields: POLL_FIELDS,
        pageSize: PAGE_SIZE,
      },
      { credentials },
    )) {
      for (const entity of page) {
        if (!checks.selects(entitySubject(entity))) continue;
        const ref = entityRefOf(entity);
        seen.add(ref);
        if (
          !stored.has(ref) ||
          stored.get(ref) !== (entity.metadata.etag ?? null)
        ) {
          changed.push(ref);
        }
      }
    }
    signal?.throwIfAborted();
    const removed = [...stored.keys()].filter(ref => !seen.has(ref));
    await this.#store.deleteEntities(removed);
    if (changed.length > FULL_RUN_THRESHOLD) {
      await this.evaluateAll({ signal });
    } else if (changed.length) {
      await this.evaluateEntities(changed);
    }
    if (changed.length || removed.length) {
      this.#logger.info(
        `Catalog changes: ${changed.length} entities evaluated again, ${removed.length} removed`,
      );
    }
    return { changed: changed.length, removed: removed.length };
  }

  /**
   * Re-evaluates entities a change source names: at once, together with the
   * others named in the same turn of the event loop; changes named while an
   * evaluation runs wait for it and go together in the next.
   */
  enqueue(entityRefs: string[]): void {
    for (const ref of entityRefs) {
      try {
        this.#pending.add(normalizeRef(ref));
      } catch {
        this.#logger.warn(`Ignoring a change to "${ref}": not an entity ref`);
      }
    }
    this.#scheduleFlush();
  }

  #scheduleFlush() {
    if (this.#flushTimer || this.#flushing || !this.#pending.size) return;
    const flush = () => {
      this.#flushTimer = undefined;
      const refs = [...this.#pending];
      this.#pending.clear();
      this.#flushing = this.evaluateEntities(refs)
        .then(
          done => {
            this.#regradeRetry?.reset();
            this.#logger.debug(
              `Evaluated ${done.size} entities after a change`,
            );
          },
          error => this.#regradeFailed(refs, error),
        )
        .finally(() => {
          this.#flushing = undefined;
          this.#scheduleFlush();
        });
    };
    const wait = this.#regradeNotBefore - Date.now();
    this.#flushTimer = wait > 0 ? setTimeout(flush, wait) : setImmediate(flush);
  }

  /**
   * Keeps the refs of a failed re-grade for another attempt while the retry
   * policy allows (always while the database is unreachable), so a change
   * seen during a database outage is graded once it is back.
   */
  async #regradeFailed(refs: string[], error: unknown) {
    const next = await this.#regradeRetry?.failed();
    if (!next) {
      this.#logger.error(
        `Evaluating ${refs.length} changed entities failed: ${error}`,
      );
      return;
    }
    for (const ref of refs) this.#pending.add(ref);
    this.#regradeNotBefore = Date.now() + next.delayMs;
    this.#logger.warn(
      `Evaluating ${refs.length} changed entities failed${
        next.databaseReachable ? '' : ' (the database is unreachable)'
      }; trying again in ${Math.round(next.delayMs / 1000)} s: ${error}`,
    );
  }

  /**
   * Evaluates entities after the caller's own write (a waiver) is stored.
   * When the evaluation fails, the entities are queued like a change (and
   * retried), and the write stands: answering with an error would make the
   * client write it again.
   */
  async evaluateAfterWrite(entityRefs: string[]): Promise<void> {
    try {
      await this.evaluateEntities(entityRefs);
    } catch (error) {
      this.#logger.warn(
        `Evaluating ${entityRefs.length} entities after a write failed; queued to try again: ${error}`,
      );
      this.enqueue(entityRefs);
    }
  }

  /** Waits for queued changes to be evaluated (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#flushTimer || this.#flushing) {
      await (this.#flushing ?? new Promise(resolve => setTimeout(resolve, 25)));
    }
  }

  close(): void {
    clearImmediate(this.#flushTimer as NodeJS.Immediate);
    clearTimeout(this.#flushTimer as NodeJS.Timeout);
    this.#flushTimer = undefined;
    this.#pending.clear();
  }

  async #list(
    filter: Record<string, string | string[]> | undefined,
    fields: string[],
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const entities: Entity[] = [];
    for await (const page of this.#catalog.streamEntities(
      { filter, fields, pageSize: PAGE_SIZE },
      { credentials },
    )) {
      entities.push(...page);
    }
    return entities;
  }

  /**
   * Every provider's facts of the entities, one call each, merged by ref,
   * with the revisions the providers say the facts were made of.
   */
  async #collect(
    entities: Entity[],
    options: { all?: boolean } = {},
  ): Promise<Collected> {
    const merged = new Map<string, Record<string, Facts[string]>>();
    const revisions = new Map<string, EntityRevisions>();
    if (!entities.length && !options.all) return { facts: merged, revisions };
    const results = await Promise.all(
      this.#providers.map(async provider => {
        const graded = new Map<string, EntityRevisions>();
        try {
          const facts = await provider.collect(entities, {
            ...options,
            revisions: graded,
          });
          return { facts, graded };
        } catch (error) {
          throw new Error(`Fact provider ${provider.id} failed: ${error}`);
        }
      }),
    );
    for (const { facts, graded } of results) {
      for (const [ref, values] of facts) {
        const key = ref.toLocaleLowerCase('en-US');
        const into = merged.get(key);
        if (into) Object.assign(into, values);
        else merged.set(key, { ...values });
      }
      for (const [ref, values] of graded) {
        const key = ref.toLocaleLowerCase('en-US');
        revisions.set(key, { ...revisions.get(key), ...values });
      }
    }
    return { facts: merged, revisions };
  }

  /**
   * The active waivers of these entities as they are now (by uid); those
   * recorded before uids were kept take their entity's uid first.
   */
  async #waiversOf(
    entities: Entity[],
    today: string,
    options: { all?: boolean } = {},
  ) {
    const uids = new Map(entities.map(e => [entityRefOf(e), e.metadata.uid]));
    await this.#store.adoptWaivers(
      new Map(
        [...uids].filter((entry): entry is [string, string] =>
          Boolean(entry[1]),
        ),
      ),
    );
    const waivers = await this.#store.activeWaivers({
      today,
      ...(options.all ? {} : { entityRefs: [...uids.keys()] }),
    });
    return indexWaivers(waivers, uids);
  }

  #evaluate(
    checks: CompiledChecks,
    entities: Entity[],
    collected: Collected,
    waiverIndex: ReturnType<typeof indexWaivers>,
    today: string,
  ): EntityEvaluation[] {
    const out: EntityEvaluation[] = [];
    for (const entity of entities) {
      const ref = entityRefOf(entity);
      const evaluation = evaluateEntity({
        entity,
        facts: collected.facts.get(ref) ?? {},
        checks,
        waivers: waiverIndex.get(ref),
        today,
      });
      if (evaluation) {
        evaluation.revisions = collected.revisions.get(ref) ?? {};
        out.push(evaluation);
      }
    }
    return out;
  }
}
