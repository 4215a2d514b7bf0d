import { Entity } from '@backstage/catalog-model';
import { WaiverRecord } from '../database/ScorecardStore';
import { testChecks } from '../__testUtils__/testChecks';
import { CompiledChecks, evaluateEntity } from './evaluation';

const definitions = testChecks();
const checks = new CompiledChecks(definitions);

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payment-service', namespace: 'default', etag: 'e1' },
  spec: { type: 'service', owner: 'payments-team', system: 'checkout' },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/payments-team' },
    { type: 'partOf', targetRef: 'system:default/checkout' },
  ],
};

const today = '2026-03-10';

function waiver(checkId: string, expiresOn: string): WaiverRecord {
  return {
    id: `w-${checkId}`,
    entityRef: 'component:default/payment-service',
    checkId,
    reason: 'Migrating this quarter',
    expiresOn,
    createdBy: 'user:default/bob',
    createdAt: '2026-03-01T10:00:00.000Z',
  };
}

const evaluate = (
  entityFacts: Record<string, unknown>,
  options: { waivers?: WaiverRecord[]; on?: string; entity?: Entity } = {},
) =>
  evaluateEntity({
    entity: options.entity ?? service,
    facts: {
      'catalog.ownerKind': 'Group',
      'catalog.hasRunbookLink': true,
      'catalog.hasSlo': true,
      ...entityFacts,
    } as any,
    checks,
    waivers: new Map((options.waivers ?? []).map(w => [w.checkId, w])),
    today: options.on ?? today,
  });

describe('evaluateEntity', () => {
  it('reaches the highest level whose checks and all lower ones pass', () => {
    const result = evaluate({
      'test.replicas': 3,
      'test.databaseClaimCount': 1,
    });
    expect(result).toMatchObject({
      entityRef: 'component:default/payment-service',
      kind: 'component',
      owner: 'group:default/payments-team',
      system: 'system:default/checkout',
      etag: 'e1',
      level: 'gold',
      passed: 4,
      failed: 0,
      waived: 0,
    });

    expect(
      evaluate({ 'test.replicas': 1, 'test.databaseClaimCount': 1 })?.level,
    ).toBe('bronze');
    expect(
      evaluate({
        'catalog.ownerKind': 'User',
        'test.replicas': 3,
        'test.databaseClaimCount': 1,
      })?.level,
    ).toBe('none');
  });

  it('marks a check whose condition does not hold as not-applicable, which does not hold the level back', () => {
    const result = evaluate({
      'test.replicas': 2,
      'test.databaseClaimCount': 0,
      'catalog.hasSlo': false,
    });
    expect(result?.results.find(r => r.checkId === 'database-backups')).toEqual(
      {
        checkId: 'database-backups',
        level: 'gold',
        status: 'not-applicable',
        values: {
          'catalog.hasSlo': false,
          'test.databaseClaimCount': 0,
        },
      },
    );
    expect(result).toMatchObject({ level: 'gold', passed: 3, failed: 0 });
  });

  it('shows the value behind a numeric failure, and null for an unknown fact', () => {
    const failing = evaluate({ 'test.replicas': 1 });
    expect(failing?.results.find(r => r.checkId === 'two-replicas')).toEqual({
      checkId: 'two-replicas',
      level: 'silver',
      status: 'fail',
      values: { 'test.replicas': 1 },
    });
    const unknown = evaluate({});
    expect(
      unknown?.results.find(r => r.checkId === 'two-replicas')?.values,
    ).toEqual({ 'test.replicas': null });
  });

  it('counts a waived check as passing until the waiver expires', () => {
    const waivers = [waiver('two-replicas', '2026-03-12')];
    const facts2 = { 'test.replicas': 1, 'test.databaseClaimCount': 1 };

    for (const on of ['2026-03-10', '2026-03-12']) {
      const result = evaluate(facts2, { waivers, on });
      expect(result).toMatchObject({
        level: 'gold',
        passed: 3,
        failed: 0,
        waived: 1,
      });
      expect(
        result?.results.find(r => r.checkId === 'two-replicas'),
      ).toMatchObject({ status: 'waived', waiverId: 'w-two-replicas' });
    }

    const expired = evaluate(facts2, { waivers, on: '2026-03-13' });
    expect(expired).toMatchObject({ level: 'bronze', failed: 1, waived: 0 });
    expect(
      expired?.results.find(r => r.checkId === 'two-replicas'),
    ).not.toHaveProperty('waiverId');
  });

  it('ignores a revoked waiver', () => {
    const revoked = {
      ...waiver('two-replicas', '2026-04-01'),
      revokedAt: '2026-03-09T00:00:00.000Z',
      revokedBy: 'user:default/alice',
    };
    expect(
      evaluate({ 'test.replicas': 1 }, { waivers: [revoked] })?.level,
    ).toBe('bronze');
  });

  it('evaluates only the checks that select the entity, and nothing when none does', () => {
    const website: Entity = {
      ...service,
      spec: { ...service.spec, type: 'website' },
    };
    expect(
      evaluate({}, { entity: website })?.results.map(r => r.checkId),
    ).toEqual(['owned-by-group', 'runbook']);
    const group: Entity = { ...service, kind: 'Group' };
    expect(evaluate({}, { entity: group })).toBeUndefined();
  });
});

describe('CompiledChecks', () => {
  it('knows the kinds the checks select, to list only those', () => {
    expect(checks.kinds).toEqual(['api', 'component']);
    expect(
      new CompiledChecks([
        ...definitions,
        { ...definitions[0], id: 'any-kind', appliesTo: {} },
      ]).kinds,
    ).toBeUndefined();
  });
});
