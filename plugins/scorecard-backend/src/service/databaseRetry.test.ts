import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Facts } from '@causeway/plugin-scorecard-common';
import { FactProvider } from '@causeway/plugin-scorecard-node';
import knexFactory, { Knex } from 'knex';
import net from 'node:net';
import { DatabaseScorecardStore } from '../database/DatabaseScorecardStore';
import { CatalogFactProvider } from '../facts/CatalogFactProvider';
import { testChecks, testProviderFacts } from '../__testUtils__/testChecks';
import { RetryBudget, retryUnderPolicy } from './databaseRetry';
import { ScorecardEvaluator } from './ScorecardEvaluator';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
});

/** A PostgreSQL address nothing listens on: a database that is away. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const reachable = (knex: Knex) => () =>
  knex.raw('select 1').then(
    () => true,
    () => false,
  );

describe('retries after database failures', () => {
  let away: Knex;

  beforeAll(async () => {
    away = knexFactory({
      client: 'pg',
      connection: { host: '127.0.0.1', port: await closedPort() },
      pool: { min: 0, max: 1 },
      acquireConnectionTimeout: 2000,
      // Its refused connections are the point, not news.
      log: { warn() {}, error() {}, debug() {}, deprecate() {} },
    });
  });
  afterAll(() => away.destroy());

  it('waits longer each time while the database is away, and gives up after three failures while it answers', async () => {
    const up = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    try {
      let databaseUp = false;
      const budget = new RetryBudget({
        databaseReachable: () =>
          databaseUp ? reachable(up)() : reachable(away)(),
      });
      const waits: Array<number | undefined> = [];
      for (let i = 0; i < 7; i++) {
        waits.push((await budget.failed())?.delayMs);
      }
      // Doubling from 1 s, at most 30 s, for as long as the database is away.
      expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
      databaseUp = true;
      expect(await budget.failed()).toEqual({
        delayMs: 30_000,
        databaseReachable: true,
      });
      expect(await budget.failed()).toBeDefined();
      expect(await budget.failed()).toBeUndefined();
      // Given up: the next failure starts afresh.
      expect(await budget.failed()).toEqual({
        delayMs: 1000,
        databaseReachable: true,
      });
    } finally {
      await up.destroy();
    }
  });

  it('runs work again until it succeeds, and stops at once when the signal aborts', async () => {
    let calls = 0;
    const retries: number[] = [];
    const result = await retryUnderPolicy(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('Connection terminated unexpectedly');
        return 'done';
      },
      {
        databaseReachable: reachable(away),
        firstDelayMs: 5,
        onRetry: ({ attempt }) => retries.push(attempt),
      },
    );
    expect(result).toBe('done');
    expect(retries).toEqual([1, 2]);

    const controller = new AbortController();
    const stopped = retryUnderPolicy(
      async () => {
        throw new Error('connect ECONNREFUSED');
      },
      {
        databaseReachable: reachable(away),
        firstDelayMs: 60_000,
        signal: controller.signal,
        onRetry: () => controller.abort(new Error('shutting down')),
      },
    );
    await expect(stopped).rejects.toThrow('shutting down');
  });

  describe.each(databases.eachSupportedId())(
    'the re-grade queue on %p',
    databaseId => {
      let store: DatabaseScorecardStore;
      let evaluator: ScorecardEvaluator;
      let failures: number;
      let databaseUp: boolean;
      let replicas: number;
      const logger = mockServices.logger.mock();

      beforeEach(async () => {
        const knex = await databases.init(databaseId);
        store = await DatabaseScorecardStore.create({
          database: mockServices.database({ knex }),
        });
        failures = 0;
        databaseUp = true;
        replicas = 1;
        const entity: Entity = {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'payment-service', namespace: 'default' },
          spec: {
            type: 'service',
            owner: 'payments-team',
            lifecycle: 'production',
          },
          relations: [
            { type: 'ownedBy', targetRef: 'group:default/payments-team' },
          ],
        };
        // Fails its first `failures` collections, as a provider whose own
        // reads fail while the database is away.
        const provider: FactProvider = {
          id: 'test',
          facts: testProviderFacts,
          async collect(batch) {
            if (failures > 0) {
              failures -= 1;
              throw new Error('Connection terminated unexpectedly');
            }
            return new Map<string, Facts>(
              batch.map(e => [
                `component:default/${e.metadata.name}`,
                { 'test.replicas': replicas },
              ]),
            );
          },
        };
        evaluator = new ScorecardEvaluator({
          store,
          catalog: catalogServiceMock({ entities: [entity] }),
          auth: mockServices.auth(),
          logger,
          providers: [new CatalogFactProvider(), provider],
          retentionDays: 400,
          retry: {
            databaseReachable: () =>
              databaseUp ? reachable(knex)() : reachable(away)(),
            firstDelayMs: 10,
          },
        });
        evaluator.setChecks(testChecks());
        await evaluator.evaluateAll();
      });
      afterEach(() => evaluator.close());

      const level = async () =>
        (await store.getEntity('component:default/payment-service'))?.level;

      it('keeps the refs of a re-grade that failed while the database was away, and grades them once it is back', async () => {
        expect(await level()).toBe('bronze');
        replicas = 2;
        databaseUp = false;
        failures = 5;
        evaluator.enqueue(['component:default/payment-service']);
        // Five failures while away: more than the three allowed while it
        // answers. The last fails with the database back.
        while (failures > 1) {
          await new Promise(resolve => setTimeout(resolve, 20));
        }
        databaseUp = true;
        await evaluator.settled();
        expect(failures).toBe(0);
        expect(await level()).toBe('silver');
      });

      it('drops the refs after three failures with the database up (the catalog poll and the full run still cover them)', async () => {
        replicas = 2;
        failures = 3;
        evaluator.enqueue(['component:default/payment-service']);
        await evaluator.settled();
        expect(failures).toBe(0);
        expect(await level()).toBe('bronze');
        expect(logger.error).toHaveBeenCalledWith(
          expect.stringContaining('Evaluating 1 changed entities failed'),
        );
      });

      it('stores a write whose evaluation failed, and grades it from the queue', async () => {
        replicas = 2;
        failures = 1;
        await evaluator.evaluateAfterWrite([
          'component:default/payment-service',
        ]);
        await evaluator.settled();
        expect(await level()).toBe('silver');
      });
    },
  );
});
