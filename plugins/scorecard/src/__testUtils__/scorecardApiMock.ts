import {
  CheckResult,
  EntityScorecard,
  OverviewItem,
} from '@causeway/plugin-scorecard-common';
import { ScorecardApi } from '../api/ScorecardClient';

/** A ScorecardApi whose every method is a jest.fn, with empty answers. */
export function scorecardApiMock(
  overrides: Partial<ScorecardApi> = {},
): jest.Mocked<ScorecardApi> {
  return {
    getEntityScorecard: jest.fn(async () => undefined),
    evaluateEntity: jest.fn(async () => scorecard()),
    getEntityHistory: jest.fn(async () => []),
    getOverview: jest.fn(async () => ({
      items: [],
      totalItems: 0,
      levels: { none: 0, bronze: 0, silver: 0, gold: 0 },
    })),
    getGroupRollup: jest.fn(async () => {
      throw new Error('no rollup in this test');
    }),
    getHistory: jest.fn(async () => []),
    getChecks: jest.fn(async () => ({
      checks: [],
      problems: [],
      waivers: { maxDays: 180 },
    })),
    getWaivers: jest.fn(async () => []),
    createWaiver: jest.fn(async (entityRef, waiver) => ({
      id: 'w1',
      entityRef,
      ...waiver,
      createdBy: 'user:default/jane',
      createdAt: '2026-01-01T00:00:00Z',
    })),
    revokeWaiver: jest.fn(async () => undefined),
    ...overrides,
  } as jest.Mocked<ScorecardApi>;
}

export function checkResult(
  checkId: string,
  fields: Partial<CheckResult> = {},
): CheckResult {
  return {
    checkId,
    title: checkId,
    description: `About ${checkId}.`,
    level: 'bronze',
    status: 'pass',
    values: {},
    fix: { text: `Fix ${checkId}.` },
    ...fields,
  };
}

export function scorecard(
  fields: Partial<EntityScorecard> = {},
): EntityScorecard {
  return {
    entityRef: 'component:default/payments-api',
    level: 'bronze',
    passed: 0,
    failed: 0,
    waived: 0,
    evaluatedAt: '2026-03-01T10:00:00Z',
    graded: {},
    results: [],
    ...fields,
  };
}

export function overviewItem(
  entityRef: string,
  fields: Partial<OverviewItem> = {},
): OverviewItem {
  return {
    entityRef,
    level: 'bronze',
    passed: 3,
    failed: 1,
    waived: 0,
    failingChecks: [],
    evaluatedAt: '2026-03-01T10:00:00Z',
    ...fields,
  };
}
