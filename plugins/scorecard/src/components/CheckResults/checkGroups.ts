import {
  CheckResult,
  CheckStatus,
  EntityLevel,
  Level,
  LEVELS,
  levelRank,
} from '@causeway/plugin-scorecard-common';

/** The level above `level`; undefined at the top. */
export function nextLevel(level: EntityLevel): Level | undefined {
  // levelRank counts 'none' as 0, so the rank is the next level's index.
  return LEVELS[levelRank(level)];
}

export const CHECK_STATUSES: readonly CheckStatus[] = [
  'fail',
  'waived',
  'pass',
  'not-applicable',
];

/** The page anchor of the checks with a status: #checks-failed... */
export function checksAnchor(status: CheckStatus): string {
  return `checks-${status}`;
}

/** Failing checks of one level, in the order a team should fix them. */
export type FailingLevel = { level: Level; results: CheckResult[] };

export type CheckGroups = {
  /** Failing checks, one entry per level, lowest (the next to reach) first. */
  failing: FailingLevel[];
  waived: CheckResult[];
  passed: CheckResult[];
  notApplicable: CheckResult[];
};

/** An entity's results as the Scorecard tab shows them: what blocks first. */
export function groupChecks(results: CheckResult[]): CheckGroups {
  const withStatus = (status: CheckStatus) =>
    results.filter(r => r.status === status);
  const failed = withStatus('fail');
  return {
    failing: LEVELS.map(level => ({
      level,
      results: failed.filter(r => r.level === level),
    })).filter(group => group.results.length > 0),
    waived: withStatus('waived'),
    passed: withStatus('pass'),
    notApplicable: withStatus('not-applicable'),
  };
}
