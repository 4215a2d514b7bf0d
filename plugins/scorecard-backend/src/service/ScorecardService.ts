import { randomUUID } from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  CheckResult,
  EntityHistoryPoint,
  EntityLevel,
  EntityScorecard,
  FactDefinition,
  GateResponse,
  gradedCommits,
  GroupHistoryPoint,
  GroupRollup,
  Level,
  levelRank,
  OverviewResponse,
  WaiverRules,
} from '@causeway/plugin-scorecard-common';
import { LoadedChecks } from '../checks/CheckLoader';
import {
  EntityQuery,
  ScorecardStore,
  StoredCheckResult,
  WaiverRecord,
} from '../database/ScorecardStore';
import { NotEvaluatedError } from './errors';
import { FreshResults } from './FreshResults';
import { addDays, dayOf, ScorecardEvaluator } from './ScorecardEvaluator';

/** A waiver as the API shows it: the record, and whether it applies today. */
export type WaiverView = Omit<WaiverRecord, 'entityUid'> & { active: boolean };

export type WaiverInput = {
  checkId: string;
  reason: string;
  expiresOn: string;
};

export type ListQuery = Pick<
  EntityQuery,
  'sort' | 'order' | 'limit' | 'offset' | 'visibleRefs'
>;

const latest = (a: string, b?: string) => (b && b > a ? b : a);

/**
 * What the API serves, from stored results: nothing is evaluated on a read,
 * except where a route asks for it (evaluate, waivers) and where one
 * entity's results must be current (its scorecard, the gate): those are
 * graded again first when the entity's GitOps folder or source repository
 * moved since.
 */
export class ScorecardService {
  readonly #store: ScorecardStore;
  readonly #evaluator: ScorecardEvaluator;
  readonly #loadedChecks: () => LoadedChecks;
  readonly #facts: FactDefinition[];
  readonly #waiverMaxDays: number;
  readonly #retentionDays: number;
  readonly #evaluateMinIntervalMs: number;
  readonly #clock: () => Date;
  readonly #fresh: FreshResults;

  constructor(options: {
    store: ScorecardStore;
    evaluator: ScorecardEvaluator;
    /** The checks and problems of the last load of the check files. */
    loadedChecks: () => LoadedChecks;
    facts: FactDefinition[];
    waiverMaxDays: number;
    retentionDays: number;
    /** An entity graded on request is not graded on request again for this long. */
    evaluateMinIntervalMs: number;
    clock?: () => Date;
  }) {
    this.#store = options.store;
    this.#evaluator = options.evaluator;
    this.#loadedChecks = options.loadedChecks;
    this.#facts = options.facts;
    this.#waiverMaxDays = options.waiverMaxDays;
    this.#retentionDays = options.retentionDays;
    this.#evaluateMinIntervalMs = options.evaluateMinIntervalMs;
    this.#clock = options.clock ?? (() => new Date());
    this.#fresh = new FreshResults(options);
  }

  checks() {
    const { checks, problems } = this.#loadedChecks();
    // The waiver rules travel with the checks so the waive form offers only
    // the days the server accepts.
    const waivers: WaiverRules = { maxDays: this.#waiverMaxDays };
    return { checks, problems, facts: this.#facts, waivers };
  }

  async scorecard(entityRef: string): Promise<EntityScorecard> {
    const [stored, waivers, lastFullRun] = await Promise.all([
      this.#fresh.read(entityRef),
      this.#store.listWaivers(entityRef),
      this.#store.getLastFullRun(),
    ]);
    if (!stored) {
      throw new NotFoundError(
        `${entityRef} has not been evaluated: no check applies to it, or its first evaluation has not run yet`,
      );
    }
    const byId = new Map(waivers.map(w => [w.id, w]));
    return {
      entityRef: stored.entityRef,
      level: stored.level,
      passed: stored.passed,
      failed: stored.failed,
      waived: stored.waived,
      evaluatedAt: latest(stored.evaluatedAt, lastFullRun),
      graded: gradedCommits(stored.revisions ?? {}),
      results: stored.results.map(result => {
        const waiver = result.waiverId ? byId.get(result.waiverId) : undefined;
        return {
          ...this.#describe(result),
          status: result.status,
          ...(waiver ? { waiver: this.#view(waiver) } : {}),
        };
      }),
    };
  }

  /**
   * Evaluates the entity now and returns its new scorecard; within the
   * minimum interval of the last evaluation on request (by anyone, on any
   * replica), returns the stored one instead.
   */
  async evaluate(entityRef: string): Promise<EntityScorecard> {
    const now = this.#clock();
    const claimed = await this.#store.claimEvaluation(entityRef, {
      now: now.toISOString(),
      since: new Date(
        now.getTime() - this.#evaluateMinIntervalMs,
      ).toISOString(),
    });
    if (!claimed) return this.scorecard(entityRef);
    const done = await this.#evaluator.evaluateEntities([entityRef]);
    if (!done.size) {
      throw new NotFoundError(`No check applies to ${entityRef}`);
    }
    return this.scorecard(entityRef);
  }

  /**
   * Whether the entity reaches minLevel, and the failing checks at or below
   * it, graded at the current commits of its GitOps folder and source
   * repository. Throws NotEvaluatedError (409) when there are no results.
   */
  async gate(entityRef: string, minLevel: Level): Promise<GateResponse> {
    const [stored, lastFullRun] = await Promise.all([
      this.#fresh.read(entityRef),
      this.#store.getLastFullRun(),
    ]);
    if (!stored) {
      throw new NotEvaluatedError(`${entityRef} has not been evaluated yet`);
    }
    const bar = levelRank(minLevel);
    return {
      entityRef: stored.entityRef,
      minLevel,
      level: stored.level,
      pass: levelRank(stored.level) >= bar,
      evaluatedAt: latest(stored.evaluatedAt, lastFullRun),
      graded: gradedCommits(stored.revisions ?? {}),
      blocking: stored.results
        .filter(r => r.status === 'fail' && levelRank(r.level) <= bar)
        .sort(
          (a, b) =>
            levelRank(a.level) - levelRank(b.level) ||
            a.checkId.localeCompare(b.checkId),
        )
        .map(r => {
          const { checkId, title, level, values, fix } = this.#describe(r);
          return { checkId, title, level, values, fix };
        }),
    };
  }

  /** The kinds the checks select, lowercase; undefined: every kind. */
  selectedKinds(): string[] | undefined {
    return this.#evaluator.checks.kinds;
  }

  /**
   * Whether the last evaluations saw the entity. Runs keep only entities of
   * the catalog, so a known one needs no catalog call to exist.
   */
  isKnown(entityRef: string): Promise<boolean> {
    return this.#store.isKnown(entityRef);
  }

  /** The level shown on a badge; undefined when not evaluated. */
  async badgeLevel(entityRef: string): Promise<EntityLevel | undefined> {
    return (await this.#store.getEntity(entityRef))?.level;
  }

  async overview(query: EntityQuery): Promise<OverviewResponse> {
    const [result, lastFullRun] = await Promise.all([
      this.#store.queryEntities(query),
      this.#store.getLastFullRun(),
    ]);
    return {
      ...result,
      items: result.items.map(item => ({
        ...item,
        evaluatedAt: latest(item.evaluatedAt, lastFullRun),
      })),
    };
  }

  async rollup(groupRef: string, query: ListQuery): Promise<GroupRollup> {
    const groups = await this.#store.groupWithDescendants(groupRef);
    if (!groups.length) {
      throw new NotFoundError(
        `${groupRef} is not a group the scorecard knows; groups are read from the catalog at each full evaluation`,
      );
    }
    const { items, totalItems, levels } = await this.overview({
      ...query,
      ownerGroup: groupRef,
    });
    return { groupRef, groups, entities: totalItems, levels, items };
  }

  async entityHistory(
    entityRef: string,
    days: number,
  ): Promise<{ entityRef: string; items: EntityHistoryPoint[] }> {
    return {
      entityRef,
      items: await this.#store.entityHistory(entityRef, this.#since(days)),
    };
  }

  /**
   * A group's level counts per day; without a group, the organisation's;
   * with `visibleRefs`, of those entities only.
   */
  async groupHistory(
    groupRef: string | undefined,
    days: number,
    visibleRefs?: string[],
  ): Promise<{ groupRef?: string; items: GroupHistoryPoint[] }> {
    return {
      ...(groupRef ? { groupRef } : {}),
      items: await this.#store.groupHistory(groupRef, this.#since(days), {
        visibleRefs,
      }),
    };
  }

  async listWaivers(entityRef: string): Promise<{ items: WaiverView[] }> {
    const waivers = await this.#store.listWaivers(entityRef);
    return { items: waivers.map(w => this.#view(w)) };
  }

  /** Records a waiver and evaluates the entity again at once. */
  async createWaiver(
    entityRef: string,
    input: WaiverInput,
    createdBy: string,
  ): Promise<WaiverView> {
    if (!this.#evaluator.checks.byId.has(input.checkId)) {
      throw new InputError(`Unknown check "${input.checkId}"`);
    }
    const reason = input.reason.trim();
    if (!reason) {
      throw new InputError('A waiver needs a reason');
    }
    const today = dayOf(this.#clock());
    const last = addDays(today, this.#waiverMaxDays);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(input.expiresOn) ||
      dayOf(new Date(`${input.expiresOn}T00:00:00Z`)) !== input.expiresOn
    ) {
      throw new InputError(
        `expiresOn must be a date as YYYY-MM-DD, not "${input.expiresOn}"`,
      );
    }
    if (input.expiresOn < today) {
      throw new InputError(
        `expiresOn ${input.expiresOn} is in the past (today is ${today}, UTC)`,
      );
    }
    if (input.expiresOn > last) {
      throw new InputError(
        `A waiver lasts at most ${
          this.#waiverMaxDays
        } days: expiresOn must be ${last} or earlier`,
      );
    }
    const entity = await this.#evaluator.catalogEntity(entityRef);
    if (!entity) throw new NotFoundError(`${entityRef} is not in the catalog`);
    const waiver: WaiverRecord = {
      id: randomUUID(),
      entityRef,
      // The entity as it is now: a later one under the same ref is another.
      ...(entity.uid ? { entityUid: entity.uid } : {}),
      checkId: input.checkId,
      reason,
      expiresOn: input.expiresOn,
      createdBy,
      createdAt: this.#clock().toISOString(),
    };
    await this.#store.createWaiver(waiver);
    await this.#evaluator.evaluateAfterWrite([entityRef]);
    return this.#view(waiver);
  }

  /** Revokes a waiver (recorded with who and when) and evaluates again. */
  async revokeWaiver(
    entityRef: string,
    id: string,
    revokedBy: string,
  ): Promise<WaiverView> {
    const waivers = await this.#store.listWaivers(entityRef);
    if (!waivers.some(w => w.id === id)) {
      throw new NotFoundError(`${entityRef} has no waiver ${id}`);
    }
    const revoked = await this.#store.revokeWaiver({
      id,
      revokedBy,
      revokedAt: this.#clock().toISOString(),
    });
    if (!revoked) {
      const current = await this.#store.getWaiver(id);
      throw new ConflictError(
        `Waiver ${id} was already revoked by ${current?.revokedBy} at ${current?.revokedAt}`,
      );
    }
    await this.#evaluator.evaluateAfterWrite([entityRef]);
    return this.#view(revoked);
  }

  #since(days: number): string {
    if (!Number.isInteger(days) || days < 1 || days > this.#retentionDays) {
      throw new InputError(
        `days must be a whole number from 1 to ${this.#retentionDays}`,
      );
    }
    return addDays(dayOf(this.#clock()), 1 - days);
  }

  #view({ entityUid: _uid, ...waiver }: WaiverRecord): WaiverView {
    return {
      ...waiver,
      active: !waiver.revokedAt && waiver.expiresOn >= dayOf(this.#clock()),
    };
  }

  /** A stored result with its check's title, description and fix. */
  #describe(result: StoredCheckResult): Omit<CheckResult, 'status' | 'waiver'> {
    const definition = this.#evaluator.checks.byId.get(
      result.checkId,
    )?.definition;
    return {
      checkId: result.checkId,
      title: definition?.title ?? result.checkId,
      description: definition?.description ?? '',
      level: result.level,
      values: result.values,
      fix: definition?.fix ?? {
        text: 'This check is no longer defined; the next evaluation drops it.',
      },
    };
  }
}
