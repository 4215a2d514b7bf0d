import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonObject } from '@backstage/types';
import { Client } from 'pg';
import yaml from 'yaml';
import { apiClient, eventually } from '../__testUtils__/apiClient';
import {
  BackendProcess,
  embeddedConfig,
  freePort,
} from '../__testUtils__/backendProcess';
import { PostgresCluster } from '../__testUtils__/postgresCluster';
import { loadAppConfig } from '../__testUtils__/startCausewayBackend';
import { finished, startTask } from '../__testUtils__/scaffolderTasks';
import { goldenPathValues } from '../__testUtils__/templates';
import { DATABASE_UNAVAILABLE_MESSAGE } from './databaseUnavailable';

jest.setTimeout(900_000);

type Api = ReturnType<typeof apiClient>;

/**
 * How PostgreSQL goes away: a fast restart, or a stop of 30 s. The test
 * command runs every kind of work with a restart and the waiver write with
 * a stop; CAUSEWAY_LONG_TESTS=1 adds a stop for every kind of work.
 */
const LONG = process.env.CAUSEWAY_LONG_TESTS === '1';
const OUTAGE_MS = 30_000;

/**
 * PostgreSQL restarted or stopped for 30 s while the real backend process
 * (packages/backend/src/index.ts, the embedded default's plugins on a private
 * PostgreSQL cluster, pools as in production) does each kind of work: a full
 * scorecard evaluation, a re-grade, a waiver write and a golden path run. To go away *during*
 * the work, the test holds a lock on the table the work writes last, waits
 * until the backend's statement waits on it, then restarts or stops the
 * server (which ends the lock with its session).
 */
describe('PostgreSQL restarted or stopped during work (real backend process, private PostgreSQL cluster)', () => {
  let scratch: string;
  let pg: PostgresCluster;
  let backend: BackendProcess | undefined;
  let api: Api;
  const prefix = 'causeway_outage_';
  const scorecardDb = `${prefix}scorecard`;
  const scaffolderDb = `${prefix}scaffolder`;
  const inDays = (days: number) =>
    new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const waiverBody = (reason: string) => ({
    checkId: 'docs-link',
    reason,
    expiresOn: inDays(7),
  });
  let token: string;
  let regradeFile: string;
  /** A service of its own, its links as given (a docs link passes docs-link). */
  const regradeService = (links: object[]) =>
    yaml.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'regrade-service', links },
      spec: {
        type: 'service',
        owner: 'group:default/payments-team',
        lifecycle: 'production',
      },
    });
  const failsDocsLink = async () => {
    const res = await api(
      'GET',
      '/api/scorecard/overview?limit=500&failingCheck=docs-link',
    );
    if (res.status !== 200) throw new Error(`overview: ${res.status}`);
    return (res.body.items as Array<{ entityRef: string }>).some(
      i => i.entityRef === 'component:default/regrade-service',
    );
  };

  /** A session on the private cluster that holds `table` locked until released. */
  async function lockTable(database: string, table: string) {
    const client = new Client({
      host: '127.0.0.1',
      port: pg.port,
      user: 'postgres',
      database,
    });
    // The server ends this session when it restarts or stops.
    client.on('error', () => undefined);
    await client.connect();
    await client.query('BEGIN');
    await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    return {
      release: () => client.end().catch(() => undefined),
    };
  }

  /**
   * Whether a statement of the backend that contains `statement` waits
   * for a lock in `database` (other work, such as the catalog poll's
   * re-grades, may wait on the same table).
   */
  async function isBlocked(database: string, statement: string) {
    const rows = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = $1 AND wait_event_type = 'Lock'
          AND position($2 in query) > 0`,
      [database, statement],
    );
    return rows[0].n > 0;
  }

  async function waitForBlockedStatement(
    database: string,
    statement: string,
    what: string,
  ) {
    await eventually(
      async () => (await isBlocked(database, statement)) || undefined,
      what,
    );
  }

  async function scorecardRows<T = any>(sql: string, params: unknown[] = []) {
    return eventually(
      () => pg.query<T>(sql, params, scorecardDb),
      'the scorecard database',
    );
  }

  /**
   * What the APIs answer while PostgreSQL is stopped: 503 with the JSON
   * error, Retry-After, no stack and nothing of the server's address.
   */
  async function expectUnavailableAnswers() {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/catalog/entities?limit=1'],
      ['GET', '/api/scorecard/overview'],
      ['GET', '/api/scorecard/entities/component/default/causeway/waivers'],
      ['GET', '/api/scaffolder/v2/tasks'],
      [
        'POST',
        '/api/scorecard/entities/component/default/causeway/waivers',
        waiverBody('while stopped'),
      ],
    ];
    for (const [method, route, body] of routes) {
      const response = await fetch(`${backend!.baseUrl}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      expect({ route, status: response.status }).toEqual({
        route,
        status: 503,
      });
      expect(response.headers.get('retry-after')).toBe('5');
      expect(JSON.parse(text).error).toEqual({
        name: 'ServiceUnavailableError',
        message: DATABASE_UNAVAILABLE_MESSAGE,
      });
      expect(text).not.toContain('stack');
      expect(text).not.toContain(String(pg.port));
    }
  }

  /**
   * The backend answers reads again: the same process, since nothing
   * restarts it (an exit fails every later request of the test).
   */
  async function expectRecovered() {
    await eventually(async () => {
      const res = await api('GET', '/api/catalog/entities?limit=1');
      return res.status === 200 || undefined;
    }, 'catalog reads after PostgreSQL is back');
    await eventually(async () => {
      const res = await api('GET', '/api/scorecard/overview');
      return res.status === 200 || undefined;
    }, 'scorecard reads after PostgreSQL is back');
  }

  async function outage(
    kind: 'restart' | 'stop',
    during?: () => Promise<void>,
  ) {
    if (kind === 'restart') {
      await pg.restart();
      return;
    }
    const stopped = Date.now();
    await pg.stop();
    await during?.();
    await new Promise(resolve =>
      setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - stopped))),
    );
    await pg.start();
  }

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-outage-'));
    regradeFile = path.join(scratch, 'regrade-service.yaml');
    fs.writeFileSync(regradeFile, regradeService([]));
    // The cluster runs as the postgres user, who must reach its folder.
    fs.chmodSync(scratch, 0o755);
    pg = await PostgresCluster.create(path.join(scratch, 'postgres'));
    const config = embeddedConfig(
      path.join(scratch, 'data'),
      await freePort(),
      {
        // As production: the events bus in the database (a LISTEN client),
        // task recovery, small pools that close idle connections.
        events: { useEventBus: 'always' },
        scorecard: { schedule: { frequency: { hours: 6 } } },
        // app-config.yaml's locations, and a service the test edits.
        catalog: {
          locations: [
            ...((loadAppConfig().catalog as JsonObject)
              .locations as JsonObject[]),
            { type: 'file', target: regradeFile },
          ],
        },
      },
    );
    (config.backend as any).database = {
      client: 'pg',
      prefix,
      connection: {
        host: '127.0.0.1',
        port: pg.port,
        user: 'postgres',
        password: '',
      },
      knexConfig: { pool: { min: 0, max: 2 } },
    };
    backend = await BackendProcess.start({
      configFile: path.join(scratch, 'override.yaml'),
      config,
    });
    token = await backend.guestToken();
    api = apiClient(backend.baseUrl, token);
    // The first full evaluation has stored its results.
    await eventually(async () => {
      const res = await api(
        'GET',
        '/api/scorecard/entities/component/default/causeway',
      );
      return res.status === 200 || undefined;
    }, 'the first full evaluation');
    await eventually(async () => {
      const found = await Promise.all(
        [
          'template/default/service-nodejs',
          'group/default/platform-admins',
          'user/default/guest',
        ].map(ref => api('GET', `/api/catalog/entities/by-name/${ref}`)),
      );
      return found.every(res => res.status === 200) || undefined;
    }, 'the golden paths and the demo organisation in the catalog');
    // Signed in again now that the catalog knows the guest's groups (the
    // token carries them): a platform admin may write waivers.
    token = await backend.guestToken();
    api = apiClient(backend.baseUrl, token);
  });

  afterAll(async () => {
    await backend?.stop();
    await pg?.destroy();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  // The stop case's run does not always reach the test's lock (seen in 3
  // of 7 runs: the task stays busy elsewhere and the setup gives up before
  // any outage), so it runs in the longer tier only until that is found.
  const fullEvaluationCases: Array<'restart' | 'stop'> = LONG
    ? ['restart', 'stop']
    : ['restart'];
  it.each(fullEvaluationCases)(
    'a full evaluation cut by a PostgreSQL %s runs again once the database is back, in the same process; meanwhile every API answers 503 JSON',
    async kind => {
      const lastRun = async () =>
        (
          await scorecardRows<{ value: string }>(
            "SELECT value FROM scorecard_state WHERE key = 'last_full_run'",
          )
        )[0]?.value;
      const before = await lastRun();
      // The run stores its end last: it waits there while the test holds it.
      const lock = await lockTable(scorecardDb, 'scorecard_state');
      try {
        // Triggered until a run waits on the lock: a 409 says a run is
        // under way already (the first after start-up, or the retry of
        // the case before), which is cut instead if it has yet to store
        // its end, and else ends and lets the next trigger start one.
        await eventually(async () => {
          // A run reads the table before it stores its end: either waits.
          if (await isBlocked(scorecardDb, '"scorecard_state"')) {
            return true;
          }
          const triggered = await api(
            'POST',
            '/api/scorecard/.backstage/scheduler/v1/tasks/scorecard-evaluate-all/trigger',
          );
          expect([200, 409]).toContain(triggered.status);
          return undefined;
        }, 'the full evaluation to wait');
        await outage(kind, expectUnavailableAnswers);
      } finally {
        await lock.release();
      }

      await expectRecovered();
      // The next scheduled run is 6 hours away: only a retry stores this.
      const after = await eventually(async () => {
        const value = await lastRun();
        return value && value !== before ? value : undefined;
      }, 'the full evaluation to be stored after PostgreSQL is back');
      expect(after > (before ?? '')).toBe(true);
    },
  );

  const regradeCases: Array<'restart' | 'stop'> = LONG
    ? ['restart', 'stop']
    : ['restart'];
  it.each(regradeCases)(
    'a re-grade cut by a PostgreSQL %s is stored once the database is back, with no other run to do it',
    async kind => {
      // Without a docs link first (a case before may have added one).
      fs.writeFileSync(regradeFile, regradeService([]));
      await api('POST', '/api/catalog/refresh', {
        entityRef: 'component:default/regrade-service',
      });
      await eventually(
        async () => (await failsDocsLink()) || undefined,
        'the service graded without a docs link',
      );
      // Re-grades store their results in scorecard_entities.
      const lock = await lockTable(scorecardDb, 'scorecard_entities');
      try {
        const links = [
          { url: `https://docs.example.com/${kind}`, title: 'Docs' },
        ];
        fs.writeFileSync(regradeFile, regradeService(links));
        // The catalog takes the edit now; its poll tells the scorecard.
        const refreshed = await api('POST', '/api/catalog/refresh', {
          entityRef: 'component:default/regrade-service',
        });
        expect(refreshed.status).toBe(200);
        await eventually(async () => {
          const res = await api(
            'GET',
            '/api/catalog/entities/by-name/component/default/regrade-service',
          );
          return res.body?.metadata?.links?.length === 1 || undefined;
        }, 'the catalog to have the docs link');
        await waitForBlockedStatement(scorecardDb, '', 'the re-grade to wait');
        await outage(kind);
      } finally {
        await lock.release();
      }

      await expectRecovered();
      // The next scheduled run is 6 hours away: only the retry stores it.
      await eventually(
        async () => !(await failsDocsLink()) || undefined,
        'the re-grade stored after PostgreSQL is back',
      );
    },
  );

  // The test command's one 30 s stop.
  const waiverCases: Array<'restart' | 'stop'> = ['restart', 'stop'];
  it.each(waiverCases)(
    'a waiver write cut by a PostgreSQL %s is stored whole or answered 503 with nothing written; written again, it is stored once and whole',
    async kind => {
      const reason = `cut by a ${kind}`;
      const lock = await lockTable(scorecardDb, 'scorecard_waivers');
      let answer: Awaited<ReturnType<Api>>;
      try {
        const cut = api(
          'POST',
          '/api/scorecard/entities/component/default/causeway/waivers',
          waiverBody(reason),
        );
        await Promise.race([
          waitForBlockedStatement(
            scorecardDb,
            'insert into "scorecard_waivers"',
            'the waiver write to wait',
          ),
          cut.then(res => {
            throw new Error(
              `the waiver write answered before the outage: ${JSON.stringify(
                res,
              )}`,
            );
          }),
        ]);
        await outage(kind);
        answer = await cut;
      } finally {
        await lock.release();
      }
      // The server ends every session at once: the insert dies with its
      // session (503, nothing stored) or, when the test's lock went first,
      // commits just before (201, stored). Never half of it.
      const cutStored = answer.status === 201;
      expect({
        status: answer.status,
        error: answer.body?.error?.name,
      }).toEqual(
        cutStored
          ? { status: 201, error: undefined }
          : { status: 503, error: 'ServiceUnavailableError' },
      );

      await expectRecovered();
      const stored = () =>
        scorecardRows(
          'SELECT * FROM scorecard_waivers WHERE reason = $1 ORDER BY created_at',
          [reason],
        );
      expect((await stored()).map(row => row.id)).toEqual(
        cutStored ? [answer.body.id] : [],
      );

      const id = cutStored
        ? answer.body.id
        : (
            await eventually(async () => {
              const res = await api(
                'POST',
                '/api/scorecard/entities/component/default/causeway/waivers',
                waiverBody(reason),
              );
              return res.status === 201 ? res : undefined;
            }, 'the waiver written again')
          ).body.id;
      const rows = await stored();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        id,
        entity_ref: 'component:default/causeway',
        check_id: 'docs-link',
        expires_on: inDays(7),
        created_by: 'user:default/guest',
        revoked_at: null,
      });
      expect(rows[0].created_at).toBeTruthy();
    },
  );
  const templateCases: Array<'restart' | 'stop'> = LONG
    ? ['restart', 'stop']
    : ['restart'];
  it.each(templateCases)(
    'a golden path run cut by a PostgreSQL %s ends completed or failed, whole or not at all, and never hangs',
    async kind => {
      const name = `outage-${kind}`;
      // The run's first log line waits on the lock, so the outage cuts
      // its first step and, with it, the task's own bookkeeping.
      const lock = await lockTable(scaffolderDb, 'task_events');
      let taskId: string;
      try {
        taskId = await startTask(api, 'service-nodejs', {
          ...goldenPathValues['service-nodejs'],
          name,
          infrastructure: 'none',
        });
        await waitForBlockedStatement(
          scaffolderDb,
          'insert into "task_events"',
          'the run to wait',
        );
        await outage(kind);
      } finally {
        await lock.release();
      }

      await expectRecovered();
      const status = await finished(api, taskId, 'the cut run to end');
      expect(['completed', 'failed']).toContain(status);
      const entity = await api(
        'GET',
        `/api/catalog/entities/by-name/component/default/${name}`,
      );
      // Whole or not at all: the service exists exactly when the run ended
      // completed.
      expect({ status, entity: entity.status }).toEqual(
        status === 'completed'
          ? { status, entity: 200 }
          : { status, entity: 404 },
      );
      // The same name again: taken by a completed run, free after an undo.
      const again = await startTask(api, 'service-nodejs', {
        ...goldenPathValues['service-nodejs'],
        name,
        infrastructure: 'none',
      });
      expect(await finished(api, again, 'the same name again')).toBe(
        status === 'completed' ? 'failed' : 'completed',
      );
    },
  );
});
