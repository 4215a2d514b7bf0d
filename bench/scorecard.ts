/*
 * Benchmark: the scorecard at scale, beside Tech Insights (the community
 * plugin) on the same entities, the same facts and equivalent checks.
 *
 *   source scripts/env.sh && yarn bench:scorecard
 *
 * For each database (SQLite in memory, then PostgreSQL at 127.0.0.1:5432)
 * the real backend starts (startCausewayBackend: catalog, auth, permissions,
 * scheduler, events; the repository's scorecards/ checks) with the fixture
 * of bench/fixtures (10,000 services, their GitOps folders, 2% of their
 * sources on the local git host) registered, and Tech Insights 3.1.0 with
 * its jsonfc module beside it. Then:
 *
 * 1. The catalog ingests the fixture (timed: the catalog's, not the
 *    scorecard's), until every component is there and no etag moves.
 * 2. Causeway: a full evaluation of every entity x every check, first cold
 *    (fresh process: no facts cached, no results stored), then warm
 *    (nothing changed), through the evaluator the plugin wires (the object
 *    its scheduled task calls): catalog listing over HTTP, facts from the
 *    catalog, GitOps and source providers, rule evaluation, storing.
 * 3. One entity: a commit to its GitOps folder through GitOpsRepository
 *    (the event the scorecard listens to) until its new result is stored;
 *    and POST .../evaluate, the API's direct re-evaluation.
 * 4. GET /overview (filters, sorts, pages), /gate and /badge: 2,000 requests
 *    with 20 in flight over HTTP, signed in as a user, from a worker thread.
 * 5. Tech Insights: its fact retrievers (Causeway's facts, see
 *    scorecard-techInsights.ts) store the facts of every entity; then its
 *    bulk run of 5 and of all checks for every entity (what its overview
 *    pays on each load) and one entity's checks (median of 100), over HTTP.
 *    Its failing checks are compared with Causeway's stored ones.
 *
 * Progress goes to stderr; the tables to stdout. Settings (environment):
 * SCORECARD_BENCH_COMPONENTS (10000), SCORECARD_BENCH_SEED (42),
 * SCORECARD_BENCH_DATABASES (SQLITE,POSTGRES), SCORECARD_BENCH_ROUNDS (3),
 * SCORECARD_BENCH_LOG (error: the backend's log level).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { CatalogClient } from '@backstage/catalog-client';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  GITOPS_CHANGED_TOPIC,
  GitOpsRepository,
  gitopsRepositoryServiceRef,
  loadPlatformApis,
} from '@causeway/plugin-gitops-node';
import { CatalogFactProvider } from '@causeway/plugin-scorecard-backend';
import {
  GitOpsFactProvider,
  SourceFactProvider,
} from '@causeway/plugin-scorecard-backend-module-gitops';
import { ClusterFactProvider } from '@causeway/plugin-scorecard-backend-module-kubernetes';
import {
  CheckDefinition,
  parseCheckFile,
} from '@causeway/plugin-scorecard-common';
import { apiClient } from '../packages/backend/src/__testUtils__/apiClient';
import { BackendDatabaseId } from '../packages/backend/src/__testUtils__/backendTestDatabases';
import { repoRoot } from '../packages/backend/src/__testUtils__/startCausewayBackend';
import { signInAs } from '../packages/backend/src/__testUtils__/testSignInProvider';
import { DatabaseScorecardStore } from '../plugins/scorecard-backend/src/database/DatabaseScorecardStore';
import {
  EntityEvaluation,
  EntityQuery,
} from '../plugins/scorecard-backend/src/database/ScorecardStore';
import {
  FullRunSummary,
  ScorecardEvaluator,
} from '../plugins/scorecard-backend/src/service/ScorecardEvaluator';
import {
  FixtureComponent,
  loadScorecardFixture,
  quietLogger,
  renderService,
  ScorecardFixture,
} from './fixtures/scorecardFixture';
import { CI_TOKEN, startFixtureBackend } from './fixtures/fixtureBackend';
import { SeededRandom } from './fixtures/random';
import { LoadRequest, median, percentile, runLoad } from './scorecard-load';
import { instrument, Profile, record, unrecorded } from './scorecard-profile';
import {
  PROVIDER_FACTS,
  RETRIEVERS,
  TechInsightsHandle,
  techInsightsCausewayFacts,
  techInsightsConfig,
} from './scorecard-techInsights';

const COMPONENTS = Number(process.env.SCORECARD_BENCH_COMPONENTS ?? 10_000);
const SEED = Number(process.env.SCORECARD_BENCH_SEED ?? 42);
const DATABASES = (process.env.SCORECARD_BENCH_DATABASES ?? 'SQLITE,POSTGRES')
  .split(',')
  .map(d => d.trim().toUpperCase()) as BackendDatabaseId[];
const ROUNDS = Number(process.env.SCORECARD_BENCH_ROUNDS ?? 3);
const LOAD_REQUESTS = 2000;
const IN_FLIGHT = 20;
const CHANGES = 10;
const REEVALUATIONS = 50;
const SINGLE_CHECK_RUNS = 100;
/** Five checks both products run: catalog and GitOps facts, with and without a condition. */
const FIVE_CHECKS = [
  'owned-by-team',
  'has-description',
  'part-of-system',
  'two-replicas',
  'image-pinned-by-digest',
];
const READER = 'bob'; // examples/org.yaml: payments-team, no admin rights
const ADMIN = 'alice'; // platform-admins: Tech Insights' check runs need it

const benchStarted = performance.now();
const progress = (message: string) =>
  process.stderr.write(
    `[${((performance.now() - benchStarted) / 1000).toFixed(0)}s] ${message}\n`,
  );
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const millis = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
const load = () =>
  os
    .loadavg()
    .map(l => l.toFixed(1))
    .join(' ');

// ---------------------------------------------------------------------------
// Hooks on the classes the backend wires: the evaluator instance, stored
// results as they are written, and where the time goes.

let evaluator: ScorecardEvaluator | undefined;
const setChecks = ScorecardEvaluator.prototype.setChecks;
ScorecardEvaluator.prototype.setChecks = function captured(
  this: ScorecardEvaluator,
  definitions,
) {
  // The bench reaches the plugin's own instances by recording them.
  // eslint-disable-next-line consistent-this
  evaluator = this;
  return setChecks.call(this, definitions);
};
// The catalog poll runs once at start (its frequency is a day here), while
// the catalog fills: it does nothing, so the cold run is the first run.
ScorecardEvaluator.prototype.pollCatalog = async () => ({
  changed: 0,
  removed: 0,
});

for (const [proto, method, label] of [
  [CatalogFactProvider.prototype, 'collect', 'facts: catalog provider'],
  [GitOpsFactProvider.prototype, 'collect', 'facts: gitops provider'],
  [SourceFactProvider.prototype, 'collect', 'facts: source provider'],
  [ClusterFactProvider.prototype, 'collect', 'facts: cluster provider'],
  [GitOpsRepository.prototype, 'tree', 'gitops: tree (head + tree objects)'],
  [GitOpsRepository.prototype, 'readBlobs', 'gitops: blobs (cat-file)'],
  [DatabaseScorecardStore.prototype, 'saveEvaluations', 'store: save'],
  [DatabaseScorecardStore.prototype, 'activeWaivers', 'store: waivers'],
  [DatabaseScorecardStore.prototype, 'listEntityEtags', 'store: etags'],
  [DatabaseScorecardStore.prototype, 'deleteEntities', 'store: delete'],
  [DatabaseScorecardStore.prototype, 'replaceGroupTree', 'store: group tree'],
  [DatabaseScorecardStore.prototype, 'pruneHistory', 'store: prune'],
  [DatabaseScorecardStore.prototype, 'getEntity', 'store: entity'],
  [DatabaseScorecardStore.prototype, 'queryEntities', 'store: query'],
  [ScorecardEvaluator.prototype, 'evaluateAll', 'evaluator: all'],
  [ScorecardEvaluator.prototype, 'evaluateEntities', 'evaluator: some'],
  [DatabaseScorecardStore.prototype, 'getLastFullRun', 'store: last run'],
  [CatalogClient.prototype, 'getEntitiesByRefs', 'catalog: by refs (HTTP)'],
  [ServerPermissionClient.prototype, 'authorize', 'permission: authorize'],
  [
    ServerPermissionClient.prototype,
    'authorizeConditional',
    'permission: conditional',
  ],
] as const) {
  instrument(proto, method, label);
}

const saveWaiters: Array<{ ref: string; resolve: (at: number) => void }> = [];
let scorecardStore: DatabaseScorecardStore | undefined;
const saveEvaluations = DatabaseScorecardStore.prototype.saveEvaluations;
DatabaseScorecardStore.prototype.saveEvaluations = async function observed(
  this: DatabaseScorecardStore,
  evaluations: EntityEvaluation[],
  options,
) {
  // eslint-disable-next-line consistent-this
  scorecardStore = this;
  const result = await saveEvaluations.call(this, evaluations, options);
  const at = performance.now();
  for (const waiter of [...saveWaiters]) {
    if (evaluations.some(e => e.entityRef === waiter.ref)) {
      saveWaiters.splice(saveWaiters.indexOf(waiter), 1);
      waiter.resolve(at);
    }
  }
  return result;
};
const stored = (ref: string) =>
  new Promise<number>(resolve => saveWaiters.push({ ref, resolve }));

/** A plugin of the bench's: publishes GitOps commits, hears their events. */
const benchHandle: { repository?: GitOpsRepository; eventAt?: number } = {};
const benchPlugin = createBackendPlugin({
  pluginId: 'scorecardbench',
  register(env) {
    env.registerInit({
      deps: {
        repository: gitopsRepositoryServiceRef,
        events: eventsServiceRef,
      },
      async init({ repository, events }) {
        benchHandle.repository = repository;
        await events.subscribe({
          id: 'scorecard-bench',
          topics: [GITOPS_CHANGED_TOPIC],
          onEvent: async () => {
            benchHandle.eventAt = performance.now();
          },
        });
      },
    });
  },
});

// ---------------------------------------------------------------------------

/** The checks of scorecards/, as the backend loads them from its providers' facts. */
function loadChecks(): CheckDefinition[] {
  const facts = new Map(PROVIDER_FACTS.map(f => [f.name, f]));
  const dir = path.join(repoRoot, 'scorecards');
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .flatMap(file => {
      const { checks, problems } = parseCheckFile(
        fs.readFileSync(path.join(dir, file), 'utf8'),
        file,
        facts,
      );
      if (problems.length) {
        throw new Error(`${file}: ${JSON.stringify(problems)}`);
      }
      return checks;
    });
}

type Api = ReturnType<typeof apiClient>;

async function expectOk(
  response: Promise<{ status: number; body: any }>,
  what: string,
) {
  const { status, body } = await response;
  if (status >= 300) {
    throw new Error(
      `${what}: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`,
    );
  }
  return body;
}

/** The catalog's components: names and etags, paged. */
async function componentEtags(api: Api): Promise<Map<string, string>> {
  const etags = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const body = await expectOk(
      api(
        'GET',
        `/api/catalog/entities/by-query?${
          cursor
            ? `cursor=${encodeURIComponent(cursor)}`
            : 'filter=kind=component'
        }&limit=1000&fields=metadata.name,metadata.etag`,
      ),
      'listing components',
    );
    for (const e of body.items) etags.set(e.metadata.name, e.metadata.etag);
    cursor = body.pageInfo?.nextCursor;
  } while (cursor);
  return etags;
}

type Stats = { p50: number; p95: number; p99: number; rps: number };
const stats = (latencies: number[], totalMs: number): Stats => ({
  p50: percentile(latencies, 50),
  p95: percentile(latencies, 95),
  p99: percentile(latencies, 99),
  rps: (latencies.length / totalMs) * 1000,
});

type Result = {
  database: BackendDatabaseId;
  entities: number;
  checks: number;
  loadAtStart: string;
  ingest: { components: number; visibleMs: number; settledMs: number };
  cold: { ms: number; summary: FullRunSummary; profile: Profile };
  warm: Array<{ ms: number; summary: FullRunSummary; profile: Profile }>;
  changes: Array<{
    publishMs: number;
    eventToStoredMs: number;
    totalMs: number;
  }>;
  changeProfile: Profile;
  reevaluateApi: number[];
  reevaluateInProcess: number[];
  reevaluateProfile: Profile;
  apis: Record<'overview' | 'gate' | 'gateCi' | 'badge', Stats[]>;
  gateAlone: number[];
  gateProfile: Profile;
  overviewAlone: number[];
  overviewProfile: Profile;
  storeQueries: Array<[string, number]>;
  techInsights: {
    retrieveMs: number;
    retrieved: TechInsightsHandle['retrieved'];
    bulkFive: number[];
    bulkFiveEntities: number;
    bulkFiveBytes: number;
    bulkAll: number[];
    oneFive: number[];
    oneAll: number[];
  };
  agreement: {
    causewayFailures: number;
    techInsightsFailures: number;
    differ: number;
  };
  beforeCold: string;
  /** The first full run after a restart on the same database. */
  afterRestart?: { ms: number; summary: FullRunSummary; profile: Profile };
};

async function benchDatabase(
  database: BackendDatabaseId,
  fixture: ScorecardFixture,
  checks: CheckDefinition[],
): Promise<Result> {
  unrecorded.timings.clear();
  const loadAtStart = load();
  progress(`${database}: starting the backend (load ${loadAtStart})`);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-bench-'));
  const gitopsCopy = path.join(runDir, 'gitops.git');
  // Commits are published to a copy: the cached fixture stays as generated.
  fs.cpSync(fixture.gitopsRepository, gitopsCopy, { recursive: true });
  const techInsights: TechInsightsHandle = { retrieved: new Map() };
  const started = performance.now();
  const { backend, stop, restart } = await startFixtureBackend({
    database,
    fixture,
    gitopsCopy,
    extraFeatures: [
      benchPlugin,
      import('@backstage-community/plugin-tech-insights-backend'),
      import('@backstage-community/plugin-tech-insights-backend-module-jsonfc'),
      techInsightsCausewayFacts({ checks, handle: techInsights }),
    ],
    config: { techInsights: techInsightsConfig(checks) },
    // Each re-evaluation is measured: none answered from the last one or
    // refused by the per-user limit.
    scorecard: { evaluate: { minIntervalSeconds: 0, perUserPerMinute: 1000 } },
  });
  const baseUrl = backend.baseUrl;
  try {
    const token = async (user: string) => {
      for (let i = 0; ; i++) {
        try {
          return await signInAs(baseUrl, user);
        } catch (error) {
          if (i > 600) throw error;
          await sleep(500);
        }
      }
    };
    const readerToken = await token(READER);
    const reader = apiClient(baseUrl, readerToken);
    const adminToken = await token(ADMIN);
    const admin = apiClient(baseUrl, adminToken);

    // 1. The catalog ingests the fixture.
    progress(`${database}: waiting for the fixture's components`);
    let previous = new Map<string, string>();
    for (let missing = -1; missing !== 0; ) {
      await sleep(2000);
      const seen = await componentEtags(reader);
      previous = seen;
      const now = fixture.components.filter(c => !seen.has(c.name)).length;
      if (now !== missing) {
        progress(`${database}: ${previous.size} components in the catalog`);
      }
      missing = now;
    }
    const visibleMs = performance.now() - started;
    for (;;) {
      await sleep(5000);
      const current = await componentEtags(reader);
      const before = previous;
      const moved = [...current].filter(([n, e]) => before.get(n) !== e);
      if (!moved.length && current.size === previous.size) break;
      progress(`${database}: ${moved.length} components still changing`);
      previous = current;
    }
    const settledMs = performance.now() - started - 5000;
    progress(
      `${database}: catalog holds ${previous.size} components after ${seconds(
        visibleMs,
      )}, settled by ${seconds(settledMs)}`,
    );

    // 2. Full evaluations.
    const scorecard = evaluator;
    if (!scorecard) throw new Error('The scorecard evaluator was not wired');
    const loaded = scorecard.checks.list.map(c => c.definition.id).sort();
    if (
      loaded.join() !==
      checks
        .map(c => c.id)
        .sort()
        .join()
    ) {
      throw new Error(
        `The backend loaded other checks than the bench: ${loaded.join(', ')}`,
      );
    }
    const beforeCold = [...unrecorded.timings.entries()]
      .filter(([label]) => label.startsWith('evaluator: '))
      .map(([label, t]) => `${label} ${t.calls}x`)
      .join(', ');
    const fullRun = async () => {
      const profile = new Profile();
      const t = performance.now();
      const summary = await record(profile, () => scorecard.evaluateAll());
      return { ms: performance.now() - t, summary, profile };
    };
    progress(`${database}: cold full evaluation (load ${load()})`);
    const cold = await fullRun();
    progress(
      `${database}: cold ${seconds(cold.ms)} ${JSON.stringify(cold.summary)}`,
    );
    const warm = [];
    for (let i = 0; i < ROUNDS; i++) {
      await sleep(2000);
      const run = await fullRun();
      progress(
        `${database}: warm ${seconds(run.ms)} ${JSON.stringify(
          run.summary,
        )} (load ${load()})`,
      );
      warm.push(run);
    }
    const overviewAll = await expectOk(
      reader('GET', '/api/scorecard/overview?limit=1'),
      'overview',
    );
    if (overviewAll.totalItems !== cold.summary.entities) {
      throw new Error(
        `Stored ${overviewAll.totalItems} entities, evaluated ${cold.summary.entities}`,
      );
    }

    // 3. One entity: a GitOps commit, and the direct re-evaluation.
    const apis = await loadPlatformApis(
      path.join(repoRoot, 'platform/apis'),
      quietLogger(progress),
    );
    const random = new SeededRandom(SEED + 7);
    const changeable = fixture.components.filter(
      c =>
        c.hasFolder &&
        c.spec?.tier !== 'batch' &&
        !c.variations.includes('singleReplica'),
    );
    const repository = benchHandle.repository!;
    const author = { name: 'Bench', email: 'bench@causeway.example' };
    const folderFiles = (c: FixtureComponent, overrides = {}) =>
      renderService(c, apis, overrides).filter(f =>
        f.path.startsWith(`${c.gitopsPath}/`),
      );
    // The publisher's first publish clones the repository: not timed.
    const warmUp = random.pick(changeable);
    await repository.publish({
      files: folderFiles(warmUp),
      message: 'No change',
      author,
      update: true,
    });
    const changes: Result['changes'] = [];
    const changeProfile = new Profile();
    for (const component of random.sample(changeable, CHANGES)) {
      await sleep(1000);
      benchHandle.eventAt = undefined;
      const storedAt = stored(component.ref);
      const t = performance.now();
      let publishMs = 0;
      const at = await record(changeProfile, async () => {
        await repository.publish({
          files: folderFiles(component, { replicas: { min: 1, max: 1 } }),
          message: `${component.name}: one replica`,
          author,
          update: true,
        });
        publishMs = performance.now() - t;
        return storedAt;
      });
      const eventToStoredMs = at - (benchHandle.eventAt ?? t);
      changes.push({ publishMs, eventToStoredMs, totalMs: at - t });
      const card = await expectOk(
        reader(
          'GET',
          `/api/scorecard/entities/component/default/${component.name}`,
        ),
        'scorecard',
      );
      const status = card.results.find(
        (r: any) => r.checkId === 'two-replicas',
      )?.status;
      if (status !== 'fail') {
        throw new Error(
          `${component.name}: two-replicas is ${status} after the change`,
        );
      }
    }
    progress(
      `${database}: GitOps change → stored ${changes
        .map(c => millis(c.eventToStoredMs))
        .join(', ')}`,
    );

    const sampleRefs = random
      .sample(fixture.components, REEVALUATIONS + 5)
      .map(c => c.name);
    const reevaluateApi: number[] = [];
    for (const [i, name] of sampleRefs.entries()) {
      const t = performance.now();
      // An admin: evaluating is the owners' (the reader's team owns none).
      await expectOk(
        admin(
          'POST',
          `/api/scorecard/entities/component/default/${name}/evaluate`,
        ),
        're-evaluate',
      );
      if (i >= 5) reevaluateApi.push(performance.now() - t);
    }
    const reevaluateInProcess: number[] = [];
    const reevaluateProfile = new Profile();
    for (const [i, name] of sampleRefs.entries()) {
      const t = performance.now();
      await record(i >= 5 ? reevaluateProfile : new Profile(), () =>
        scorecard.evaluateEntities([`component:default/${name}`]),
      );
      if (i >= 5) reevaluateInProcess.push(performance.now() - t);
    }
    progress(
      `${database}: re-evaluate API median ${millis(
        median(reevaluateApi),
      )}, in process ${millis(median(reevaluateInProcess))}`,
    );

    // 4. The read APIs under load.
    const teams = fixture.groups.filter(g => !g.includes('dept-'));
    const overviewRequests = (): LoadRequest[] =>
      Array.from({ length: LOAD_REQUESTS }, () => {
        const query = new URLSearchParams();
        const filter = random.weighted({
          none: 3,
          owner: 3,
          system: 2,
          level: 2,
          failingCheck: 2,
          kind: 1,
        });
        if (filter === 'owner') query.set('owner', random.pick(teams));
        if (filter === 'system')
          query.set('system', random.pick(fixture.systems));
        if (filter === 'level') {
          query.set('level', random.pick(['none', 'bronze', 'silver,gold']));
        }
        if (filter === 'failingCheck') {
          query.set('failingCheck', random.pick(checks).id);
        }
        if (filter === 'kind') query.set('kind', 'component');
        query.set('sort', random.pick(['level', 'name', 'failed']));
        query.set('order', random.pick(['asc', 'desc']));
        query.set('limit', String(random.pick([20, 50, 100])));
        query.set(
          'offset',
          String(filter === 'none' ? random.pick([0, 0, 100, 1000, 5000]) : 0),
        );
        return { url: `${baseUrl}/api/scorecard/overview?${query}` };
      });
    const entityRequests = (route: string, suffix = () => '') =>
      Array.from({ length: LOAD_REQUESTS }, () => ({
        url: `${baseUrl}/api/scorecard/${route}/component/default/${
          random.pick(fixture.components).name
        }${suffix()}`,
      }));
    const requestsOf = {
      overview: overviewRequests,
      gate: () =>
        entityRequests(
          'gate',
          () => `?minLevel=${random.pick(['bronze', 'silver', 'gold'])}`,
        ),
      badge: () => entityRequests('badge'),
    };
    // One request at a time: the service time, and where it goes.
    const alone = async (api: 'gate' | 'overview') => {
      const profile = new Profile();
      const { latencies } = await record(profile, () =>
        runLoad({
          requests: requestsOf[api]().slice(0, 200),
          token: readerToken,
          concurrency: 1,
        }),
      );
      progress(
        `${database}: ${api} one at a time: median ${millis(
          median(latencies),
        )}`,
      );
      return { latencies, profile };
    };
    const gateAlone = await alone('gate');
    const overviewAlone = await alone('overview');
    // The store's overview queries on their own, one at a time.
    const store = scorecardStore!;
    const page = {
      sort: 'level',
      order: 'asc',
      limit: 100,
      offset: 0,
    } as const;
    const variants: Array<[string, EntityQuery]> = [
      ['no filter, by level', page],
      [
        'no filter, by name, offset 5000',
        { ...page, sort: 'name', offset: 5000 },
      ],
      ['no filter, by failed desc', { ...page, sort: 'failed', order: 'desc' }],
      ['owner (a team)', { ...page, owners: [teams[0]] }],
      ['owner group and below', { ...page, ownerGroup: fixture.groups[0] }],
      ['system', { ...page, system: fixture.systems[0] }],
      ['level silver or gold', { ...page, levels: ['silver', 'gold'] }],
      ['failing check', { ...page, failingCheck: 'two-replicas' }],
    ];
    const storeQueries: Array<[string, number]> = [];
    for (const [label, query] of variants) {
      const times: number[] = [];
      for (let i = 0; i < 25; i++) {
        const t = performance.now();
        await store.queryEntities(query);
        if (i >= 5) times.push(performance.now() - t);
      }
      storeQueries.push([label, median(times)]);
    }
    progress(
      `${database}: overview one at a time: median ${millis(
        median(overviewAlone.latencies),
      )}; store queries ${storeQueries
        .map(([l, ms]) => `${l} ${millis(ms)}`)
        .join(', ')}`,
    );
    const apiStats: Result['apis'] = {
      overview: [],
      gate: [],
      gateCi: [],
      badge: [],
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of ['overview', 'gate', 'gateCi', 'badge'] as const) {
        // gateCi: the gate as a CI pipeline calls it, with the static token.
        const requests = requestsOf[name === 'gateCi' ? 'gate' : name];
        const as = name === 'gateCi' ? CI_TOKEN : readerToken;
        await runLoad({
          requests: requests().slice(0, 100),
          token: as,
          concurrency: IN_FLIGHT,
        });
        const result = await runLoad({
          requests: requests(),
          token: as,
          concurrency: IN_FLIGHT,
        });
        if (Object.keys(result.statuses).some(s => s !== '200')) {
          throw new Error(`${name}: ${JSON.stringify(result.statuses)}`);
        }
        const s = stats(result.latencies, result.totalMs);
        apiStats[name].push(s);
        progress(
          `${database}: ${name} round ${round + 1}: p50 ${millis(
            s.p50,
          )} p95 ${millis(s.p95)} p99 ${millis(s.p99)} (${s.rps.toFixed(
            0,
          )}/s, load ${load()})`,
        );
      }
    }

    // 5. Tech Insights on the same entities.
    progress(`${database}: Tech Insights: retrieving facts`);
    const lastRef = fixture.components[fixture.components.length - 1].name;
    const retrieveStarted = performance.now();
    const retrieverIds = Object.values(RETRIEVERS);
    for (const id of retrieverIds) {
      await techInsights.scheduler!.triggerTask(id);
    }
    for (const id of retrieverIds) {
      for (;;) {
        const facts = await expectOk(
          admin(
            'GET',
            `/api/tech-insights/facts/latest?entity=component:default/${lastRef}&ids=${id}`,
          ),
          'facts',
        );
        if (facts[id]) break;
        await sleep(500);
      }
    }
    const retrieveMs = performance.now() - retrieveStarted;
    progress(
      `${database}: Tech Insights facts stored after ${seconds(
        retrieveMs,
      )} ${JSON.stringify([...techInsights.retrieved])}`,
    );
    const allIds = checks.map(c => c.id);
    const bulk = async (checkIds: string[], entities: string[]) => {
      const t = performance.now();
      const response = await fetch(`${baseUrl}/api/tech-insights/checks/run`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${adminToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ checks: checkIds, entities }),
      });
      const text = await response.text();
      const ms = performance.now() - t;
      if (!response.ok) {
        return { ms, error: `HTTP ${response.status} ${text.slice(0, 200)}` };
      }
      return { ms, bytes: text.length, body: JSON.parse(text) as any[] };
    };
    const bulkFive: number[] = [];
    let tiEntities: string[] = [];
    let bulkFiveBytes = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const run = await bulk(FIVE_CHECKS, []);
      if (!run.body) throw new Error(`Tech Insights bulk: ${run.error}`);
      bulkFive.push(run.ms);
      tiEntities = run.body.map(r => r.entity);
      bulkFiveBytes = run.bytes;
      progress(
        `${database}: Tech Insights 5 checks x ${
          tiEntities.length
        } entities: ${seconds(run.ms)} (${(run.bytes / 1e6).toFixed(
          0,
        )} MB, load ${load()})`,
      );
    }
    // All checks for every entity: the same one request.
    const bulkAll: number[] = [];
    const tiFailures = new Set<string>();
    for (let i = 0; i < Math.max(1, ROUNDS - 1); i++) {
      const run = await bulk(allIds, []);
      if (!run.body) throw new Error(`Tech Insights bulk: ${run.error}`);
      bulkAll.push(run.ms);
      tiFailures.clear();
      for (const { entity, results } of run.body) {
        for (const r of results) {
          if (!r.result) tiFailures.add(`${entity} ${r.check.id}`);
        }
      }
      progress(
        `${database}: Tech Insights all ${allIds.length} checks x ${
          run.body.length
        } entities: ${seconds(run.ms)} (${(run.bytes / 1e6).toFixed(
          0,
        )} MB, load ${load()})`,
      );
    }
    const one = async (checkIds: string[]) => {
      const times: number[] = [];
      for (let i = 0; i < SINGLE_CHECK_RUNS + 5; i++) {
        const name = random.pick(fixture.components).name;
        const t = performance.now();
        await expectOk(
          admin(
            'POST',
            `/api/tech-insights/checks/run/default/component/${name}`,
            {
              checks: checkIds,
            },
          ),
          'Tech Insights check run',
        );
        if (i >= 5) times.push(performance.now() - t);
      }
      return times;
    };
    const oneFive = await one(FIVE_CHECKS);
    const oneAll = await one(allIds);
    progress(
      `${database}: Tech Insights one entity: 5 checks ${millis(
        median(oneFive),
      )}, all ${millis(median(oneAll))}`,
    );

    // The two products' failing checks, compared.
    const causewayFailures = new Set<string>();
    for (let offset = 0; ; offset += 1000) {
      const overviewPage = await expectOk(
        reader(
          'GET',
          `/api/scorecard/overview?sort=name&limit=1000&offset=${offset}`,
        ),
        'overview',
      );
      for (const item of overviewPage.items) {
        for (const id of item.failingChecks) {
          causewayFailures.add(`${item.entityRef} ${id}`);
        }
      }
      if (overviewPage.items.length < 1000) break;
    }
    const differ =
      [...causewayFailures].filter(f => !tiFailures.has(f)).length +
      [...tiFailures].filter(f => !causewayFailures.has(f)).length;

    // 6. A restart, as a deploy does (PostgreSQL keeps the data; SQLite is
    // in memory here): the new process's first full run, with the facts
    // kept in the database.
    let afterRestart: Result['afterRestart'];
    if (database === 'POSTGRES') {
      progress(`${database}: restarting the backend`);
      evaluator = undefined;
      await restart();
      for (let i = 0; !evaluator && i < 600; i++) await sleep(100);
      await sleep(2000);
      const profile = new Profile();
      const t = performance.now();
      const summary = await record(profile, () => evaluator!.evaluateAll());
      afterRestart = { ms: performance.now() - t, summary, profile };
      progress(
        `${database}: first run after a restart ${seconds(
          afterRestart.ms,
        )} ${JSON.stringify(summary)}`,
      );
    }

    return {
      database,
      entities: cold.summary.entities,
      checks: checks.length,
      loadAtStart,
      ingest: { components: previous.size, visibleMs, settledMs },
      cold,
      warm,
      changes,
      changeProfile,
      reevaluateApi,
      reevaluateInProcess,
      reevaluateProfile,
      apis: apiStats,
      gateAlone: gateAlone.latencies,
      gateProfile: gateAlone.profile,
      overviewAlone: overviewAlone.latencies,
      overviewProfile: overviewAlone.profile,
      storeQueries,
      techInsights: {
        retrieveMs,
        retrieved: techInsights.retrieved,
        bulkFive,
        bulkFiveEntities: tiEntities.length,
        bulkFiveBytes,
        bulkAll,
        oneFive,
        oneAll,
      },
      agreement: {
        causewayFailures: causewayFailures.size,
        techInsightsFailures: tiFailures.size,
        differ,
      },
      beforeCold: beforeCold || 'none',
      afterRestart,
    };
  } finally {
    evaluator = undefined;
    progress(`${database}: stopping`);
    await stop();
    // The plugins' GitOps working copies of this run's repository.
    for (const name of fs.readdirSync(os.tmpdir())) {
      const dir = path.join(os.tmpdir(), name);
      const config = path.join(dir, '.git', 'config');
      if (
        name.startsWith('causeway-gitops-') &&
        fs.existsSync(config) &&
        fs.readFileSync(config, 'utf8').includes(gitopsCopy)
      ) {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Tables.

const pass = (ok: boolean) => (ok ? 'met' : '**missed**');
const list = (values: number[], format: (v: number) => string) =>
  values.map(format).join(', ');
const medianOf = <T>(items: T[], key: (t: T) => number): T =>
  [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];

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

function report(r: Result): string {
  const t = r.techInsights;
  const warmMs = r.warm.map(w => w.ms);
  const warmMedian = median(warmMs);
  const eventToStored = r.changes.map(c => c.eventToStoredMs);
  /** A read API under load: the median round by p95, and each round's p95. */
  const apiRow = (
    api: keyof Result['apis'],
    techInsights: string,
    p95Target?: number,
  ) => {
    const s = medianOf(r.apis[api], round => round.p95);
    return [
      api === 'gateCi'
        ? `GET /gate as CI (static token), ${LOAD_REQUESTS} requests, ${IN_FLIGHT} in flight`
        : `GET /${api} as a user, ${LOAD_REQUESTS} requests, ${IN_FLIGHT} in flight`,
      `p50 ${millis(s.p50)} · p95 ${millis(s.p95)} · p99 ${millis(
        s.p99,
      )} (${s.rps.toFixed(0)} req/s); p95 of rounds: ${list(
        r.apis[api].map(round => round.p95),
        millis,
      )}`,
      techInsights,
      p95Target ? `p95 < ${p95Target} ms` : '',
      p95Target ? pass(s.p95 < p95Target) : '',
    ];
  };
  const name = r.database === 'SQLITE' ? 'SQLite (in memory)' : 'PostgreSQL 15';
  const rows = [
    [
      'Measure',
      'Causeway scorecard',
      'Tech Insights 3.1.0 + jsonfc',
      'Target',
      '',
    ],
    [
      `Full evaluation, ${r.entities} entities × 5 checks`,
      '— (always runs all checks)',
      `${seconds(median(t.bulkFive))} (median of ${t.bulkFive.length}: ${list(
        t.bulkFive,
        seconds,
      )}; ${(t.bulkFiveBytes / 1e6).toFixed(0)} MB response)`,
      '',
      '',
    ],
    [
      `Full evaluation, ${r.entities} entities × all ${r.checks} checks, cold`,
      seconds(r.cold.ms),
      `${seconds(median(t.bulkAll))} (median of ${t.bulkAll.length}: ${list(
        t.bulkAll,
        seconds,
      )})`,
      '≤ 3 s',
      pass(r.cold.ms <= 3000),
    ],
    [
      `Full evaluation, ${r.entities} entities × all ${r.checks} checks, warm`,
      `${seconds(warmMedian)} (median of ${warmMs.length}: ${list(
        warmMs,
        seconds,
      )})`,
      'same as cold: nothing is kept between runs',
      '≤ 3 s',
      pass(warmMedian <= 3000),
    ],
    [
      `Full evaluation, ${r.entities} entities × all ${r.checks} checks, first run after a restart`,
      r.afterRestart
        ? seconds(r.afterRestart.ms)
        : '— (the bench keeps SQLite in memory: nothing survives a restart)',
      'same as cold',
      '≤ 3 s',
      r.afterRestart ? pass(r.afterRestart.ms <= 3000) : '',
    ],
    [
      'One entity after a GitOps commit (event → new result stored)',
      `median ${millis(median(eventToStored))}, max ${millis(
        Math.max(...eventToStored),
      )} (${eventToStored.length} commits; commit+push itself median ${millis(
        median(r.changes.map(c => c.publishMs)),
      )})`,
      '— (facts only on retriever schedule)',
      '< 50 ms',
      pass(median(eventToStored) < 50),
    ],
    [
      'One entity re-evaluated: POST …/evaluate (HTTP)',
      `median ${millis(median(r.reevaluateApi))}, p95 ${millis(
        percentile(r.reevaluateApi, 95),
      )} (${r.reevaluateApi.length} entities; in process: median ${millis(
        median(r.reevaluateInProcess),
      )})`,
      `5 checks: median ${millis(median(t.oneFive))}; all ${
        r.checks
      }: median ${millis(median(t.oneAll))} (${t.oneFive.length} each)`,
      '< 50 ms',
      pass(median(r.reevaluateApi) < 50),
    ],
    apiRow(
      'overview',
      'its overview runs the bulk check above on each load',
      100,
    ),
    apiRow('gate', '—', 50),
    apiRow('gateCi', '—', 50),
    apiRow('badge', '—'),
    [
      'Facts of every entity stored',
      'part of the full evaluation',
      `${seconds(t.retrieveMs)} (${
        t.retrieved.size
      } retrievers, triggered; handlers: ${[...t.retrieved]
        .map(([id, x]) => `${id} ${seconds(x.ms)}`)
        .join(', ')})`,
      '',
      '',
    ],
    [
      'Catalog ingestion (the catalog, not the scorecard)',
      `${r.ingest.components} components visible after ${seconds(
        r.ingest.visibleMs,
      )}, settled by ${seconds(r.ingest.settledMs)}`,
      'the same catalog',
      '',
      '',
    ],
    [
      'Same failing checks in both',
      `${r.agreement.causewayFailures} failing (entity, check) pairs`,
      `${r.agreement.techInsightsFailures}; pairs that differ: ${r.agreement.differ}`,
      '',
      '',
    ],
  ];

  const breakdown = (p: Profile, summary?: FullRunSummary) => {
    const gitops = p.ms('facts: gitops provider');
    const tree = p.ms('gitops: tree (head + tree objects)');
    const blobs = p.ms('gitops: blobs (cat-file)');
    return [
      ...(summary
        ? [
            `catalog listing ${seconds(summary.timings.list)}`,
            `facts ${seconds(summary.timings.facts)} [catalog ${seconds(
              p.ms('facts: catalog provider'),
            )}; gitops ${seconds(gitops)} = tree ${seconds(
              tree,
            )} + blobs ${seconds(blobs)} + parse/summaries/facts ${seconds(
              gitops - tree - blobs,
            )}; source ${seconds(
              p.ms('facts: source provider'),
            )}; cluster ${seconds(p.ms('facts: cluster provider'))}]`,
            `rule evaluation ${seconds(summary.timings.evaluate)}`,
            `storing ${seconds(summary.timings.store)} [save ${seconds(
              p.ms('store: save'),
            )} (${summary.written} rows written), etags ${seconds(
              p.ms('store: etags'),
            )}, group tree ${seconds(
              p.ms('store: group tree'),
            )}, prune ${seconds(p.ms('store: prune'))}]`,
          ]
        : []),
    ].join('; ');
  };
  const per = (label: string, p: Profile, runs: number) =>
    `${label} ${millis(p.ms(label) / runs)}`;
  const single = r.reevaluateProfile;
  const n = r.reevaluateInProcess.length;
  const profileRows = [
    ['Where the time goes (Causeway)', ''],
    ['Full run, cold', breakdown(r.cold.profile, r.cold.summary)],
    ...(r.afterRestart
      ? [
          [
            'Full run, first after a restart',
            breakdown(r.afterRestart.profile, r.afterRestart.summary),
          ],
        ]
      : []),
    [
      'Full run, warm (median run)',
      breakdown(
        medianOf(r.warm, w => w.ms).profile,
        medianOf(r.warm, w => w.ms).summary,
      ),
    ],
    [
      `One entity, in process (mean of ${n})`,
      [
        `total ${millis(r.reevaluateInProcess.reduce((a, b) => a + b, 0) / n)}`,
        per('facts: gitops provider', single, n),
        per('gitops: tree (head + tree objects)', single, n),
        per('gitops: blobs (cat-file)', single, n),
        per('facts: source provider', single, n),
        per('facts: catalog provider', single, n),
        per('store: save', single, n),
        per('store: waivers', single, n),
      ].join('; '),
    ],
    [
      `GET /overview one at a time (${r.overviewAlone.length})`,
      `client-side median ${millis(median(r.overviewAlone))}; mean ${[
        'permission: authorize',
        'store: query',
        'store: last run',
      ]
        .map(
          label =>
            `${label} ${millis(
              r.overviewProfile.ms(label) / r.overviewAlone.length,
            )}`,
        )
        .join(
          ', ',
        )}; the store's query (counts by level + the page) alone, median of 20: ${r.storeQueries
        .map(([label, ms]) => `${label} ${millis(ms)}`)
        .join(', ')}`,
    ],
    [
      `GET /gate one at a time (mean of ${r.gateAlone.length})`,
      [
        `client-side median ${millis(median(r.gateAlone))}`,
        ...[
          'permission: authorize',
          'catalog: by refs (HTTP)',
          'permission: conditional',
          'store: entity',
          'store: last run',
        ].map(label => {
          const calls = r.gateProfile.calls(label);
          return `${label} ${millis(
            r.gateProfile.ms(label) / r.gateAlone.length,
          )} (${calls} calls)`;
        }),
      ].join('; '),
    ],
    [
      `One entity after a commit (mean of ${r.changes.length})`,
      [
        per('facts: gitops provider', r.changeProfile, r.changes.length),
        per(
          'gitops: tree (head + tree objects)',
          r.changeProfile,
          r.changes.length,
        ),
        per('gitops: blobs (cat-file)', r.changeProfile, r.changes.length),
        per('store: save', r.changeProfile, r.changes.length),
      ].join('; '),
    ],
  ];
  return [
    `### ${name}: ${r.entities} entities, ${r.checks} checks`,
    '',
    `Load average at start: ${r.loadAtStart}. Scorecard evaluations before the cold run: ${r.beforeCold}.`,
    '',
    table(rows),
    '',
    table(profileRows),
    '',
  ].join('\n');
}

const NOTES = `
What each number includes:
- Causeway full evaluation: ScorecardEvaluator.evaluateAll() on the
  instance the plugin wires (what its scheduled task runs), timed around the
  call: listing the selected entities from the catalog over HTTP, facts
  from the catalog, gitops and source providers (cold: listing the GitOps
  repository's tree, reading and parsing every manifest; warm: the branch
  head from its ref file, nothing parsed), evaluating every check of every entity,
  writing what changed (entity rows, failing-check index, history), the
  group tree, history pruning. Cold is the first run of a fresh process with
  an empty database; after a restart (PostgreSQL only), the first run of a
  new process on the database the first one filled, which holds the
  GitOps facts it kept.
- One entity after a commit: GitOpsRepository.publish() of a change to the
  service's folder (one replica) from a plugin of the bench; timed from the
  GitOps event reaching subscribers to the store having written the
  entity's new result (the scorecard's part: catalog read, facts,
  evaluation, write). The commit and push are shown apart.
- POST …/evaluate: the API's re-evaluation over HTTP as a platform admin
  (auth, permission, catalog visibility, evaluation, store, response).
- GET /overview, /gate, /badge: real HTTP from a worker thread with a user
  token (the same process, its own event loop); the median round by p95 is
  shown, with each round's p95.
- Tech Insights: its fact retrievers stored Causeway's facts of the same
  entities (one row per entity and retriever, its best case: no history);
  the bulk number is POST /api/tech-insights/checks/run for every entity
  (its overview's call), the one-entity number POST
  /checks/run/:namespace/:kind/:name, both over HTTP as an admin. Checks
  are Causeway's, translated to json-rules-engine (a \`when\` that does not
  hold passes).
- Not running meanwhile: catalog re-processing (interval 12 h), search
  indexing, the scorecard's schedule and catalog poll (only the bench
  triggers evaluations).
`;

async function main() {
  const checks = loadChecks();
  progress(`${checks.length} checks from scorecards/`);
  const fixture = await loadScorecardFixture({
    seed: SEED,
    components: COMPONENTS,
    platformApisDir: path.join(repoRoot, 'platform/apis'),
    log: progress,
  });
  const results: Result[] = [];
  for (const database of DATABASES) {
    results.push(await benchDatabase(database, fixture, checks));
    process.stdout.write(`${report(results[results.length - 1])}\n`);
  }
  process.stdout.write(
    `Fixture: seed ${SEED}, ${fixture.components.length} components, ${
      fixture.groups.length
    } groups, ${fixture.systems.length} systems, ${
      fixture.stats.gitopsFiles
    } GitOps files (${(fixture.stats.gitopsBytes / 1e6).toFixed(0)} MB), ${
      fixture.stats.databaseClaims
    } database claims, ${
      fixture.stats.sourceRepositories
    } source repositories; ${os.cpus().length} CPUs, Node ${
      process.version
    }.\n${NOTES}`,
  );
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
