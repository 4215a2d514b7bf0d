import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Facts } from '@causeway/plugin-scorecard-common';
import { FactProvider } from '@causeway/plugin-scorecard-node';
import { DatabaseScorecardStore } from '../database/DatabaseScorecardStore';
import { CatalogFactProvider } from '../facts/CatalogFactProvider';
import { testChecks, testProviderFacts } from '../__testUtils__/testChecks';
import { ScorecardEvaluator } from './ScorecardEvaluator';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function component(name: string, etag: string, type = 'service'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', etag },
    spec: { type, owner: 'payments-team', lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/payments-team' }],
  };
}

const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: parent
    ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
    : [],
});

describe('ScorecardEvaluator', () => {
  let entities: Entity[];
  let replicas: Record<string, number>;
  let now: Date;
  let store: DatabaseScorecardStore;
  let evaluator: ScorecardEvaluator;
  let catalogCalls: string[];
  const collect = jest.fn();

  beforeEach(async () => {
    entities = [
      component('payment-service', 'p1'),
      component('order-service', 'o1'),
      component('docs-site', 'd1', 'website'),
      group('engineering'),
      group('payments-team', 'engineering'),
    ];
    replicas = {
      'component:default/payment-service': 1,
      'component:default/order-service': 3,
    };
    now = new Date('2026-03-10T10:00:00Z');
    catalogCalls = [];
    collect.mockReset();
    const current = () => catalogServiceMock({ entities });
    // The catalog as it is at each call, with each call recorded.
    const catalog = {
      streamEntities: (request, options) => {
        catalogCalls.push(`stream ${JSON.stringify(request?.filter)}`);
        return current().streamEntities(request, options);
      },
      getEntitiesByRefs: (request, options) => {
        catalogCalls.push(`byRefs ${request.entityRefs.join(',')}`);
        return current().getEntitiesByRefs(request, options);
      },
    } as Partial<CatalogService> as CatalogService;
    const testProvider: FactProvider = {
      id: 'test',
      facts: testProviderFacts,
      async collect(batch) {
        collect(batch.map(e => e.metadata.name));
        return new Map<string, Facts>(
          batch
            .map(e => `component:default/${e.metadata.name}`)
            .filter(ref => ref in replicas)
            .map(ref => [ref, { 'test.replicas': replicas[ref] }]),
        );
      },
    };
    store = await DatabaseScorecardStore.create({
      database: mockServices.database({
        knex: await databases.init('SQLITE_3'),
      }),
    });
    evaluator = new ScorecardEvaluator({
      store,
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      providers: [new CatalogFactProvider(), testProvider],
      retentionDays: 400,
      clock: () => now,
    });
    evaluator.setChecks(testChecks());
  });

  afterEach(() => evaluator.close());

  const level = async (name: string) =>
    (await store.getEntity(`component:default/${name}`))?.level;

  it('evaluates every selected entity in one listing and one collect call per provider, and writes only changes after', async () => {
    const first = await evaluator.evaluateAll();

    expect(first).toMatchObject({ entities: 3, written: 3, removed: 0 });
    expect(catalogCalls).toEqual([
      'stream {"kind":["api","component"]}',
      'stream {"kind":"group"}',
    ]);
    expect(collect.mock.calls).toEqual([
      [['payment-service', 'order-service', 'docs-site']],
    ]);
    expect(await level('payment-service')).toBe('bronze');
    expect(await level('order-service')).toBe('silver');
    expect(await level('docs-site')).toBe('silver');
    expect(
      await store.groupWithDescendants('group:default/engineering'),
    ).toEqual(['group:default/engineering', 'group:default/payments-team']);

    now = new Date('2026-03-10T10:10:00Z');
    expect(await evaluator.evaluateAll()).toMatchObject({ written: 0 });

    replicas['component:default/payment-service'] = 2;
    entities = entities.filter(e => e.metadata.name !== 'docs-site');
    expect(await evaluator.evaluateAll()).toMatchObject({
      entities: 2,
      written: 1,
      removed: 1,
    });
    expect(await level('payment-service')).toBe('silver');
    expect(await level('docs-site')).toBeUndefined();
  });

  it('keeps the previous results when a provider fails', async () => {
    await evaluator.evaluateAll();
    collect.mockImplementation(() => {
      throw new Error('repository unreachable');
    });
    replicas['component:default/order-service'] = 0;

    await expect(evaluator.evaluateAll()).rejects.toThrow(
      'Fact provider test failed: Error: repository unreachable',
    );
    expect(await level('order-service')).toBe('silver');
  });

  it('evaluates the entities whose catalog etag moved, new ones, and forgets removed ones', async () => {
    await evaluator.evaluateAll();
    catalogCalls = [];
    collect.mockClear();

    expect(await evaluator.pollCatalog()).toEqual({ changed: 0, removed: 0 });
    expect(collect).not.toHaveBeenCalled();

    replicas['component:default/payment-service'] = 5;
    entities = [
      component('payment-service', 'p2'),
      component('fx-rates', 'f1'),
      ...entities.filter(
        e => !['payment-service', 'order-service'].includes(e.metadata.name),
      ),
    ];
    catalogCalls = [];

    expect(await evaluator.pollCatalog()).toEqual({ changed: 2, removed: 1 });
    expect(catalogCalls).toEqual([
      'stream {"kind":["api","component"]}',
      'byRefs component:default/payment-service,component:default/fx-rates',
    ]);
    expect(collect).toHaveBeenLastCalledWith(['payment-service', 'fx-rates']);
    expect(await level('payment-service')).toBe('silver');
    expect(await level('fx-rates')).toBe('bronze');
    expect(await level('order-service')).toBeUndefined();
  });

  it('re-evaluates the entities a change source names', async () => {
    await evaluator.evaluateAll();
    replicas['component:default/payment-service'] = 2;

    evaluator.enqueue(['Component:default/payment-service', 'not a ref:']);
    evaluator.enqueue(['component:payment-service']);
    await evaluator.settled();

    expect(collect).toHaveBeenLastCalledWith(['payment-service']);
    expect(await level('payment-service')).toBe('silver');
  });

  it('counts a waived check as passing until the waiver expires', async () => {
    await store.createWaiver({
      id: 'w1',
      entityRef: 'component:default/payment-service',
      checkId: 'two-replicas',
      reason: 'Scaling up next sprint',
      expiresOn: '2026-03-11',
      createdBy: 'user:default/bob',
      createdAt: now.toISOString(),
    });
    await evaluator.evaluateAll();
    expect(
      await store.getEntity('component:default/payment-service'),
    ).toMatchObject({
      level: 'silver',
      waived: 1,
      failingChecks: ['runbook'],
    });

    now = new Date('2026-03-11T23:59:00Z');
    await evaluator.evaluateEntities(['component:default/payment-service']);
    expect(await level('payment-service')).toBe('silver');

    now = new Date('2026-03-12T00:01:00Z');
    await evaluator.evaluateAll();
    expect(
      await store.getEntity('component:default/payment-service'),
    ).toMatchObject({
      level: 'bronze',
      waived: 0,
      failingChecks: ['two-replicas', 'runbook'],
    });
  });
});
