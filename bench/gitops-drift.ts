/*
 * Benchmark: GitOps drift, from the pure computation to the entity page's
 * GitOps view over HTTP.
 *
 *   source scripts/env.sh && yarn bench:gitops-drift
 *
 * The services are those of bench/fixtures/driftFixture.ts: golden-path
 * services of 20 applied objects each (the builders' Deployment, Service,
 * HPA, PDB, ServiceMonitor, NetworkPolicy, Ingress and two ExternalSecrets,
 * eight hand-written objects, three claims), with the kustomization.yaml
 * and Argo CD Application beside them, and their live twins as an API server
 * returns them (status, managedFields, defaults); 5% are drifted (3 fields
 * different, 1 object missing in the cluster, 1 not in git).
 *
 * 1. One service: parseManifestFiles of its 22 YAML files, the backend's
 *    driftQuery (what is compared) and computeDrift against its live
 *    objects; and computeDrift alone on objects parsed beforehand. Each
 *    timed alone, median and p95 of 1,000 runs after 200 of warm-up.
 * 2. All services (1,000): the same for every one of them, one after
 *    another; the total, median of 5 runs after one of warm-up.
 * 3. GET /api/gitops/entities/default/component/NAME/gitops: the gitops
 *    backend plugin started with startTestBackend (as its plugin.test.ts
 *    does: mock auth, permissions allowing, an in-memory catalog holding the
 *    components with their causeway.dev/gitops-path annotations), reading a
 *    real bare git repository holding every service's files in one commit
 *    (git fast-import), and one stand-in Kubernetes API server
 *    (@causeway/kubernetes-stand-in, in a worker thread so its work does not
 *    queue on the backend's event loop) holding every live object. Requests
 *    come from another worker thread (as bench/scorecard-load.ts): one at a time
 *    for 200 random services, then 20 in flight for 1,000; then again with no
 *    cluster configured (git only). The time of the calls the view makes
 *    (GitOpsRepository, KubernetesClusters) and the git processes and
 *    cluster requests per view are recorded beside.
 *
 * Progress goes to stderr; the tables to stdout, each measure with the load
 * average when it started (the machine may be shared). Settings
 * (environment): DRIFT_BENCH_SERVICES (1000), DRIFT_BENCH_REQUESTS (1000),
 * DRIFT_BENCH_SEED (42), DRIFT_BENCH_NAMESPACES (50: services share them,
 * and a view reads its namespace's whole infrastructure folder).
 */
import childProcess from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import gitopsPlugin from '@causeway/plugin-gitops-backend';
import {
  computeDrift,
  DriftSummary,
  parseManifestFiles,
  ParsedObject,
  PlatformApi,
} from '@causeway/plugin-gitops-common';
import {
  ensureLocalRepository,
  GitOpsRepository,
  KubernetesClusters,
  loadPlatformApis,
} from '@causeway/plugin-gitops-node';
import { driftQuery } from '../plugins/gitops-backend/src/service/clusterDrift';
import {
  GitOpsLocation,
  gitopsLocation,
} from '../plugins/gitops-backend/src/service/gitopsFiles';
import { GitOpsViewService } from '../plugins/gitops-backend/src/service/GitOpsViewService';
import {
  DriftService,
  driftServices,
  EXTRA_RESOURCE_TYPES,
} from './fixtures/driftFixture';
import { SeededRandom } from './fixtures/random';
import { commitAll } from './fixtures/scorecardFixture';
import { median, percentile, runLoad } from './scorecard-load';
import { instrument, Profile, record } from './scorecard-profile';
import { silentLogger } from './fixtures/silentLogger';

const SERVICES = Number(process.env.DRIFT_BENCH_SERVICES ?? 1000);
const REQUESTS = Number(process.env.DRIFT_BENCH_REQUESTS ?? 1000);
const SEED = Number(process.env.DRIFT_BENCH_SEED ?? 42);
const NAMESPACES = Number(process.env.DRIFT_BENCH_NAMESPACES ?? 50);
const DRIFTED_SHARE = 0.05;
const SINGLE_RUNS = 1000;
const SINGLE_WARM_UP = 200;
const BULK_RUNS = 5;
const SEQUENTIAL = 200;
const IN_FLIGHT = 20;
const CLUSTER = 'eu-west';
const CLUSTER_TOKEN = `${CLUSTER}-token`;
const repoRoot = path.resolve(__dirname, '..');
const platformApisDir = path.join(repoRoot, 'platform/apis');

const benchStarted = performance.now();
const progress = (message: string) =>
  process.stderr.write(
    `[${((performance.now() - benchStarted) / 1000).toFixed(0)}s] ${message}\n`,
  );
const load = () =>
  os
    .loadavg()
    .map(l => l.toFixed(1))
    .join(' ');
/** Three significant digits, whole milliseconds from 100 ms up. */
const millis = (ms: number) =>
  `${ms.toFixed(
    Math.max(0, 2 - Math.floor(Math.log10(Math.max(ms, 1e-3)))),
  )} ms`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const silent = silentLogger;

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [
    line(rows[0]),
    `| ${widths.map(w => '-'.repeat(w)).join(' | ')} |`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** Times each call of `work`, after some calls of warm-up. */
function timeEach(runs: number, warmUp: number, work: () => unknown) {
  for (let i = 0; i < warmUp; i++) work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return times;
}

const sumSummaries = (summaries: DriftSummary[]) =>
  summaries.reduce(
    (sum, s) => {
      for (const key of Object.keys(sum) as Array<keyof DriftSummary>) {
        sum[key] += s[key];
      }
      return sum;
    },
    { 'in-sync': 0, 'missing-in-cluster': 0, 'not-in-git': 0, different: 0 },
  );
const describeSummary = (s: DriftSummary) =>
  `${s['in-sync']} in sync, ${s.different} different, ${s['missing-in-cluster']} missing, ${s['not-in-git']} not in git`;

// ---------------------------------------------------------------------------
// The services as the catalog and the backend see them.

const entityOf = (service: DriftService): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: service.name,
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': service.name,
      'causeway.dev/gitops-path': service.path,
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: `group:default/${service.namespace}`,
  },
});

/** What the backend does with a service's files and live objects, minus I/O. */
function driftOf(
  service: DriftService,
  location: GitOpsLocation,
  platformApis: PlatformApi[],
) {
  const parsed = parseManifestFiles(service.files);
  const { compared } = driftQuery({
    git: parsed.objects,
    location,
    platformApis,
  });
  return computeDrift({ git: compared, live: service.live, platformApis });
}

function comparedOf(
  service: DriftService,
  location: GitOpsLocation,
  platformApis: PlatformApi[],
): ParsedObject[] {
  return driftQuery({
    git: parseManifestFiles(service.files).objects,
    location,
    platformApis,
  }).compared;
}

// ---------------------------------------------------------------------------
// 1 and 2: the computation alone.

function benchComputation(
  services: DriftService[],
  platformApis: PlatformApi[],
): string[][] {
  const locations = services.map(s => gitopsLocation(entityOf(s))!);
  const one = services.findIndex(s => s.drifted);
  const service = services[one >= 0 ? one : 0];
  const location = locations[one >= 0 ? one : 0];
  const compared = comparedOf(service, location, platformApis);
  const oneSummary = driftOf(service, location, platformApis).summary;
  progress(
    `One service (${service.name}): ${describeSummary(oneSummary)}; timing`,
  );

  const rows: string[][] = [];
  let loadAt = load();
  const parseOnly = timeEach(SINGLE_RUNS, SINGLE_WARM_UP, () =>
    parseManifestFiles(service.files),
  );
  const parseAndDrift = timeEach(SINGLE_RUNS, SINGLE_WARM_UP, () =>
    driftOf(service, location, platformApis),
  );
  const driftOnly = timeEach(SINGLE_RUNS, SINGLE_WARM_UP, () =>
    computeDrift({ git: compared, live: service.live, platformApis }),
  );
  const single = (label: string, times: number[]) => [
    label,
    `median ${millis(median(times))}, p95 ${millis(percentile(times, 95))}`,
    `${SINGLE_RUNS} runs after ${SINGLE_WARM_UP}`,
    loadAt,
  ];
  rows.push(
    single(
      `One service (20 objects, ${service.files.length} files): parse + drift`,
      parseAndDrift,
    ),
    single('One service: computeDrift alone', driftOnly),
    single('One service: parseManifestFiles alone', parseOnly),
  );

  progress(`${services.length} services: timing ${BULK_RUNS + 1} runs`);
  loadAt = load();
  const allCompared = services.map((s, i) =>
    comparedOf(s, locations[i], platformApis),
  );
  const withParse: number[] = [];
  const withoutParse: number[] = [];
  let summaries: DriftSummary[] = [];
  for (let run = 0; run <= BULK_RUNS; run++) {
    let start = performance.now();
    summaries = services.map(
      (s, i) => driftOf(s, locations[i], platformApis).summary,
    );
    const a = performance.now() - start;
    start = performance.now();
    for (const [i, s] of services.entries()) {
      computeDrift({ git: allCompared[i], live: s.live, platformApis });
    }
    const b = performance.now() - start;
    if (run > 0) {
      withParse.push(a);
      withoutParse.push(b);
    }
  }
  const found = summaries.filter(s => s['in-sync'] !== 20).length;
  const expected = services.filter(s => s.drifted).length;
  const bulk = (label: string, times: number[]) => [
    label,
    `median ${seconds(median(times))} (${millis(
      median(times) / services.length,
    )}/service); runs ${times.map(t => seconds(t)).join(', ')}`,
    `${BULK_RUNS} runs after 1`,
    loadAt,
  ];
  rows.push(
    bulk(`${services.length} services: parse + drift`, withParse),
    bulk(`${services.length} services: computeDrift alone`, withoutParse),
    [
      `${services.length} services: drift found`,
      `${found} services drifted (expected ${expected}); ${describeSummary(
        sumSummaries(summaries),
      )}`,
      '',
      '',
    ],
  );
  return rows;
}

// ---------------------------------------------------------------------------
// 3: the GitOps view over HTTP.

const STAND_IN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const standIn = require(workerData.module);
(async () => {
  const server = await standIn.startStandInApiServer({
    token: workerData.token,
    serve: [
      standIn.SERVICE_MONITOR,
      standIn.EXTERNAL_SECRET,
      ...standIn.CROSSPLANE_CLAIMS,
      ...workerData.types,
    ],
    objects: workerData.objects,
  });
  parentPort.on('message', async message => {
    if (message === 'requests') {
      const lists = server.requests.filter(r => r.labelSelector !== undefined).length;
      parentPort.postMessage({ requests: server.requests.length, lists });
      server.requests.length = 0;
    } else if (message === 'close') {
      await server.close();
      parentPort.postMessage({ closed: true });
    }
  });
  parentPort.postMessage({ url: server.url });
})().catch(e => parentPort.postMessage({ error: String((e && e.stack) || e) }));
`;

/** The stand-in API server in a worker thread, with its own event loop. */
async function startStandInWorker(objects: object[]) {
  const worker = new Worker(STAND_IN_WORKER, {
    eval: true,
    workerData: {
      module: require.resolve('@causeway/kubernetes-stand-in'),
      token: CLUSTER_TOKEN,
      types: EXTRA_RESOURCE_TYPES,
      objects,
    },
  });
  const next = () =>
    new Promise<any>((resolve, reject) => {
      worker.once('message', message =>
        message.error ? reject(new Error(message.error)) : resolve(message),
      );
      worker.once('error', reject);
    });
  const { url } = await next();
  return {
    url: url as string,
    /** The requests received since the last call: all, and lists. */
    requests: async (): Promise<{ requests: number; lists: number }> => {
      const answer = next();
      worker.postMessage('requests');
      return answer;
    },
    close: async () => {
      const answer = next();
      worker.postMessage('close');
      await answer;
      await worker.terminate();
    },
  };
}

/** git processes started, by subcommand: how many, and their wall time. */
const gitProcesses = new Map<string, { count: number; ms: number }>();
const gitCommand = (file: unknown, args: unknown) =>
  file === 'git' && Array.isArray(args)
    ? `${args[0]}${args.includes('--depth') ? ' --depth 1' : ''}`
    : undefined;
const addGit = (command: string, started: number) => {
  const stats = gitProcesses.get(command) ?? { count: 0, ms: 0 };
  stats.count++;
  stats.ms += performance.now() - started;
  gitProcesses.set(command, stats);
};
// runGit calls execFile with a callback; GitObjectReader spawns a cat-file
// that stays (counted until it exits).
const execFile = childProcess.execFile as (...args: any[]) => any;
(childProcess as any).execFile = function timed(this: unknown, ...args: any[]) {
  const command = gitCommand(args[0], args[1]);
  const callback = args[args.length - 1];
  if (command && typeof callback === 'function') {
    const started = performance.now();
    args[args.length - 1] = function done(this: unknown, ...result: any[]) {
      addGit(command, started);
      return callback.apply(this, result);
    };
  }
  return execFile.apply(this, args);
};
const spawnProcess = childProcess.spawn as (...args: any[]) => any;
(childProcess as any).spawn = function timed(this: unknown, ...args: any[]) {
  const command = gitCommand(args[0], args[1]);
  const started = performance.now();
  const child = spawnProcess.apply(this, args);
  if (command) child.once('close', () => addGit(command, started));
  return child;
};

/** Files read from git (blob ids asked of readBlobs). */
let blobsRead = 0;
const readBlobs = GitOpsRepository.prototype.readBlobs;
GitOpsRepository.prototype.readBlobs = function counted(
  this: GitOpsRepository,
  blobIds: string[],
) {
  blobsRead += blobIds.length;
  return readBlobs.call(this, blobIds);
};

const VIEW = 'view (server side)';
for (const [proto, method, label] of [
  [GitOpsViewService.prototype, 'view', VIEW],
  [
    GitOpsRepository.prototype,
    'tree',
    'git: tree (fetch + rev-parse + ls-tree)',
  ],
  [GitOpsRepository.prototype, 'readBlobs', 'git: blobs (cat-file)'],
  [GitOpsRepository.prototype, 'history', 'git: history (fetch + log)'],
  [KubernetesClusters.prototype, 'list', 'cluster: list (one call per kind)'],
  [KubernetesClusters.prototype, 'get', 'cluster: get (claims by name)'],
] as const) {
  instrument(proto, method, label);
}

type ViewRun = LoadResult & {
  profile: Profile;
  git: Map<string, { count: number; ms: number }>;
  cluster?: { requests: number; lists: number };
  blobs: number;
  load: string;
};

async function benchViews(options: {
  services: DriftService[];
  bare: string;
  cluster?: Awaited<ReturnType<typeof startStandInWorker>>;
}): Promise<{
  cold: number;
  sequential: ViewRun;
  parallel: ViewRun;
  check: string;
}> {
  const { services, bare, cluster } = options;
  const backend = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootLogger.factory({ level: 'error' }),
      mockServices.rootConfig.factory({
        data: {
          gitops: { repository: { url: bare }, platformApis: platformApisDir },
          events: { useEventBus: 'never' },
          ...(cluster
            ? {
                kubernetes: {
                  serviceLocatorMethod: { type: 'multiTenant' },
                  clusterLocatorMethods: [
                    {
                      type: 'config',
                      clusters: [
                        {
                          name: CLUSTER,
                          url: cluster.url,
                          authProvider: 'serviceAccount',
                          serviceAccountToken: CLUSTER_TOKEN,
                        },
                      ],
                    },
                  ],
                },
              }
            : {}),
        },
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalogServiceMock({ entities: services.map(entityOf) }),
      }),
    ],
  });
  try {
    const address = backend.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const header = mockCredentials.user.header('user:default/alice');
    const url = (name: string) =>
      `http://localhost:${port}/api/gitops/entities/default/component/${name}/gitops`;
    const get = async (name: string) => {
      const res = await fetch(url(name), {
        headers: { authorization: header },
      });
      if (res.status !== 200) {
        throw new Error(`GET ${url(name)}: ${res.status} ${await res.text()}`);
      }
      return res.json();
    };

    // The first view clones the repository (working copy and history).
    let start = performance.now();
    await get(services[0].name);
    const cold = performance.now() - start;
    const random = new SeededRandom(SEED + 1);
    for (let i = 0; i < 20; i++) await get(random.pick(services).name);

    // What a drifted and an in-sync service's views say.
    const drifted = services.find(s => s.drifted) ?? services[0];
    const inSync = services.find(s => !s.drifted) ?? services[0];
    const views = await Promise.all([get(drifted.name), get(inSync.name)]);
    const check = views
      .map((view, i) => {
        const drift = view.drift[0];
        return `${[drifted, inSync][i].name}: ${view.files.length} files, ${
          view.commits.length
        } commit(s), ${
          drift ? describeSummary(drift.summary) : 'no drift (no cluster)'
        }`;
      })
      .join('; ');
    progress(`Views: ${check}`);

    const run = async (
      names: string[],
      concurrency: number,
    ): Promise<ViewRun> => {
      await cluster?.requests();
      gitProcesses.clear();
      blobsRead = 0;
      const loadAt = load();
      const profile = new Profile();
      start = performance.now();
      const result = await record(profile, () =>
        runLoad({
          requests: names.map(name => ({ url: url(name) })),
          token: header.replace(/^Bearer /, ''),
          concurrency,
        }),
      );
      progress(
        `${names.length} views, ${concurrency} in flight: ${seconds(
          performance.now() - start,
        )}, statuses ${JSON.stringify(result.statuses)}`,
      );
      return {
        ...result,
        profile,
        git: new Map([...gitProcesses].map(([k, v]) => [k, { ...v }])),
        cluster: await cluster?.requests(),
        blobs: blobsRead,
        load: loadAt,
      };
    };
    const sequential = await run(
      Array.from({ length: SEQUENTIAL }, () => random.pick(services).name),
      1,
    );
    const parallel = await run(
      Array.from({ length: REQUESTS }, () => random.pick(services).name),
      IN_FLIGHT,
    );
    return { cold, sequential, parallel, check };
  } finally {
    await backend.stop();
  }
}

function viewRows(
  label: string,
  result: Awaited<ReturnType<typeof benchViews>>,
): string[][] {
  const { sequential: s, parallel: p } = result;
  const statuses = (r: ViewRun) =>
    Object.entries(r.statuses)
      .map(([status, count]) => `${count}x${status}`)
      .join(' ');
  return [
    [
      `GET .../gitops ${label}: first request (clones)`,
      millis(result.cold),
      '1',
      '',
    ],
    [
      `GET .../gitops ${label}: one at a time`,
      `median ${millis(median(s.latencies))}, p95 ${millis(
        percentile(s.latencies, 95),
      )}`,
      `${s.latencies.length} random services (${statuses(s)})`,
      s.load,
    ],
    [
      `GET .../gitops ${label}: ${IN_FLIGHT} in flight`,
      `p50 ${millis(median(p.latencies))}, p95 ${millis(
        percentile(p.latencies, 95),
      )}, ${((p.latencies.length / p.totalMs) * 1000).toFixed(1)} req/s`,
      `${p.latencies.length} requests (${statuses(p)})`,
      p.load,
    ],
  ];
}

function breakdownRows(
  runs: Array<{ label: string; run: ViewRun }>,
): string[][] {
  const labels = [
    VIEW,
    'git: tree (fetch + rev-parse + ls-tree)',
    'git: blobs (cat-file)',
    'git: history (fetch + log)',
    'cluster: list (one call per kind)',
    'cluster: get (claims by name)',
  ];
  const views = (run: ViewRun) => run.profile.calls(VIEW) || 1;
  const rows = labels.map(label => [
    label,
    ...runs.map(({ run }) => {
      const calls = run.profile.calls(label);
      return calls
        ? `${millis(run.profile.ms(label) / calls)} x ${(
            calls / views(run)
          ).toFixed(0)}`
        : '-';
    }),
  ]);
  const commands = [...new Set(runs.flatMap(({ run }) => [...run.git.keys()]))];
  rows.push(
    ...commands.map(command => [
      `git ${command} (process)`,
      ...runs.map(({ run }) => {
        const stats = run.git.get(command);
        return stats
          ? `${millis(stats.ms / stats.count)} x ${(
              stats.count / views(run)
            ).toFixed(1)}`
          : '-';
      }),
    ]),
  );
  rows.push([
    'files read from git per view',
    ...runs.map(({ run }) => (run.blobs / views(run)).toFixed(1)),
  ]);
  rows.push([
    'cluster requests per view',
    ...runs.map(({ run }) =>
      run.cluster
        ? `${(run.cluster.requests / views(run)).toFixed(1)} (${(
            run.cluster.lists / views(run)
          ).toFixed(1)} lists)`
        : '-',
    ),
  ]);
  return [
    ['Where a view spends (mean wall time per call x calls per view)'].concat(
      runs.map(r => r.label),
    ),
    ...rows,
  ];
}

// ---------------------------------------------------------------------------

async function main() {
  const platformApis = await loadPlatformApis(platformApisDir, silent);
  progress(`Building ${SERVICES} services (seed ${SEED})`);
  const services = driftServices({
    count: SERVICES,
    namespaces: NAMESPACES,
    driftedShare: DRIFTED_SHARE,
    seed: SEED,
    apis: platformApis,
  });

  const rows: string[][] = [['Measure', 'Result', 'Runs', 'Load avg (1 5 15)']];
  rows.push(...benchComputation(services, platformApis));
  process.stdout.write(`${table(rows)}\n\n`);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-drift-bench-'));
  let cluster: Awaited<ReturnType<typeof startStandInWorker>> | undefined;
  // GitOpsRepository clones into os.tmpdir() and leaves its clones there:
  // keep them in the scratch folder, removed at the end.
  process.env.TMPDIR = path.join(root, 'tmp');
  fs.mkdirSync(process.env.TMPDIR);
  try {
    const bare = path.join(root, 'gitops.git');
    await ensureLocalRepository({
      repoPath: bare,
      branch: 'main',
      logger: silent,
    });
    const files = new Map<string, string>();
    for (const s of services) {
      for (const f of [s.infrastructureApplication, ...s.files]) {
        files.set(f.path, f.content);
      }
    }
    let start = performance.now();
    await commitAll(
      bare,
      [...files].map(([p, content]) => ({ path: p, content })),
      'Services of the drift benchmark\n',
    );
    const liveObjects = services.flatMap(s => s.live);
    progress(
      `GitOps repository: ${files.size} files in one commit (${seconds(
        performance.now() - start,
      )}); starting the stand-in cluster with ${liveObjects.length} objects`,
    );
    start = performance.now();
    cluster = await startStandInWorker(liveObjects);
    progress(`Stand-in cluster up (${seconds(performance.now() - start)})`);

    progress('Views with the cluster');
    const withCluster = await benchViews({ services, bare, cluster });
    progress('Views with no cluster configured');
    const gitOnly = await benchViews({ services, bare });

    const httpRows = [
      ['Measure', 'Result', 'Runs', 'Load avg (1 5 15)'],
      ...viewRows('with the cluster', withCluster),
      ...viewRows('git only (no cluster)', gitOnly),
    ];
    process.stdout.write(`${table(httpRows)}\n\n`);
    process.stdout.write(
      `${table(
        breakdownRows([
          { label: 'cluster, 1 at a time', run: withCluster.sequential },
          {
            label: `cluster, ${IN_FLIGHT} in flight`,
            run: withCluster.parallel,
          },
          { label: 'git only, 1 at a time', run: gitOnly.sequential },
          { label: `git only, ${IN_FLIGHT} in flight`, run: gitOnly.parallel },
        ]),
      )}\n\n`,
    );
    process.stdout.write(
      [
        `Checks: with the cluster: ${withCluster.check}. Git only: ${gitOnly.check}.`,
        `Fixture: seed ${SEED}, ${
          services.length
        } services in ${NAMESPACES} namespaces (${
          services.filter(s => s.drifted).length
        } drifted), ${files.size} files in git, ${
          liveObjects.length
        } objects in the stand-in cluster; ${os.cpus().length} CPUs, Node ${
          process.version
        }.`,
        'Calls overlap (history runs beside the cluster calls), and their wall',
        "times include waiting in GitOpsRepository's queues; the catalog is the",
        'in-memory test catalog (no HTTP, no database), the cluster a stand-in',
        'on 127.0.0.1 in a worker thread of this process.',
        '',
      ].join('\n'),
    );
  } finally {
    await cluster?.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
