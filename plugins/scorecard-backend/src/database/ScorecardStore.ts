import {
  CheckStatus,
  EntityHistoryPoint,
  EntityLevel,
  FactValue,
  GroupHistoryPoint,
  Level,
  Revision,
  Waiver,
} from '@causeway/plugin-scorecard-common';

/** One check's outcome as stored; titles and fixes come from the check files. */
export type StoredCheckResult = {
  checkId: string;
  level: Level;
  status: CheckStatus;
  /** The facts the check read, with the values it saw (null: unknown). */
  values: Record<string, FactValue>;
  /** The active waiver for this check, if any. */
  waiverId?: string;
};

/** An entity's evaluation: what one run computed for it. */
export type EntityEvaluation = {
  /** Lowercase, e.g. component:default/payment-service */
  entityRef: string;
  /** Lowercase, e.g. component */
  kind: string;
  name: string;
  /** The catalog's uid of the entity evaluated: its waivers are its uid's. */
  uid?: string;
  title?: string;
  /** The owner's ref (ownedBy), lowercase. */
  owner?: string;
  /** The system's ref (partOf), lowercase. */
  system?: string;
  /** The catalog's etag of the entity evaluated. */
  etag?: string;
  level: EntityLevel;
  passed: number;
  failed: number;
  waived: number;
  results: StoredCheckResult[];
  /**
   * What the facts were made of, by input (`gitops`, `source`): stored
   * beside the results, so a read can tell whether they are stale.
   */
  revisions?: Record<string, Revision>;
};

export type StoredEntity = EntityEvaluation & {
  failingChecks: string[];
  /** When results were last written (ISO 8601, UTC). */
  evaluatedAt: string;
};

export type OverviewSort = 'level' | 'name' | 'failed';

export type EntityQuery = {
  /** Entities owned by any of these (lowercase refs); an empty list matches none. */
  owners?: string[];
  /** Entities owned by this group or any group below it. */
  ownerGroup?: string;
  system?: string;
  levels?: EntityLevel[];
  /** Entities below this level: below silver is no level or bronze. */
  belowLevel?: Level;
  failingCheck?: string;
  kind?: string;
  /**
   * Only these entities (the caller may not see others in the catalog);
   * undefined: no such limit.
   */
  visibleRefs?: string[];
  sort: OverviewSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
};

export type EntityQueryResult = {
  items: Omit<StoredEntity, 'results' | 'etag' | 'kind' | 'name' | 'uid'>[];
  totalItems: number;
  levels: Record<EntityLevel, number>;
};

/**
 * A waiver as recorded: waivers are revoked, never deleted. It belongs to
 * the entity with its uid (none: recorded before uids were kept, until its
 * entity is next evaluated, or an entity without one).
 */
export type WaiverRecord = Omit<Waiver, 'active'> & { entityUid?: string };

export type GroupEdge = { ancestor: string; descendant: string };

/** Where the scorecard keeps results, history, waivers and the group tree. */
export interface ScorecardStore {
  /**
   * Writes the evaluations whose results differ from the stored ones, or
   * that have no history row for `day` yet, each entity's row, failing checks
   * and history together in one transaction. `touchUnchanged` moves the
   * evaluation time of the others too. An entity stored with a later
   * `evaluatedAt` (another replica graded it since) is left as it is. The
   * revisions graded are stored with the results, and updated on an
   * unchanged row when their content moved.
   * Returns how many were written.
   */
  saveEvaluations(
    evaluations: EntityEvaluation[],
    options: { day: string; evaluatedAt: string; touchUnchanged: boolean },
  ): Promise<{ written: number }>;
  /** Every stored entity with the catalog etag it was evaluated at. */
  listEntityEtags(): Promise<Map<string, string | null>>;
  /**
   * Forgets entities (not their history or waivers); with `evaluatedBefore`,
   * only those not evaluated since then.
   */
  deleteEntities(
    entityRefs: string[],
    options?: { evaluatedBefore?: string },
  ): Promise<void>;
  getEntity(entityRef: string): Promise<StoredEntity | undefined>;
  /** Whether the last evaluations saw this entity (an evaluated one, or a group). */
  isKnown(entityRef: string): Promise<boolean>;
  queryEntities(query: EntityQuery): Promise<EntityQueryResult>;

  entityHistory(
    entityRef: string,
    sinceDay: string,
  ): Promise<EntityHistoryPoint[]>;
  /**
   * Per day, the levels of the entities owned by the group or a group below
   * it; of every entity without a group. With `visibleRefs`, of those
   * entities only.
   */
  groupHistory(
    groupRef: string | undefined,
    sinceDay: string,
    options?: { visibleRefs?: string[] },
  ): Promise<GroupHistoryPoint[]>;
  /** Deletes history before `day`; returns how many rows. */
  pruneHistory(beforeDay: string): Promise<number>;

  /** Replaces the group tree: every (ancestor, descendant), each group its own too. */
  replaceGroupTree(edges: GroupEdge[]): Promise<void>;
  /** The group and every group below it; empty when the group is unknown. */
  groupWithDescendants(groupRef: string): Promise<string[]>;

  createWaiver(waiver: WaiverRecord): Promise<void>;
  getWaiver(id: string): Promise<WaiverRecord | undefined>;
  /** Marks a waiver revoked; returns it, or undefined when it was already. */
  revokeWaiver(options: {
    id: string;
    revokedBy: string;
    revokedAt: string;
  }): Promise<WaiverRecord | undefined>;
  /**
   * Every waiver of the entity now stored under this ref (by the uid it was
   * last evaluated as), newest first.
   */
  listWaivers(entityRef: string): Promise<WaiverRecord[]>;
  /** Waivers not revoked that apply on `today` or later, of some entities or all. */
  activeWaivers(options: {
    today: string;
    entityRefs?: string[];
  }): Promise<WaiverRecord[]>;
  /**
   * Gives the waivers recorded without a uid under these refs the uid of
   * the entity now evaluated under each (uids by ref).
   */
  adoptWaivers(uids: ReadonlyMap<string, string>): Promise<void>;

  /**
   * Records that a request grades the entity `now`, unless one did after
   * `since`, on any replica: true when this caller should grade it.
   */
  claimEvaluation(
    entityRef: string,
    options: { now: string; since: string },
  ): Promise<boolean>;
  /**
   * Counts a request under `key` in the window starting at `windowStart`
   * (milliseconds; a new window starts the count again), in one statement
   * shared by the replicas. Returns the count including this one, and the
   * window it is in (a later one, when another replica started it).
   */
  countRequest(
    key: string,
    windowStart: number,
  ): Promise<{ count: number; windowStart: number }>;

  /**
   * Records that a full run was asked for the checks with this digest; true
   * only for the first caller (replica) since they last changed.
   */
  claimChecksRun(checksDigest: string): Promise<boolean>;

  /** When the last full evaluation started (ISO 8601), if one finished. */
  getLastFullRun(): Promise<string | undefined>;
  setLastFullRun(startedAt: string): Promise<void>;
}
