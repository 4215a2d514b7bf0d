import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Client } from 'pg';
import { acquireStartupLock } from './startupLock';

jest.setTimeout(60_000);

const url =
  process.env.CAUSEWAY_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432/postgres';

const configWithPrefix = (prefix: string) =>
  new ConfigReader({
    backend: { database: { client: 'pg', connection: url, prefix } },
  });

/** Sessions of the startup lock waiting for it in PostgreSQL. */
async function waiting(observer: Client): Promise<number> {
  const { rows } = await observer.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE application_name = 'causeway_startup_lock' AND wait_event_type = 'Lock'`,
  );
  return rows[0].n;
}

describe('the start-up lock (real PostgreSQL)', () => {
  const logger = mockServices.logger.mock();
  let observer: Client;

  beforeAll(async () => {
    observer = new Client({ connectionString: url });
    await observer.connect();
  });
  afterAll(() => observer.end());

  it('lets replicas sharing a database prefix start one at a time, and others at once', async () => {
    const prefix = `startup_lock_${Date.now()}_`;
    const first = await acquireStartupLock(configWithPrefix(prefix), logger);
    expect(first).toBeDefined();

    let secondHolds = false;
    const second = acquireStartupLock(configWithPrefix(prefix), logger).then(
      release => {
        secondHolds = true;
        return release!;
      },
    );
    // Another deployment (another prefix) on the same server does not wait.
    const other = await acquireStartupLock(
      configWithPrefix(`${prefix}other_`),
      logger,
    );
    await other!();

    for (let i = 0; i < 200 && (await waiting(observer)) === 0; i++) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    expect(await waiting(observer)).toBe(1);
    expect(secondHolds).toBe(false);

    await first!();
    const releaseSecond = await second;
    expect(secondHolds).toBe(true);
    await releaseSecond();
    await releaseSecond(); // idempotent: the startup and shutdown hooks both call it
  });

  it('is not taken on SQLite', async () => {
    expect(
      await acquireStartupLock(
        new ConfigReader({
          backend: { database: { client: 'better-sqlite3' } },
        }),
        logger,
      ),
    ).toBeUndefined();
  });
});
