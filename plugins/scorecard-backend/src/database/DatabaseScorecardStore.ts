import { createHash } from 'node:crypto';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  EntityHistoryPoint,
  EntityLevel,
  GroupHistoryPoint,
  LEVELS,
  levelRank,
  revisionsMatch,
} from '@causeway/plugin-scorecard-common';
import { Knex } from 'knex';
import {
  EntityEvaluation,
  EntityQuery,
  EntityQueryResult,
  GroupEdge,
  ScorecardStore,
  StoredEntity,
  WaiverRecord,
} from './ScorecardStore';
import { LruMap } from '../lruMap';

const migrationsDir = resolvePackagePath(
  '@causeway/plugin-scorecard-backend',
  'migrations',
);

/** Rows per statement and per transaction: well within both databases' limits. */
const BATCH = 500;

const ENTITIES = 'scorecard_entities';
const FAILING = 'scorecard_failing_checks';
const HISTORY = 'scorecard_history';
const WAIVERS = 'scorecard_waivers';
const GROUP_TREE = 'scorecard_group_tree';
const STATE = 'scorecard_state';
const EVALUATE_CLAIMS = 'scorecard_evaluate_claims';
const REQUEST_COUNTS = 'scorecard_request_counts';

type EntityRow = {
  entity_ref: string;
  kind: string;
  name: string;
  entity_uid: string | null;
  title: string | null;
  owner: string | null;
  system: string | null;
  level: string;
  level_rank: number;
  passed: number;
  failed: number;
  waived: number;
  results: string;
  failing_checks: string;
  results_hash: string;
  catalog_etag: string | null;
  history_day: string;
  evaluated_at: string;
  /** JSON: the revisions graded; null in rows from before they were kept. */
  graded: string | null;
};

type WaiverRow = {
  id: string;
  entity_ref: string;
  entity_uid: string | null;
  check_id: string;
  reason: string;
  expires_on: string;
  created_by: string;
  created_at: string;
  revoked_by: string | null;
  revoked_at: string | null;
};

function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/** Rows written at once after which PostgreSQL's statistics are refreshed. */
const ANALYZE_AFTER = 1000;

/** How long another replica's writes may take to show in level counts. */
const COUNTS_TTL_MS = 5_000;
/** Filters whose level counts are kept: callers choose them. */
const COUNTS_KEPT = 500;

type LevelCounts = Record<EntityLevel, number>;

const emptyLevels = (): LevelCounts => ({
  none: 0,
  ...(Object.fromEntries(LEVELS.map(l => [l, 0])) as Record<
    (typeof LEVELS)[number],
    number
  >),
});

function toRow(
  e: EntityEvaluation,
  day: string,
  evaluatedAt: string,
): EntityRow {
  const failing = e.results
    .filter(r => r.status === 'fail')
    .map(r => r.checkId);
  const row = {
    entity_ref: e.entityRef,
    kind: e.kind,
    name: e.name,
    entity_uid: e.uid ?? null,
    title: e.title ?? null,
    owner: e.owner ?? null,
    system: e.system ?? null,
    level: e.level,
    level_rank: levelRank(e.level),
    passed: e.passed,
    failed: e.failed,
    waived: e.waived,
    results: JSON.stringify(e.results),
    failing_checks: JSON.stringify(failing),
    catalog_etag: e.etag ?? null,
  };
  const hash = createHash('sha256')
    .update(JSON.stringify(Object.values(row)))
    .digest('hex');
  // Not part of the hash: the same results at a new commit are unchanged.
  return {
    ...row,
    results_hash: hash,
    history_day: day,
    evaluated_at: evaluatedAt,
    graded: JSON.stringify(e.revisions ?? {}),
  };
}

const parseGraded = (graded: string | null) =>
  graded === null ? undefined : JSON.parse(graded);

function fromWaiverRow(row: WaiverRow): WaiverRecord {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    ...(row.entity_uid ? { entityUid: row.entity_uid } : {}),
    checkId: row.check_id,
    reason: row.reason,
    expiresOn: row.expires_on,
    createdBy: row.created_by,
    createdAt: row.created_at,
    ...(row.revoked_by ? { revokedBy: row.revoked_by } : {}),
    ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
  };
}

const optional = (value: string | null) => value ?? undefined;

/** The scorecard's tables, on SQLite or PostgreSQL. */
export class DatabaseScorecardStore implements ScorecardStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseScorecardStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseScorecardStore(client);
  }

  /**
   * Rows per multi-row insert of (entity, check) pairs: SQLite compiles one
   * as a compound SELECT, which it caps at 500 terms.
   */
  readonly #pairsBatch: number;
  readonly #isPostgres: boolean;

  /**
   * Level counts by filter. Pages of one filter (sorts, offsets) share
   * them; a write here clears them, and another replica's writes show
   * within COUNTS_TTL_MS.
   */
  #counts = new LruMap<string, { at: number; levels: Promise<LevelCounts> }>(
    COUNTS_KEPT,
  );
  #lastFullRun?: { at: number; value: Promise<string | undefined> };

  private constructor(private readonly db: Knex) {
    this.#isPostgres = String(db.client.config.client) === 'pg';
    this.#pairsBatch = this.#isPostgres ? 5000 : BATCH;
  }

  async saveEvaluations(
    evaluations: EntityEvaluation[],
    options: { day: string; evaluatedAt: string; touchUnchanged: boolean },
  ): Promise<{ written: number }> {
    const { day, evaluatedAt, touchUnchanged } = options;
    this.#counts.clear();
    let written = 0;
    // Rows are locked and inserted in ref order, so that writers sharing
    // entities wait for each other instead of deadlocking.
    const sorted = [...evaluations].sort((a, b) =>
      a.entityRef < b.entityRef ? -1 : Number(a.entityRef > b.entityRef),
    );
    for (const batch of chunks(sorted)) {
      const rows = batch.map(e => toRow(e, day, evaluatedAt));
      written += await this.db.transaction(tx =>
        this.#saveBatch(tx, rows, { day, evaluatedAt, touchUnchanged }),
      );
    }
    if (written >= ANALYZE_AFTER && this.#isPostgres) {
      // PostgreSQL plans with the statistics of the table as it was until
      // autovacuum looks again: after a first run fills the tables, every
      // overview query would sort the whole table instead of reading its
      // page from an index.
      await this.db.raw(`ANALYZE ${ENTITIES}, ${FAILING}`);
    }
    return { written };
  }

  /**
   * One batch, in one transaction. Several replicas may grade the same
   * entity at once (a scheduled run on one, a change event on another), so
   * the stored rows are read under a row lock, a row evaluated later than
   * this batch is never overwritten (the upsert's condition, so also for a
   * row another writer inserts meanwhile), and the failing pairs are made to
   * match the row as finally stored.
   */
  async #saveBatch(
    tx: Knex.Transaction,
    rows: EntityRow[],
    options: { day: string; evaluatedAt: string; touchUnchanged: boolean },
  ): Promise<number> {
    const { day, evaluatedAt, touchUnchanged } = options;
    const refs = rows.map(r => r.entity_ref);
    const locked = tx<EntityRow>(ENTITIES)
      .whereIn('entity_ref', refs)
      .orderBy('entity_ref')
      .select(
        'entity_ref',
        'results_hash',
        'history_day',
        'evaluated_at',
        'graded',
      );
    const stored = new Map(
      (this.#isPostgres ? await locked.forUpdate() : await locked).map(r => [
        r.entity_ref,
        r,
      ]),
    );
    // New or different results; the same results on a new day (history
    // only); the same results again. Rows evaluated after this batch stay.
    const changed: EntityRow[] = [];
    const newDay: EntityRow[] = [];
    const unchanged: EntityRow[] = [];
    /** Same results, graded at revisions whose content moved. */
    const regraded: EntityRow[] = [];
    for (const row of rows) {
      const before = stored.get(row.entity_ref);
      if (before && before.evaluated_at > evaluatedAt) continue;
      if (!before || before.results_hash !== row.results_hash) {
        changed.push(row);
        continue;
      } else if (before.history_day !== day) {
        newDay.push(row);
      } else {
        unchanged.push(row);
      }
      const graded = parseGraded(before.graded);
      if (!graded || !revisionsMatch(graded, JSON.parse(row.graded!))) {
        regraded.push(row);
      }
    }
    if (regraded.length) {
      // One statement for the batch: the rows exist, only graded moves.
      await tx(ENTITIES)
        .insert(regraded)
        .onConflict('entity_ref')
        .merge(['graded'])
        .where(`${ENTITIES}.evaluated_at`, '<=', evaluatedAt);
    }
    if (changed.length) {
      await tx(ENTITIES)
        .insert(changed)
        .onConflict('entity_ref')
        .merge()
        .where(`${ENTITIES}.evaluated_at`, '<=', evaluatedAt);
    }
    // What the rows hold now: ours, or a later writer's that won.
    const saved = changed.length
      ? await tx<EntityRow>(ENTITIES)
          .whereIn(
            'entity_ref',
            changed.map(r => r.entity_ref),
          )
          .select('entity_ref', 'results_hash', 'failing_checks')
      : [];
    await this.#syncFailing(tx, saved);
    const savedHashes = new Map(saved.map(r => [r.entity_ref, r.results_hash]));
    const won = changed.filter(
      r => savedHashes.get(r.entity_ref) === r.results_hash,
    );
    if (newDay.length) {
      await tx(ENTITIES)
        .whereIn(
          'entity_ref',
          newDay.map(r => r.entity_ref),
        )
        .update({ history_day: day });
    }
    const touched = touchUnchanged ? [...newDay, ...unchanged] : [];
    if (touched.length) {
      await tx(ENTITIES)
        .whereIn(
          'entity_ref',
          touched.map(r => r.entity_ref),
        )
        .where('evaluated_at', '<', evaluatedAt)
        .update({ evaluated_at: evaluatedAt });
    }
    const history = [...won, ...newDay];
    if (history.length) {
      await tx(HISTORY)
        .insert(
          history.map(row => ({
            entity_ref: row.entity_ref,
            day,
            owner: row.owner,
            level: row.level,
            passed: row.passed,
            failed: row.failed,
            waived: row.waived,
          })),
        )
        .onConflict(['entity_ref', 'day'])
        .merge();
    }
    return history.length;
  }

  /**
   * Makes the failing (entity, check) pairs of these rows match their
   * failing checks, writing only the pairs that differ. Read after the rows
   * are locked, so a concurrent writer's pairs are seen, not guessed.
   */
  async #syncFailing(
    tx: Knex.Transaction,
    rows: Array<Pick<EntityRow, 'entity_ref' | 'failing_checks'>>,
  ) {
    if (!rows.length) return;
    const present = new Map<string, Set<string>>();
    for (const part of chunks(rows.map(r => r.entity_ref))) {
      const pairs = await tx(FAILING)
        .whereIn('entity_ref', part)
        .select('entity_ref', 'check_id');
      for (const { entity_ref, check_id } of pairs) {
        const checks = present.get(entity_ref) ?? new Set<string>();
        checks.add(check_id);
        present.set(entity_ref, checks);
      }
    }
    const added: Array<{ entity_ref: string; check_id: string }> = [];
    const removed: Array<[string, string]> = [];
    for (const row of rows) {
      const before = present.get(row.entity_ref) ?? new Set<string>();
      for (const checkId of JSON.parse(row.failing_checks) as string[]) {
        if (!before.delete(checkId)) {
          added.push({ entity_ref: row.entity_ref, check_id: checkId });
        }
      }
      for (const checkId of before) removed.push([row.entity_ref, checkId]);
    }
    for (const part of chunks(removed, this.#pairsBatch)) {
      await tx(FAILING).whereIn(['entity_ref', 'check_id'], part).delete();
    }
    for (const part of chunks(added, this.#pairsBatch)) {
      await tx(FAILING)
        .insert(part)
        .onConflict(['entity_ref', 'check_id'])
        .ignore();
    }
  }

  async listEntityEtags(): Promise<Map<string, string | null>> {
    const rows = await this.db<EntityRow>(ENTITIES).select(
      'entity_ref',
      'catalog_etag',
    );
    return new Map(rows.map(r => [r.entity_ref, r.catalog_etag]));
  }

  async deleteEntities(
    entityRefs: string[],
    options: { evaluatedBefore?: string } = {},
  ): Promise<void> {
    const { evaluatedBefore } = options;
    this.#counts.clear();
    for (const batch of chunks(entityRefs)) {
      await this.db.transaction(async tx => {
        let refs = batch;
        if (evaluatedBefore) {
          // A row evaluated since (by another replica) stays, with its pairs.
          const stale = tx<EntityRow>(ENTITIES)
            .whereIn('entity_ref', batch)
            .where('evaluated_at', '<', evaluatedBefore)
            .orderBy('entity_ref')
            .select('entity_ref');
          refs = (this.#isPostgres ? await stale.forUpdate() : await stale).map(
            r => r.entity_ref,
          );
          if (!refs.length) return;
        }
        await tx(FAILING).whereIn('entity_ref', refs).delete();
        await tx(EVALUATE_CLAIMS).whereIn('entity_ref', refs).delete();
        await tx(ENTITIES).whereIn('entity_ref', refs).delete();
      });
    }
  }

  async getEntity(entityRef: string): Promise<StoredEntity | undefined> {
    const row = await this.db<EntityRow>(ENTITIES)
      .where('entity_ref', entityRef)
      .first();
    if (!row) return undefined;
    return {
      ...this.#item(row),
      kind: row.kind,
      name: row.name,
      uid: optional(row.entity_uid),
      etag: optional(row.catalog_etag),
      results: JSON.parse(row.results),
      revisions: parseGraded(row.graded),
    };
  }

  async isKnown(entityRef: string): Promise<boolean> {
    const [entity, group] = await Promise.all([
      this.db(ENTITIES).where('entity_ref', entityRef).first('entity_ref'),
      entityRef.startsWith('group:')
        ? this.db(GROUP_TREE)
            .where('ancestor_ref', entityRef)
            .first('ancestor_ref')
        : undefined,
    ]);
    return Boolean(entity || group);
  }

  #item(row: EntityRow): EntityQueryResult['items'][number] {
    return {
      entityRef: row.entity_ref,
      title: optional(row.title),
      owner: optional(row.owner),
      system: optional(row.system),
      level: row.level as EntityLevel,
      passed: Number(row.passed),
      failed: Number(row.failed),
      waived: Number(row.waived),
      failingChecks: JSON.parse(row.failing_checks),
      evaluatedAt: row.evaluated_at,
    };
  }

  #descendants(groupRef: string) {
    return this.db(GROUP_TREE)
      .where('ancestor_ref', groupRef)
      .select('descendant_ref');
  }

  async queryEntities(query: EntityQuery): Promise<EntityQueryResult> {
    /** The filtered entities, for a page or for counting all of them. */
    const filtered = (purpose: 'page' | 'count') => {
      const q = this.db<EntityRow>(ENTITIES);
      if (query.owners) q.whereIn('owner', query.owners);
      if (query.ownerGroup) {
        q.whereIn('owner', this.#descendants(query.ownerGroup));
      }
      if (query.system) q.where('system', query.system);
      if (query.kind) q.where('kind', query.kind);
      if (query.visibleRefs)
        this.#whereRefIn(q, 'entity_ref', query.visibleRefs);
      if (query.levels?.length) {
        // By rank, which the level indexes start with.
        q.whereIn('level_rank', query.levels.map(levelRank));
      }
      if (query.belowLevel) {
        q.where('level_rank', '<', levelRank(query.belowLevel));
      }
      if (query.failingCheck && purpose === 'count') {
        q.whereIn(
          'entity_ref',
          this.db(FAILING)
            .where('check_id', query.failingCheck)
            .select('entity_ref'),
        );
      } else if (query.failingCheck) {
        // A probe of the failing pairs' key per entity, in the page's
        // order: a page of a check many fail stops after a few rows.
        q.whereExists(
          this.db(FAILING)
            .select(this.db.raw('1'))
            .whereRaw('??.?? = ??.??', [
              FAILING,
              'entity_ref',
              ENTITIES,
              'entity_ref',
            ])
            .where('check_id', query.failingCheck),
        );
      }
      return q;
    };
    const column = {
      level: 'level_rank',
      name: 'name',
      failed: 'failed',
    }[query.sort];
    const [levels, rows] = await Promise.all([
      this.#levelCounts(query, () => filtered('count')),
      filtered('page')
        .select(
          'entity_ref',
          'title',
          'owner',
          'system',
          'level',
          'passed',
          'failed',
          'waived',
          'failing_checks',
          'evaluated_at',
        )
        // As the indexes are ordered: names ascending within a level or a
        // number of failed checks; refs break ties in the sort's direction
        // when sorting by name.
        .orderBy(
          column === 'name'
            ? [
                { column, order: query.order },
                { column: 'entity_ref', order: query.order },
              ]
            : [
                { column, order: query.order },
                { column: 'name', order: 'asc' },
                { column: 'entity_ref', order: 'asc' },
              ],
        )
        .limit(query.limit)
        .offset(query.offset),
    ]);
    return {
      items: (rows as EntityRow[]).map(row => this.#item(row)),
      totalItems: Object.values(levels).reduce((a, b) => a + b, 0),
      levels,
    };
  }

  /** The filter's entities by level, from the cache while it holds. */
  #levelCounts(
    query: EntityQuery,
    filtered: () => Knex.QueryBuilder<EntityRow>,
  ): Promise<LevelCounts> {
    const { owners, ownerGroup, system, kind, levels, belowLevel } = query;
    // One caller's view of the catalog is not another's: not kept.
    if (query.visibleRefs) return this.#countLevels(filtered);
    // Hashed: a list of owners would make long keys.
    const key = createHash('sha256')
      .update(
        JSON.stringify([
          owners,
          ownerGroup,
          system,
          kind,
          levels,
          belowLevel,
          query.failingCheck,
        ]),
      )
      .digest('base64');
    const now = Date.now();
    const cached = this.#counts.get(key);
    if (cached && now - cached.at < COUNTS_TTL_MS) return cached.levels;
    const counted = this.#countLevels(filtered);
    this.#counts.set(key, { at: now, levels: counted });
    counted.catch(() => this.#counts.delete(key));
    return counted;
  }

  /** How many level counts are kept (at most COUNTS_KEPT filters). */
  get keptLevelCounts(): number {
    return this.#counts.size;
  }

  async #countLevels(
    filtered: () => Knex.QueryBuilder<EntityRow>,
  ): Promise<LevelCounts> {
    // By rank: the level indexes hold it, so no row is read.
    const rows = (await filtered()
      .select('level_rank')
      .count({ count: '*' })
      .groupBy('level_rank')) as Array<{
      level_rank: number;
      count: number | string;
    }>;
    const counts = emptyLevels();
    for (const { level_rank: rank, count } of rows) {
      counts[rank === 0 ? 'none' : LEVELS[rank - 1]] = Number(count);
    }
    return counts;
  }

  /**
   * Limits a query to rows whose column is one of `refs`, with the list as
   * one bound value (a JSON array), however long it is: SQLite and
   * PostgreSQL both cap the values one statement may bind.
   */
  #whereRefIn(q: Knex.QueryBuilder, column: string, refs: string[]) {
    const list = JSON.stringify(refs);
    if (this.#isPostgres) {
      q.whereRaw('?? in (select jsonb_array_elements_text(?::jsonb))', [
        column,
        list,
      ]);
    } else {
      q.whereRaw('?? in (select value from json_each(?))', [column, list]);
    }
  }

  async entityHistory(
    entityRef: string,
    sinceDay: string,
  ): Promise<EntityHistoryPoint[]> {
    const rows = await this.db(HISTORY)
      .where('entity_ref', entityRef)
      .where('day', '>=', sinceDay)
      .orderBy('day')
      .select('day', 'level', 'passed', 'failed');
    return rows.map(r => ({
      day: r.day,
      level: r.level,
      passed: Number(r.passed),
      failed: Number(r.failed),
    }));
  }

  async groupHistory(
    groupRef: string | undefined,
    sinceDay: string,
    options: { visibleRefs?: string[] } = {},
  ): Promise<GroupHistoryPoint[]> {
    const query = this.db(HISTORY);
    if (groupRef) query.whereIn('owner', this.#descendants(groupRef));
    if (options.visibleRefs) {
      this.#whereRefIn(query, 'entity_ref', options.visibleRefs);
    }
    const rows: Array<{ day: string; level: EntityLevel; count: unknown }> =
      await query
        .where('day', '>=', sinceDay)
        .groupBy('day', 'level')
        .orderBy('day')
        .select('day', 'level')
        .count({ count: '*' });
    const days = new Map<string, GroupHistoryPoint>();
    for (const { day, level, count } of rows) {
      let point = days.get(day);
      if (!point) {
        point = { day, entities: 0, levels: emptyLevels() };
        days.set(day, point);
      }
      point.levels[level] += Number(count);
      point.entities += Number(count);
    }
    return [...days.values()];
  }

  async pruneHistory(beforeDay: string): Promise<number> {
    return await this.db(HISTORY).where('day', '<', beforeDay).delete();
  }

  async replaceGroupTree(edges: GroupEdge[]): Promise<void> {
    this.#counts.clear();
    const key = (e: GroupEdge) => `${e.ancestor}\n${e.descendant}`;
    const wanted = new Map(edges.map(e => [key(e), e]));
    await this.db.transaction(async tx => {
      const stored: Array<{ ancestor_ref: string; descendant_ref: string }> =
        await tx(GROUP_TREE).select('ancestor_ref', 'descendant_ref');
      const have = new Set<string>();
      const stale: Array<[string, string]> = [];
      for (const row of stored) {
        const k = key({
          ancestor: row.ancestor_ref,
          descendant: row.descendant_ref,
        });
        have.add(k);
        if (!wanted.has(k)) stale.push([row.ancestor_ref, row.descendant_ref]);
      }
      for (const part of chunks(stale)) {
        await tx(GROUP_TREE)
          .whereIn(['ancestor_ref', 'descendant_ref'], part)
          .delete();
      }
      const added = [...wanted]
        .filter(([k]) => !have.has(k))
        .map(([, e]) => ({
          ancestor_ref: e.ancestor,
          descendant_ref: e.descendant,
        }));
      for (const part of chunks(added)) {
        await tx(GROUP_TREE).insert(part);
      }
    });
  }

  async groupWithDescendants(groupRef: string): Promise<string[]> {
    const rows = await this.#descendants(groupRef).orderBy('descendant_ref');
    return rows.map(r => r.descendant_ref);
  }

  async createWaiver(waiver: WaiverRecord): Promise<void> {
    await this.db<WaiverRow>(WAIVERS).insert({
      id: waiver.id,
      entity_ref: waiver.entityRef,
      entity_uid: waiver.entityUid ?? null,
      check_id: waiver.checkId,
      reason: waiver.reason,
      expires_on: waiver.expiresOn,
      created_by: waiver.createdBy,
      created_at: waiver.createdAt,
      revoked_by: waiver.revokedBy ?? null,
      revoked_at: waiver.revokedAt ?? null,
    });
  }

  async getWaiver(id: string): Promise<WaiverRecord | undefined> {
    const row = await this.db<WaiverRow>(WAIVERS).where('id', id).first();
    return row && fromWaiverRow(row);
  }

  async revokeWaiver(options: {
    id: string;
    revokedBy: string;
    revokedAt: string;
  }): Promise<WaiverRecord | undefined> {
    const count = await this.db<WaiverRow>(WAIVERS)
      .where('id', options.id)
      .whereNull('revoked_at')
      .update({
        revoked_by: options.revokedBy,
        revoked_at: options.revokedAt,
      });
    return count ? this.getWaiver(options.id) : undefined;
  }

  async listWaivers(entityRef: string): Promise<WaiverRecord[]> {
    const uid = (
      await this.db<EntityRow>(ENTITIES)
        .where('entity_ref', entityRef)
        .first('entity_uid')
    )?.entity_uid;
    const query = this.db<WaiverRow>(WAIVERS).where('entity_ref', entityRef);
    // Not yet evaluated with a uid: the ref's waivers, as before uids.
    if (uid) {
      query.where(q => q.where('entity_uid', uid).orWhereNull('entity_uid'));
    }
    const rows = await query.orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    return rows.map(fromWaiverRow);
  }

  async activeWaivers(options: {
    today: string;
    entityRefs?: string[];
  }): Promise<WaiverRecord[]> {
    const query = () =>
      this.db<WaiverRow>(WAIVERS)
        .whereNull('revoked_at')
        .where('expires_on', '>=', options.today);
    if (!options.entityRefs) {
      return (await query()).map(fromWaiverRow);
    }
    const out: WaiverRecord[] = [];
    for (const batch of chunks(options.entityRefs)) {
      out.push(
        ...(await query().whereIn('entity_ref', batch)).map(fromWaiverRow),
      );
    }
    return out;
  }

  async adoptWaivers(uids: ReadonlyMap<string, string>): Promise<void> {
    if (!uids.size) return;
    // Waivers without a uid are only those from before uids were kept: the
    // first evaluation after the upgrade gives them one, later ones find none.
    const orphans: Array<{ entity_ref: string }> = await this.db(WAIVERS)
      .whereNull('entity_uid')
      .distinct('entity_ref');
    for (const { entity_ref: ref } of orphans) {
      const uid = uids.get(ref);
      if (!uid) continue;
      await this.db(WAIVERS)
        .where('entity_ref', ref)
        .whereNull('entity_uid')
        .update({ entity_uid: uid });
    }
  }

  async claimEvaluation(
    entityRef: string,
    options: { now: string; since: string },
  ): Promise<boolean> {
    const claimed = await this.db(EVALUATE_CLAIMS)
      .insert({ entity_ref: entityRef, claimed_at: options.now })
      .onConflict('entity_ref')
      .merge()
      .where(`${EVALUATE_CLAIMS}.claimed_at`, '<=', options.since)
      .returning('entity_ref');
    return claimed.length > 0;
  }

  async countRequest(
    key: string,
    windowStart: number,
  ): Promise<{ count: number; windowStart: number }> {
    // One statement: concurrent requests on any replica each add one. A
    // replica whose clock is a little behind counts in the current window.
    const newer = this.db.raw('excluded.window_start > ??.??', [
      REQUEST_COUNTS,
      'window_start',
    ]);
    const [row] = await this.db(REQUEST_COUNTS)
      .insert({ key, window_start: windowStart, count: 1 })
      .onConflict('key')
      .merge({
        count: this.db.raw('case when ? then 1 else ??.?? + 1 end', [
          newer,
          REQUEST_COUNTS,
          'count',
        ]),
        window_start: this.db.raw(
          'case when ? then excluded.window_start else ??.?? end',
          [newer, REQUEST_COUNTS, 'window_start'],
        ),
      })
      .returning(['count', 'window_start']);
    return { count: Number(row.count), windowStart: Number(row.window_start) };
  }

  async getLastFullRun(): Promise<string | undefined> {
    // Every read answer shows it: kept like the level counts.
    const now = Date.now();
    if (this.#lastFullRun && now - this.#lastFullRun.at < COUNTS_TTL_MS) {
      return this.#lastFullRun.value;
    }
    const value = this.db(STATE)
      .where('key', 'last_full_run')
      .first()
      .then(row => row?.value as string | undefined);
    this.#lastFullRun = { at: now, value };
    value.catch(() => {
      this.#lastFullRun = undefined;
    });
    return value;
  }

  async claimChecksRun(checksDigest: string): Promise<boolean> {
    const claimed = await this.db(STATE)
      .insert({ key: 'checks_run_requested', value: checksDigest })
      .onConflict('key')
      .merge()
      .where(`${STATE}.value`, '<>', checksDigest)
      .returning('key');
    return claimed.length > 0;
  }

  async setLastFullRun(startedAt: string): Promise<void> {
    this.#lastFullRun = undefined;
    await this.db(STATE)
      .insert({ key: 'last_full_run', value: startedAt })
      .onConflict('key')
      .merge();
  }
}
