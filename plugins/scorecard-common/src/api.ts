import { EntityLevel, Level } from './levels';
import { FactValue } from './rules';
import { GradedRevisions } from './revisions';

/** The shapes of /api/scorecard responses, shared by the backend, the app and the gate. */

export type CheckStatus = 'pass' | 'fail' | 'waived' | 'not-applicable';

/** A waiver as recorded: revoked, never deleted, so every one stays on record. */
export type Waiver = {
  id: string;
  entityRef: string;
  checkId: string;
  reason: string;
  /** The last day it applies, YYYY-MM-DD (UTC). */
  expiresOn: string;
  createdBy: string;
  createdAt: string;
  revokedBy?: string;
  revokedAt?: string;
  /** Counts now: not revoked and not past expiresOn (in lists of waivers). */
  active?: boolean;
};

/** How far ahead a waiver may expire (scorecard.waivers.maxDays), in GET /checks. */
export type WaiverRules = {
  /** The last day a new waiver may expire on is today (UTC) plus this many days. */
  maxDays: number;
};

export type CheckResult = {
  checkId: string;
  title: string;
  description: string;
  level: Level;
  status: CheckStatus;
  /** The facts the check read, with the values it saw (null: unknown). */
  values: Record<string, FactValue>;
  fix: { text: string; link?: string };
  waiver?: Waiver;
};

export type EntityScorecard = {
  entityRef: string;
  level: EntityLevel;
  passed: number;
  failed: number;
  waived: number;
  evaluatedAt: string;
  /**
   * The commits the results were graded at (`gitops`: the GitOps
   * repository's, `source`: the source repository's), when the entity has
   * those inputs. The results are re-graded before they are served when
   * either moved since.
   */
  graded: GradedRevisions;
  results: CheckResult[];
};

export type OverviewItem = {
  entityRef: string;
  title?: string;
  owner?: string;
  system?: string;
  level: EntityLevel;
  passed: number;
  failed: number;
  waived: number;
  failingChecks: string[];
  evaluatedAt: string;
};

export type OverviewResponse = {
  items: OverviewItem[];
  totalItems: number;
  /** How many of the matching entities are at each level. */
  levels: Record<EntityLevel, number>;
};

export type GroupRollup = {
  groupRef: string;
  /** The group and every group below it. */
  groups: string[];
  entities: number;
  levels: Record<EntityLevel, number>;
  items: OverviewItem[];
};

export type EntityHistoryPoint = {
  day: string;
  level: EntityLevel;
  passed: number;
  failed: number;
};

export type GroupHistoryPoint = {
  day: string;
  entities: number;
  levels: Record<EntityLevel, number>;
};

export type GateResponse = {
  entityRef: string;
  minLevel: Level;
  level: EntityLevel;
  pass: boolean;
  evaluatedAt: string;
  /**
   * The commits graded: `gitops` (the GitOps repository's commit) and
   * `source` (the source repository's), each when the entity has one. The
   * gate grades the entity again first when its GitOps folder or source
   * repository moved since its stored results.
   */
  graded: GradedRevisions;
  /** The failing checks at or below minLevel: what to fix to pass. */
  blocking: Array<
    Pick<CheckResult, 'checkId' | 'title' | 'level' | 'values' | 'fix'>
  >;
};
