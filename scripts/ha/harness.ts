/*
 * The HA harness (issue #12 part 4): three Causeway replicas, containers of
 * the image, on one private PostgreSQL cluster, behind haproxy, with the
 * GitOps remote over git smart HTTP and the stand-in GitHub. Each scenario
 * prints PASS or FAIL; the last line is `N passed, N failed`. Run through
 * scripts/ha/run.sh, which installs what it needs and builds the image:
 *   node --require @backstage/cli-node/config/nodeTransform.cjs \
 *     scripts/ha/harness.ts --image IMAGE [--long] [--only 1,2,5] [--keep]
 * Type check: yarn tsc -p scripts/ha (the root tsconfig covers packages only).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { apiClient } from '../../packages/backend/src/__testUtils__/apiClient';
import {
  ConnectionSampler,
  PostgresCluster,
  Replica,
  freePort,
  podman,
  repoRoot,
  run,
  secret,
  sleep,
  startGitOpsRemote,
  startHaproxy,
  startStandInGitHub,
  stopProcess,
  waitFor,
} from './cluster';
import { LoadResult, startLoad } from './load';

const ORG = 'causeway-ha';
/**
 * How long podman stop waits after SIGTERM before SIGKILL: the production
 * shutdown delay (20 s) and as long again for the plugins to stop.
 */
const STOP_TIMEOUT = 40;
/** scorecard.schedule.frequency in the harness (seconds). */
const CADENCE = 20;

type Tier = 'fast' | 'long';
type Context = Awaited<ReturnType<typeof setUp>>;
type Scenario = {
  id: number;
  name: string;
  tier: Tier;
  /** Resolves with what it measured; throws with what went wrong. */
  run(ctx: Context): Promise<string>;
};

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const image = option('--image');
const long = args.includes('--long');
const keep = args.includes('--keep');
const only = option('--only')?.split(',').map(Number);
const figures: string[] = [];
const log = (message: string) =>
  process.stdout.write(
    `[${new Date().toISOString().slice(11, 19)}] ${message}\n`,
  );

class Failure extends Error {}
const check = (ok: unknown, message: string) => {
  if (!ok) throw new Failure(message);
};

// --- set-up --------------------------------------------------------------------

async function setUp() {
  if (!image) throw new Error('--image IMAGE is required');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-ha-'));
  fs.chmodSync(work, 0o755);
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  };
  try {
    log(`work folder ${work}`);
    const pg = await PostgresCluster.create(path.join(work, 'postgres'));
    cleanups.push(() => pg.stop());
    log(`PostgreSQL 15 cluster on 127.0.0.1:${pg.port}`);
    const sampler = new ConnectionSampler(pg);
    sampler.start();
    cleanups.push(() => sampler.stop());

    const gitDir = path.join(work, 'git');
    fs.mkdirSync(gitDir);
    const gitops = await startGitOpsRemote(gitDir);
    cleanups.push(() => stopProcess(gitops.process));
    const github = await startStandInGitHub(work, ORG);
    cleanups.push(() => stopProcess(github.process));
    log(`GitOps remote ${gitops.url}; stand-in GitHub ${github.apiBaseUrl}`);

    // The checks, copied so scenario 3 can edit them (every replica mounts them).
    const checksDir = path.join(work, 'scorecards');
    fs.cpSync(path.join(repoRoot, 'scorecards'), checksDir, {
      recursive: true,
    });
    fs.chmodSync(checksDir, 0o755);

    const lbPort = await freePort();
    const baseUrl = `http://127.0.0.1:${lbPort}`;
    const prefix = `causeway-ha-${process.pid}`;
    const configDir = path.join(work, 'config');
    fs.mkdirSync(configDir, { mode: 0o755 });
    // Secrets reach the containers through a file, never a command line.
    const envFile = path.join(configDir, 'replicas.env');
    fs.writeFileSync(
      envFile,
      `${[
        `CAUSEWAY_BASE_URL=${baseUrl}`,
        'POSTGRES_HOST=127.0.0.1',
        `POSTGRES_PORT=${pg.port}`,
        'POSTGRES_USER=postgres',
        'POSTGRES_PASSWORD=',
        `GITHUB_TOKEN=${github.token}`,
        'AUTH_GITHUB_CLIENT_ID=causeway-ha',
        `AUTH_GITHUB_CLIENT_SECRET=${secret()}`,
        `AUTH_SESSION_SECRET=${secret()}`,
        `GITOPS_REPOSITORY_URL=${gitops.url}`,
        `GOLDEN_PATHS_GITHUB_OWNER=${ORG}`,
        `GITOPS_REMOTE_PASSWORD=${gitops.password}`,
      ].join('\n')}\n`,
      { mode: 0o600 },
    );
    const override = path.join(configDir, 'app-config.ha.yaml');
    fs.writeFileSync(
      override,
      `# The HA harness's deployment file: what a chart's ConfigMap adds, plus
# what only the harness needs.
causeway:
  deployment:
    replicas: 3
backend:
  database:
    knexConfig:
      # As the chart computes it: 80% of max_connections (100) over
      # 3 replicas x 13 plugin databases.
      pool: { max: 2 }
gitops:
  repository:
    credentials:
      username: ${gitops.username}
      password: \${GITOPS_REMOTE_PASSWORD}
# New services' source repositories go to the stand-in GitHub.
integrations:
  github:
    - host: ${github.host}
      apiBaseUrl: ${github.apiBaseUrl}
      token: \${GITHUB_TOKEN}
goldenPaths:
  sourceHost:
    type: github
    owner: ${ORG}
    host: ${github.host}
    visibility: internal
auth:
  providers:
    # Only for the harness's own requests: production has no guest sign-in.
    guest:
      userEntityRef: user:default/guest
      dangerouslyAllowOutsideDevelopment: true
catalog:
  rules:
    - allow: [Component, System, Domain, API, Resource, Location]
  # The demo organisation, so template runs have owners and a system.
  locations:
    - type: file
      target: ./examples/entities.yaml
    - type: file
      target: ./examples/org.yaml
      rules:
        - allow: [User, Group]
    - type: file
      target: ./templates/catalog-info.yaml
      rules:
        - allow: [Location, Template]
scorecard:
  checks:
    directory: /etc/causeway/scorecards
  schedule:
    # minutes: 0, or app-config.yaml's 10 minutes would be added to it.
    frequency: { minutes: 0, seconds: ${CADENCE} }
`,
    );
    fs.chmodSync(override, 0o644);

    const replicas: Replica[] = [];
    for (const name of ['a', 'b', 'c']) {
      const port = await freePort();
      const file = path.join(configDir, `app-config.replica-${name}.yaml`);
      fs.writeFileSync(file, `backend:\n  listen:\n    port: ${port}\n`);
      fs.chmodSync(file, 0o644);
      const replica = new Replica(name, `${prefix}-${name}`, port, () => [
        '--network',
        'host',
        '--read-only',
        '--tmpfs',
        '/tmp',
        '--user',
        '1000:1000',
        '--env-file',
        envFile,
        '-v',
        `${override}:/etc/causeway/app-config.ha.yaml:ro`,
        '-v',
        `${file}:/etc/causeway/app-config.replica.yaml:ro`,
        '-v',
        `${checksDir}:/etc/causeway/scorecards:ro`,
      ]);
      replicas.push(replica);
      cleanups.push(() =>
        replica.remove(
          keep ? path.join(work, `replica-${name}.log`) : undefined,
        ),
      );
    }
    const lb = await startHaproxy(work, lbPort, replicas);
    cleanups.push(() => stopProcess(lb.process));
    log(
      `haproxy on ${baseUrl} over replicas on ports ${replicas
        .map(r => r.port)
        .join(', ')}`,
    );

    return {
      work,
      image: image!,
      pg,
      sampler,
      gitops,
      github,
      checksDir,
      replicas,
      lb,
      baseUrl,
      cleanUp,
      token: '',
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

// --- API helpers ----------------------------------------------------------------

/**
 * What a replica's exit message says failed: each plugin with the last part
 * of its cause (e.g. `catalog: MigrationLocked: Migration table is already locked`).
 */
const startupErrors = (message: string) => {
  const text = message
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z /g, '')
    .replace(/\s+/g, ' ');
  const plugins = [
    ...text.matchAll(
      /Plugin '([^']+)' startup failed; caused by (.*?)(?= Plugin '|$)/g,
    ),
  ];
  if (!plugins.length) return text.slice(0, 400);
  return plugins
    .map(([, plugin, cause]) => {
      // The innermost cause: after the last "threw an error, " and its SQL.
      const threw = 'threw an error, ';
      const inner = cause.includes(threw)
        ? cause.slice(cause.lastIndexOf(threw) + threw.length)
        : cause;
      const tail = inner.includes(' - ')
        ? inner.slice(inner.lastIndexOf(' - ') + 3)
        : inner;
      return `${plugin}: ${tail.slice(0, 160)}`;
    })
    .join('; ');
};

/** Every knex migration lock table, in every plugin database, still locked. */
async function lockedMigrationTables(ctx: Context) {
  const locked: string[] = [];
  for (const db of await ctx.pg.pluginDatabases()) {
    const tables = await ctx.pg.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%knex_migrations_lock'",
      [],
      db,
    );
    for (const { table_name: table } of tables) {
      const rows = await ctx.pg.query<{ is_locked: number }>(
        `SELECT is_locked FROM "${table}"`,
        [],
        db,
      );
      if (rows.some(r => Number(r.is_locked) !== 0))
        locked.push(`${db}.${table}`);
    }
  }
  return locked;
}

/** Scheduled tasks whose run a replica claimed before `before` and still holds, in every plugin database. */
async function claimedTasks(ctx: Context, before: Date) {
  const claimed: string[] = [];
  for (const db of await ctx.pg.pluginDatabases()) {
    const rows = await ctx.pg
      .query<{ id: string; until: string }>(
        "SELECT id, to_char(current_run_expires_at AT TIME ZONE 'UTC', 'HH24:MI:SS') AS until FROM backstage_backend_tasks__tasks WHERE current_run_ticket IS NOT NULL AND current_run_started_at < $1",
        [before],
        db,
      )
      .catch(() => []);
    claimed.push(...rows.map(r => `${r.id} (until ${r.until} UTC)`));
  }
  return claimed;
}

/**
 * Signs the harness in as guest once haproxy has every replica and the
 * catalog has the templates and the demo organisation (the guest's groups).
 */
async function signIn(ctx: Context) {
  if (ctx.token) return;
  const up = await waitFor(async () => {
    const s = await ctx.lb.status();
    return ctx.replicas.every(r => s[r.name] === 'UP') ? true : undefined;
  }, 60_000);
  check(
    up,
    `haproxy does not see all three up: ${JSON.stringify(
      await ctx.lb.status(),
    )}`,
  );
  const token = await guestToken(ctx.baseUrl);
  const loaded = await waitFor(
    async () => {
      const refs = [
        'template/default/service-nodejs',
        'template/default/postgres-database',
        'group/default/payments-team',
        'system/default/checkout-system',
        'user/default/guest',
      ];
      const found = await Promise.all(
        refs.map(r =>
          api(ctx.baseUrl, token, 'GET', `/api/catalog/entities/by-name/${r}`),
        ),
      );
      return found.every(f => f.status === 200) ? true : undefined;
    },
    180_000,
    2000,
  );
  check(
    loaded,
    'the catalog did not load the templates and the demo organisation within 3 minutes',
  );
  // Again, now that the guest's groups are in the catalog.
  ctx.token = await guestToken(ctx.baseUrl);
}

/** A JSON request with the harness's token (apiClient of the backend tests). */
const api = (
  baseUrl: string,
  token: string,
  method: string,
  route: string,
  body?: unknown,
) => apiClient(baseUrl, token)(method, route, body);

async function guestToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 200) throw new Error(`guest sign-in: HTTP ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

async function startTask(
  ctx: Context,
  baseUrl: string,
  template: string,
  values: object,
) {
  const res = await api(
    baseUrl,
    ctx.token,
    'POST',
    '/api/scaffolder/v2/tasks',
    {
      templateRef: `template:default/${template}`,
      values,
    },
  );
  if (res.status !== 201) {
    throw new Failure(
      `starting ${template}: HTTP ${res.status} ${JSON.stringify(
        res.body,
      ).slice(0, 300)}`,
    );
  }
  return res.body.id as string;
}

/** Waits for a task to end; its status, and the failing step's log when it failed. */
async function waitTask(ctx: Context, id: string, timeoutMs = 300_000) {
  const status = await waitFor(
    async () => {
      const res = await api(
        ctx.baseUrl,
        ctx.token,
        'GET',
        `/api/scaffolder/v2/tasks/${id}`,
      );
      return ['completed', 'failed', 'cancelled'].includes(res.body?.status)
        ? (res.body.status as string)
        : undefined;
    },
    timeoutMs,
    1000,
  );
  if (status === 'completed' || !status) return status ?? 'timed out';
  const events = await api(
    ctx.baseUrl,
    ctx.token,
    'GET',
    `/api/scaffolder/v2/tasks/${id}/events`,
  );
  const messages = (Array.isArray(events.body) ? events.body : [])
    .filter((e: any) => e.type === 'log')
    .map((e: any) => e.body.message)
    .slice(-4)
    .join(' | ');
  return `${status}: ${messages}`;
}

const serviceValues = (name: string) => ({
  name,
  description: `HA harness service ${name}`,
  owner: 'group:default/payments-team',
  system: 'system:default/checkout-system',
  tier: 'standard',
  infrastructure: 'none',
});

/** Commit subjects on the GitOps remote's main, newest first. */
const gitopsSubjects = (ctx: Context) =>
  run('git', [
    '--git-dir',
    ctx.gitops.bare,
    'log',
    '--format=%ct %s',
    'main',
  ]).then(out =>
    out.split('\n').map(line => {
      const [time, ...subject] = line.split(' ');
      return { time: Number(time), subject: subject.join(' ') };
    }),
  );

/** The time of a log line (podman logs --timestamps), HH:MM:SS.mmm. */
const logTime = (line: string) => line.slice(11, 23);
/** The message of a JSON log line, or the line. */
const logMessage = (line: string) => {
  try {
    return JSON.parse(line.slice(line.indexOf(' ') + 1)).message as string;
  } catch {
    return line.slice(0, 200);
  }
};

/** Log lines of every replica since `since`, each with the replica's name. */
async function replicaLogs(ctx: Context, since: Date) {
  const all = await Promise.all(
    ctx.replicas.map(async r =>
      (await r.logs(since)).map(line => ({ replica: r.name, line })),
    ),
  );
  return all.flat();
}

/** Restarts one replica (SIGTERM, exit, start) and waits until haproxy has it back. */
async function restart(ctx: Context, replica: Replica) {
  const began = Date.now();
  await replica.stop(STOP_TIMEOUT);
  const seconds = (Date.now() - began) / 1000;
  const { exitCode } = await replica.state();
  // podman stop sends SIGKILL after STOP_TIMEOUT: exit code 137.
  const stopped =
    exitCode === 137
      ? `killed after ${STOP_TIMEOUT} s`
      : `exited ${exitCode} after ${seconds.toFixed(0)} s`;
  await replica.start();
  const ready = await replica.waitReady();
  const back = await waitFor(
    async () =>
      (await ctx.lb.status())[replica.name] === 'UP' ? true : undefined,
    30_000,
    250,
  );
  check(back, `haproxy did not take ${replica.name} back`);
  return `${replica.name} ${stopped} on SIGTERM, ready ${ready.toFixed(
    0,
  )} s after its start`;
}

const loadPaths = [
  '/api/catalog/entities?limit=5',
  '/api/scorecard/overview?limit=5',
  '/api/catalog/entities/by-name/group/default/payments-team',
  '/api/scorecard/checks',
];

function loadVerdict(result: LoadResult) {
  const serverErrors = result.failures.filter(f => f.status >= 500).length;
  const connectionErrors = result.failures.filter(f => f.status === 0).length;
  return {
    serverErrors,
    connectionErrors,
    summary: `${result.requests} requests, statuses ${JSON.stringify(
      result.statuses,
    )}, p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.maxMs} ms`,
    firstFailures: result.failures
      .slice(0, 5)
      .map(f => `${f.at} ${f.path} ${f.status}${f.error ? ` ${f.error}` : ''}`)
      .join('; '),
  };
}

// --- scenarios -----------------------------------------------------------------------

const scenarios: Scenario[] = [
  {
    id: 1,
    name: 'three replicas boot at once against an empty database, no migration lock left',
    tier: 'fast',
    async run(ctx) {
      const began = Date.now();
      await Promise.all(ctx.replicas.map(r => r.create(ctx.image)));
      const boots = await Promise.all(
        ctx.replicas.map(r =>
          r.waitReady(420_000).then(
            seconds => ({ seconds, error: '' }),
            (error: Error) => ({ seconds: 0, error: error.message }),
          ),
        ),
      );
      const all = (Date.now() - began) / 1000;
      const failedBoots = boots
        .map((b, i) =>
          b.error ? `${ctx.replicas[i].name}: ${startupErrors(b.error)}` : '',
        )
        .filter(Boolean);
      const times = boots.map(b => (b.error ? 'failed' : b.seconds.toFixed(0)));
      figures.push(
        `boot: ${
          failedBoots.length
            ? ''
            : `all three ready ${all.toFixed(0)} s after podman run; `
        }each ${times.join(', ')} s`,
      );
      // As Kubernetes would: start the ones that exited again, and see
      // whether they come up and what the crash left behind.
      let afterCrash = '';
      if (failedBoots.length) {
        const crashed = new Date();
        const retried = await Promise.all(
          ctx.replicas
            .filter((_, i) => boots[i].error)
            .map(async r => {
              await r.start();
              return r.waitReady(420_000).then(
                s => `${r.name} ready after ${s.toFixed(0)} s`,
                (e: Error) =>
                  `${r.name} failed again: ${startupErrors(e.message)}`,
              );
            }),
        );
        const stuck = await claimedTasks(ctx, crashed);
        afterCrash = ` Started again: ${retried.join('; ')}.${
          stuck.length
            ? ` Scheduled tasks still claimed by a crashed replica: ${stuck.join(
                ', ',
              )}.`
            : ''
        }`;
      }
      const locked = await lockedMigrationTables(ctx);
      if (failedBoots.length) {
        // So that the other scenarios do not inherit the crash (tasks claimed
        // by a dead replica stay blocked until their timeout): an empty
        // database again, and the replicas booted one at a time.
        await Promise.all(ctx.replicas.map(r => r.remove()));
        for (const db of await ctx.pg.pluginDatabases()) {
          await ctx.pg.query(`DROP DATABASE "${db}" WITH (FORCE)`);
        }
        const oneByOne: string[] = [];
        for (const r of ctx.replicas) {
          await r.create(ctx.image);
          oneByOne.push((await r.waitReady(420_000)).toFixed(0));
        }
        figures.push(
          `boot one at a time on an empty database: ready after ${oneByOne.join(
            ', ',
          )} s`,
        );
        afterCrash += ` For the other scenarios: an empty database again, replicas booted one at a time (ready after ${oneByOne.join(
          ', ',
        )} s).`;
      }
      check(
        failedBoots.length === 0 && locked.length === 0,
        `${
          failedBoots.length
            ? `not every replica became ready at the first boot: ${failedBoots.join(
                ' | ',
              )}.`
            : ''
        }${afterCrash}${
          locked.length
            ? ` Migration locks left: ${locked.join(', ')}`
            : ' No migration lock left.'
        }`,
      );
      await signIn(ctx);
      const databases = await ctx.pg.pluginDatabases();
      return `ready after ${times.join(', ')} s; ${
        databases.length
      } plugin databases, no migration lock left`;
    },
  },
  {
    id: 2,
    name: 'a GitOps change through one replica is re-graded within 15 s, also when a just restarted replica handles it',
    tier: 'fast',
    async run(ctx) {
      const [a, b] = ctx.replicas;
      const service = 'ha-base';
      const id = await startTask(
        ctx,
        ctx.baseUrl,
        'service-nodejs',
        serviceValues(service),
      );
      const status = await waitTask(ctx, id);
      check(status === 'completed', `service-nodejs ${service}: ${status}`);
      const graded = await waitFor(async () => {
        const res = await api(
          ctx.baseUrl,
          ctx.token,
          'GET',
          `/api/scorecard/entities/component/default/${service}`,
        );
        return res.status === 200 ? true : undefined;
      }, 60_000);
      check(graded, `${service} has no scorecard 60 s after its run`);

      const restarted = await restart(ctx, b);
      const latencies: string[] = [];
      // First through the replica that kept running, then through the restarted one.
      for (const [i, replica] of [a, b].entries()) {
        const claim = `${service}-db-${i + 1}`;
        const since = new Date();
        const task = await startTask(ctx, replica.url, 'postgres-database', {
          service: `component:default/${service}`,
          name: claim,
          parameters: { size: 'small', storageGB: 20, highAvailability: true },
        });
        const done = await waitTask(ctx, task);
        check(done === 'completed', `postgres-database ${claim}: ${done}`);
        const commit = (await gitopsSubjects(ctx)).find(c =>
          c.subject.includes(`database ${claim} for`),
        );
        check(commit, `no GitOps commit for ${claim}`);
        const seen = await waitFor(
          async () => {
            const res = await api(
              ctx.baseUrl,
              ctx.token,
              'GET',
              `/api/scorecard/entities/component/default/${service}`,
            );
            const counts = (res.body?.results ?? []).map(
              (r: any) => r.values?.['gitops.databaseClaimCount'],
            );
            return counts.includes(i + 1) ? Date.now() : undefined;
          },
          30_000,
          250,
        );
        const handledBy = (await replicaLogs(ctx, since))
          .filter(l => /Evaluated \d+ entities after a change/.test(l.line))
          .map(l => l.replica);
        check(
          seen,
          `claim ${i + 1} (through ${
            replica.name
          }) not re-graded 30 s after its commit; change evaluations logged by: ${
            handledBy.join(', ') || 'none'
          }`,
        );
        const latency = (seen! - commit!.time * 1000) / 1000;
        const by = [...new Set(handledBy)].join(', ');
        latencies.push(
          `through ${replica.name}: ${latency.toFixed(1)} s${
            by ? ` (evaluated by ${by})` : ''
          }`,
        );
        check(
          latency <= 15,
          `claim ${i + 1} (through ${replica.name}) re-graded ${latency.toFixed(
            1,
          )} s after its commit`,
        );
      }
      figures.push(`re-grade after a GitOps commit: ${latencies.join('; ')}`);
      return `${restarted}; ${latencies.join('; ')}`;
    },
  },
  {
    id: 3,
    name: 'a scheduled full evaluation runs once per cadence across replicas; a check edit gives one full run',
    tier: 'fast',
    async run(ctx) {
      const pattern = /Evaluated (\d+) entities against (\d+) checks/;
      const window = 3 * CADENCE + 10;
      const since = new Date();
      await sleep(window * 1000);
      const runs = (await replicaLogs(ctx, since)).filter(l =>
        pattern.test(l.line),
      );
      const expected = window / CADENCE;
      check(
        runs.length >= Math.floor(expected) - 1 &&
          runs.length <= Math.ceil(expected) + 1,
        `${
          runs.length
        } full runs in ${window} s at a ${CADENCE} s cadence (by ${runs
          .map(r => r.replica)
          .join(', ')}), expected about ${expected.toFixed(1)}`,
      );
      const before = Number(
        pattern.exec(runs[runs.length - 1]?.line ?? '')?.[2] ?? 0,
      );

      // A new check file: every replica reloads; the full run happens once.
      const edited = new Date();
      fs.writeFileSync(
        path.join(ctx.checksDir, 'ha-harness.yaml'),
        `checks:
  - id: ha-harness-description
    title: Has a description (HA harness)
    description: Added by the HA harness to see one full run after a check edit.
    level: bronze
    appliesTo: { kind: Component }
    rule: { fact: catalog.hasDescription, equals: true }
    fix: { text: Set metadata.description. }
`,
      );
      fs.chmodSync(path.join(ctx.checksDir, 'ha-harness.yaml'), 0o644);
      const first = await waitFor(
        async () => {
          const lines = (await replicaLogs(ctx, edited)).filter(
            l => Number(pattern.exec(l.line)?.[2] ?? 0) > before,
          );
          return lines.length ? Date.now() : undefined;
        },
        (CADENCE + 15) * 1000,
        500,
      );
      const reloads = (await replicaLogs(ctx, edited)).filter(
        l => /check/i.test(l.line) && /load|problem/i.test(l.line),
      );
      check(
        first,
        `no full run with the new check within ${
          CADENCE + 15
        } s of the edit (check-file log lines: ${
          reloads
            .map(l => `${l.replica}: ${l.line.slice(0, 160)}`)
            .join(' | ') || 'none'
        })`,
      );
      const afterEdit = (first! - edited.getTime()) / 1000;
      // Others' runs would come within seconds; the next scheduled one not before the cadence.
      await sleep(10_000);
      const newRuns = (await replicaLogs(ctx, edited)).filter(
        l => Number(pattern.exec(l.line)?.[2] ?? 0) > before,
      );
      check(
        newRuns.length === 1,
        `${
          newRuns.length
        } full runs with the new check within ${afterEdit.toFixed(
          0,
        )} + 10 s of the edit at ${edited
          .toISOString()
          .slice(11, 23)}: ${newRuns
          .map(r => `${r.replica} at ${logTime(r.line)}`)
          .join(', ')}; checks reloaded: ${(await replicaLogs(ctx, edited))
          .filter(l => /Loaded \d+ checks|full evaluation/.test(l.line))
          .map(l => `${l.replica} at ${logTime(l.line)}: ${logMessage(l.line)}`)
          .join('; ')}`,
      );
      return `${runs.length} full runs in ${window} s (by ${runs
        .map(r => r.replica)
        .join(', ')}); after the check edit one full run, by ${
        newRuns[0].replica
      }, ${afterEdit.toFixed(0)} s later`;
    },
  },
  {
    id: 4,
    name: '30 template runs through the load balancer: 30 completed, 30 GitOps commits, none lost or duplicated',
    tier: 'long',
    async run(ctx) {
      ctx.sampler.setPhase('30 template runs');
      const names = Array.from(
        { length: 30 },
        (_, i) => `ha-load-${String(i + 1).padStart(2, '0')}`,
      );
      const began = Date.now();
      const ids = await Promise.all(
        names.map(n =>
          startTask(ctx, ctx.baseUrl, 'service-nodejs', serviceValues(n)),
        ),
      );
      const statuses = await Promise.all(
        ids.map(id => waitTask(ctx, id, 900_000)),
      );
      const took = (Date.now() - began) / 1000;
      ctx.sampler.setPhase('other');
      const notDone = names
        .filter((_, i) => statuses[i] !== 'completed')
        .map((n, i) => `${n}: ${statuses[i]}`);
      const subjects = (await gitopsSubjects(ctx)).map(c => c.subject);
      const commits = names.map(
        n =>
          subjects.filter(s => s.startsWith(`Add ${n} (service-nodejs)`))
            .length,
      );
      const lost = names.filter((_, i) => commits[i] === 0);
      const duplicated = names.filter((_, i) => commits[i] > 1);
      figures.push(
        `30 template runs: ${took.toFixed(0)} s, peak ${
          ctx.sampler.peaks.get('30 template runs') ?? '?'
        } PostgreSQL connections`,
      );
      check(
        notDone.length === 0,
        `${30 - notDone.length} completed; not: ${notDone
          .slice(0, 5)
          .join('; ')}`,
      );
      check(
        lost.length === 0 && duplicated.length === 0,
        `GitOps commits lost for ${lost.join(', ') || 'none'}, duplicated for ${
          duplicated.join(', ') || 'none'
        }`,
      );
      return `30 completed and 30 GitOps commits, one each, in ${took.toFixed(
        0,
      )} s`;
    },
  },
  {
    id: 5,
    name: 'a signal reaches WebSocket clients on all replicas',
    tier: 'fast',
    async run(ctx) {
      const key = `ha-${Date.now()}`;
      const received = new Map<string, boolean>();
      const sockets: WebSocket[] = [];
      try {
        for (const replica of ctx.replicas) {
          // The signals router hooks WebSocket upgrades on its first request: retry.
          const ws = await waitFor(
            () =>
              new Promise<WebSocket | undefined>(resolve => {
                const socket = new WebSocket(
                  `ws://127.0.0.1:${replica.port}/api/signals`,
                  ctx.token,
                );
                const timer = setTimeout(() => {
                  socket.terminate();
                  resolve(undefined);
                }, 3000);
                socket.once('open', () => {
                  clearTimeout(timer);
                  resolve(socket);
                });
                socket.once('error', () => {
                  clearTimeout(timer);
                  resolve(undefined);
                });
                socket.once('unexpected-response', () => {
                  clearTimeout(timer);
                  socket.terminate();
                  resolve(undefined);
                });
              }),
            20_000,
            500,
          );
          check(ws, `no WebSocket to /api/signals on ${replica.name}`);
          sockets.push(ws!);
          received.set(replica.name, false);
          ws!.on('message', data => {
            const message = JSON.parse(String(data));
            if (
              message.channel === 'user-settings' &&
              message.message?.key === key
            ) {
              received.set(replica.name, true);
            }
          });
          ws!.send(
            JSON.stringify({ action: 'subscribe', channel: 'user-settings' }),
          );
        }
        await sleep(1000);
        // A user setting changed through replica a publishes a signal to the user.
        const [a] = ctx.replicas;
        const put = await api(
          a.url,
          ctx.token,
          'PUT',
          `/api/user-settings/buckets/ha-harness/keys/${key}`,
          { value: 'x' },
        );
        check(
          put.status === 200,
          `PUT a user setting through a: HTTP ${put.status}`,
        );
        const began = Date.now();
        const all = await waitFor(
          async () =>
            [...received.values()].every(Boolean) ? Date.now() : undefined,
          10_000,
          100,
        );
        const missing = [...received]
          .filter(([, got]) => !got)
          .map(([name]) => name);
        check(
          all,
          `the signal did not reach the WebSocket on ${missing.join(
            ', ',
          )} within 10 s`,
        );
        return `received on a, b and c within ${((all! - began) / 1000).toFixed(
          1,
        )} s`;
      } finally {
        sockets.forEach(s => s.terminate());
      }
    },
  },
  {
    id: 6,
    name: `rolling restart under 15 requests/s through haproxy: no status >= 500, p99 reported`,
    tier: 'fast',
    async run(ctx) {
      // The fast tier restarts one replica; --long restarts all three.
      const targets = long ? ctx.replicas : ctx.replicas.slice(2);
      ctx.sampler.setPhase('rolling restart');
      const load = startLoad({
        baseUrl: ctx.baseUrl,
        paths: loadPaths,
        headers: { authorization: `Bearer ${ctx.token}` },
        perSecond: 15,
        maxRequests: 15 * 600,
        maxSeconds: 600,
      });
      const restarts: string[] = [];
      let result: LoadResult;
      try {
        await sleep(3000);
        for (const replica of targets) {
          restarts.push(await restart(ctx, replica));
        }
        await sleep(3000);
      } finally {
        result = await load.stop();
        ctx.sampler.setPhase('other');
      }
      const verdict = loadVerdict(result);
      figures.push(
        `rolling restart of ${targets
          .map(t => t.name)
          .join(', ')} at 15 requests/s: ${verdict.summary}`,
      );
      check(
        verdict.serverErrors === 0 && verdict.connectionErrors === 0,
        `${verdict.serverErrors} responses >= 500 and ${verdict.connectionErrors} connection errors: ${verdict.firstFailures}`,
      );
      return `${restarts.join('; ')}; ${verdict.summary}`;
    },
  },
  {
    id: 7,
    name: 'PostgreSQL restarted (fast, and stopped for 30 s): no replica exits, reads recover within 30 s, no run left in processing',
    tier: 'long',
    async run(ctx) {
      const before = await Promise.all(ctx.replicas.map(r => r.state()));
      const read = (r: Replica) =>
        api(r.url, ctx.token, 'GET', '/api/catalog/entities?limit=1').then(
          res => res.status,
        );
      const recovery = async () => {
        const began = Date.now();
        const ok = await Promise.all(
          ctx.replicas.map(r =>
            waitFor(
              async () => ((await read(r)) === 200 ? Date.now() : undefined),
              60_000,
              500,
            ),
          ),
        );
        return ok.map(t => (t ? ((t - began) / 1000).toFixed(1) : 'never'));
      };
      // Template runs going on while PostgreSQL goes away.
      const startRun = (name: string) =>
        startTask(ctx, ctx.baseUrl, 'service-nodejs', serviceValues(name));
      const tasks = [await startRun('ha-pg-restart')];
      await ctx.pg.restart();
      const afterRestart = await recovery();
      tasks.push(await startRun('ha-pg-outage'));
      await ctx.pg.stop();
      await sleep(30_000);
      await ctx.pg.start();
      const afterStop = await recovery();
      figures.push(
        `reads after PostgreSQL is back: fast restart ${afterRestart.join(
          ', ',
        )} s; after 30 s down ${afterStop.join(', ')} s`,
      );
      const after = await Promise.all(ctx.replicas.map(r => r.state()));
      const exited = ctx.replicas.filter(
        (_, i) =>
          !after[i].running || after[i].startedAt !== before[i].startedAt,
      );
      check(
        exited.length === 0,
        `replicas exited: ${exited.map(r => r.name).join(', ')}`,
      );
      check(
        [...afterRestart, ...afterStop].every(
          t => t !== 'never' && Number(t) <= 30,
        ),
        `reads recovered after ${afterRestart.join(
          ', ',
        )} s (fast restart) and ${afterStop.join(', ')} s (30 s stop)`,
      );
      const statuses = await Promise.all(
        tasks.map(t => waitTask(ctx, t, 180_000)),
      );
      const processing = await waitFor(
        async () => {
          const rows = await ctx.pg.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM tasks WHERE status = 'processing'",
            [],
            'backstage_plugin_scaffolder',
          );
          return rows[0].n === 0 ? 0 : undefined;
        },
        120_000,
        2000,
      );
      check(
        processing === 0,
        'template runs still in processing 2 minutes after PostgreSQL came back',
      );
      return `reads back after ${afterRestart.join(
        ', ',
      )} s (fast restart) and ${afterStop.join(
        ', ',
      )} s (30 s down); the runs started before the restart and before the stop ended ${statuses
        .map(t => t.split(':')[0])
        .join(' and ')}; none in processing`;
    },
  },
  {
    id: 8,
    name: 'peak PostgreSQL connections stay at or below 80',
    tier: 'fast',
    async run(ctx) {
      const peaks = [...ctx.sampler.peaks]
        .map(([phase, n]) => `${phase} ${n}`)
        .join(', ');
      figures.push(`peak PostgreSQL connections: ${peaks}`);
      check(
        ctx.sampler.peak <= 80,
        `peak ${ctx.sampler.peak} connections (${peaks})`,
      );
      return `peak ${ctx.sampler.peak} (${peaks})`;
    },
  },
  {
    id: 9,
    name: 'upgrade to a build with a new migration under traffic; the old build after it',
    tier: 'long',
    async run(ctx) {
      // The "new build": this image plus one scorecard migration.
      const dir = path.join(ctx.work, 'upgrade');
      fs.mkdirSync(dir);
      const migration = '29990101000000_ha_harness_upgrade.js';
      fs.writeFileSync(
        path.join(dir, migration),
        `exports.up = knex => knex.schema.createTable('ha_harness_upgrade', t => { t.string('id'); });
exports.down = knex => knex.schema.dropTable('ha_harness_upgrade');
`,
      );
      fs.writeFileSync(
        path.join(dir, 'Containerfile'),
        `FROM ${ctx.image}\nCOPY ${migration} /app/plugins/scorecard-backend/migrations/${migration}\n`,
      );
      const newImage = `localhost/causeway:ha-upgrade-${process.pid}`;
      await podman(
        ['build', '--pull=never', '-q', '-t', newImage, dir],
        300_000,
      );
      const load = startLoad({
        baseUrl: ctx.baseUrl,
        paths: loadPaths,
        headers: { authorization: `Bearer ${ctx.token}` },
        perSecond: 15,
        maxRequests: 15 * 900,
        maxSeconds: 900,
      });
      let result: LoadResult;
      try {
        for (const replica of ctx.replicas) {
          await replica.stop(STOP_TIMEOUT);
          await replica.create(newImage);
          await replica.waitReady();
          await waitFor(
            async () =>
              (await ctx.lb.status())[replica.name] === 'UP' ? true : undefined,
            30_000,
            250,
          );
        }
      } finally {
        result = await load.stop();
      }
      const verdict = loadVerdict(result);
      const applied = await ctx.pg.query(
        'SELECT 1 FROM knex_migrations WHERE name = $1',
        [migration],
        'backstage_plugin_scorecard',
      );
      figures.push(`upgrade under 15 requests/s: ${verdict.summary}`);
      check(applied.length === 1, 'the new migration was not applied');
      check(
        verdict.serverErrors === 0 && verdict.connectionErrors === 0,
        `upgrade: ${verdict.serverErrors} responses >= 500, ${verdict.connectionErrors} connection errors: ${verdict.firstFailures}`,
      );

      // The old build on one replica: knex refuses a migration it does not know.
      const [a] = ctx.replicas;
      await a.stop(STOP_TIMEOUT);
      await a.create(ctx.image);
      let oldBuild = '';
      try {
        await a.waitReady(180_000);
        oldBuild = 'the old build started';
      } catch (error) {
        const lines = (await a.logs()).filter(l =>
          /corrupt|missing|migration/i.test(l),
        );
        oldBuild = `the old build does not start: ${
          lines
            .slice(-1)[0]
            ?.replace(/^\S+\s+/, '')
            .trim()
            .slice(0, 300) ?? String(error).slice(0, 300)
        }`;
      }
      // The rollback procedure of the README: undo the migration, forget it, start the old build.
      await ctx.pg.query(
        'DROP TABLE IF EXISTS ha_harness_upgrade',
        [],
        'backstage_plugin_scorecard',
      );
      await ctx.pg.query(
        'DELETE FROM knex_migrations WHERE name = $1',
        [migration],
        'backstage_plugin_scorecard',
      );
      await a.create(ctx.image);
      await a.waitReady(300_000);
      await podman(['rmi', '-f', newImage]).catch(() => {});
      return `${verdict.summary}; ${oldBuild}; after the rollback procedure the old build is ready`;
    },
  },
];

// --- main ---------------------------------------------------------------------------

async function main() {
  const began = Date.now();
  // Scenario 1 boots the replicas: every run starts with it.
  const chosen = scenarios.filter(s =>
    only ? s.id === 1 || only.includes(s.id) : long || s.tier === 'fast',
  );
  const ctx = await setUp();
  let passed = 0;
  let failed = 0;
  try {
    for (const scenario of chosen) {
      const start = Date.now();
      log(`${scenario.id}. ${scenario.name}...`);
      try {
        if (scenario.id !== 1) await signIn(ctx);
        const detail = await scenario.run(ctx);
        passed += 1;
        process.stdout.write(
          `PASS ${scenario.id}. ${scenario.name}: ${detail} (${(
            (Date.now() - start) /
            1000
          ).toFixed(0)} s)\n`,
        );
      } catch (error) {
        failed += 1;
        const message =
          error instanceof Failure
            ? error.message
            : String((error as Error)?.stack ?? error);
        process.stdout.write(
          `FAIL ${scenario.id}. ${scenario.name}: ${message}\n`,
        );
        for (const replica of ctx.replicas) {
          const tail = await replica.logTail(5).catch(() => '');
          const lines = tail.split('\n').map(l => l.slice(0, 300));
          if (tail)
            process.stdout.write(
              `--- replica ${replica.name}, last lines:\n${lines.join('\n')}\n`,
            );
        }
      }
      // Back to three ready replicas for the next scenario, whatever happened.
      await Promise.all(
        ctx.replicas.map(async r => {
          const state = await r.state().catch(() => undefined);
          if (state && !state.running) await r.start().catch(() => {});
          if (state) await r.waitReady().catch(() => {});
        }),
      );
    }
  } finally {
    await ctx.cleanUp();
  }
  figures.push(`harness: ${((Date.now() - began) / 1000).toFixed(0)} s in all`);
  for (const figure of figures) process.stdout.write(`figure: ${figure}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failed ? 1 : 0);
}

main().catch(error => {
  process.stdout.write(
    `FAIL set-up: ${error?.stack ?? error}\n0 passed, 1 failed\n`,
  );
  process.exit(1);
});
