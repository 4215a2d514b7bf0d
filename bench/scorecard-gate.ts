/*
 * Benchmark: the release gate's latency when its stored result is stale
 * and it must grade the entity first, and when it is fresh.
 *
 *   source scripts/env.sh && yarn bench:scorecard-gate
 *
 * The real backend starts (startCausewayBackend, the embedded default's
 * SQLite; PostgreSQL too with SCORECARD_BENCH_DATABASES=SQLITE,POSTGRES)
 * with the fixture of bench/fixtures (10,000 services, their GitOps
 * folders in one repository, 2% of their sources on the local git host)
 * and the repository's scorecards/ checks. Once the catalog holds the
 * fixture, one full evaluation grades everything. Then, for each sample:
 *
 * 1. stale: a commit to one service's GitOps folder, made beside the
 *    portal (a GitOpsRepository of the bench's own on the same bare
 *    repository: no change event, and the head poll and the hooks are an
 *    hour away), then GET /api/scorecard/gate/... with the CI's static
 *    token, timed. Its answer must name the new commit in graded.gitops.
 * 2. fresh: the same request again, nothing changed, timed.
 * 3. other: a commit to another service's folder, then the gate of the
 *    first one: a new head, the same folder, answered from the store.
 *
 * Requests are sequential (one in flight), as a pipeline's gate step is.
 * Progress goes to stderr; the table to stdout. Settings (environment):
 * SCORECARD_BENCH_COMPONENTS (10000), SCORECARD_BENCH_SEED (42),
 * SCORECARD_BENCH_DATABASES (SQLITE), SCORECARD_GATE_SAMPLES (100),
 * SCORECARD_BENCH_LOG (error: the backend's log level).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  GitOpsRepository,
  loadPlatformApis,
} from '@causeway/plugin-gitops-node';
import type { GateResponse } from '@causeway/plugin-scorecard-common';
import { apiClient } from '../packages/backend/src/__testUtils__/apiClient';
import { BackendDatabaseId } from '../packages/backend/src/__testUtils__/backendTestDatabases';
import { repoRoot } from '../packages/backend/src/__testUtils__/startCausewayBackend';
import { signInAs } from '../packages/backend/src/__testUtils__/testSignInProvider';
import { ScorecardEvaluator } from '../plugins/scorecard-backend/src/service/ScorecardEvaluator';
import {
  FixtureComponent,
  loadScorecardFixture,
  quietLogger,
  renderService,
} from './fixtures/scorecardFixture';
import { CI_TOKEN, startFixtureBackend } from './fixtures/fixtureBackend';
import { SeededRandom } from './fixtures/random';
import { median, percentile } from './scorecard-load';

const COMPONENTS = Number(process.env.SCORECARD_BENCH_COMPONENTS ?? 10_000);
const SEED = Number(process.env.SCORECARD_BENCH_SEED ?? 42);
const DATABASES = (process.env.SCORECARD_BENCH_DATABASES ?? 'SQLITE')
  .split(',')
  .map(d => d.trim().toUpperCase()) as BackendDatabaseId[];
const SAMPLES = Number(process.env.SCORECARD_GATE_SAMPLES ?? 100);
/** Samples not counted: the first requests warm the process up. */
const WARM_UP = 5;

const benchStarted = performance.now();
const progress = (message: string) =>
  process.stderr.write(
    `[${((performance.now() - benchStarted) / 1000).toFixed(0)}s] ${message}\n`,
  );
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const millis = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;

// The plugin's evaluator, recorded when it is wired; the catalog poll is
// off (its frequency is a day here, but it runs once at start).
let evaluator: ScorecardEvaluator | undefined;
const setChecks = ScorecardEvaluator.prototype.setChecks;
ScorecardEvaluator.prototype.setChecks = function captured(
  this: ScorecardEvaluator,
  definitions,
) {
  // eslint-disable-next-line consistent-this
  evaluator = this;
  return setChecks.call(this, definitions);
};
ScorecardEvaluator.prototype.pollCatalog = async () => ({
  changed: 0,
  removed: 0,
});
let evaluations = 0;
const evaluateEntities = ScorecardEvaluator.prototype.evaluateEntities;
ScorecardEvaluator.prototype.evaluateEntities = function counted(
  this: ScorecardEvaluator,
  refs,
) {
  evaluations++;
  return evaluateEntities.call(this, refs);
};

type Row = {
  database: BackendDatabaseId;
  entities: number;
  stale: number[];
  fresh: number[];
  other: number[];
  /** Gate answers that did not name the commit just made. */
  notGraded: number;
  /** Inline evaluations during the fresh and other requests (should be 0). */
  extraEvaluations: number;
};

async function benchDatabase(database: BackendDatabaseId): Promise<Row> {
  const fixture = await loadScorecardFixture({
    seed: SEED,
    components: COMPONENTS,
    platformApisDir: path.join(repoRoot, 'platform/apis'),
    log: progress,
  });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-gate-'));
  const gitopsCopy = path.join(runDir, 'gitops.git');
  fs.cpSync(fixture.gitopsRepository, gitopsCopy, { recursive: true });
  progress(`${database}: starting the backend`);
  const { backend, stop } = await startFixtureBackend({
    database,
    fixture,
    // Only the gate grades the commits below: the head poll waits a day.
    gitopsCopy,
  });
  try {
    const baseUrl = backend.baseUrl;
    let readerToken: string | undefined;
    for (let i = 0; !readerToken; i++) {
      readerToken = await signInAs(baseUrl, 'bob').catch(error => {
        if (i > 600) throw error;
        return sleep(500).then(() => undefined);
      });
    }
    const reader = apiClient(baseUrl, readerToken);
    const ci = apiClient(baseUrl, CI_TOKEN);

    progress(`${database}: waiting for the fixture's components`);
    for (;;) {
      const res = await reader(
        'GET',
        '/api/catalog/entities/by-query?filter=kind=component&limit=1&fields=metadata.name',
      );
      const total = res.body?.totalItems ?? 0;
      if (total >= fixture.components.length) break;
      progress(`${database}: ${total} components in the catalog`);
      await sleep(5000);
    }
    if (!evaluator) throw new Error('The scorecard evaluator was not wired');
    progress(`${database}: full evaluation`);
    const summary = await evaluator.evaluateAll();
    progress(`${database}: ${summary.entities} entities graded`);

    const apis = await loadPlatformApis(
      path.join(repoRoot, 'platform/apis'),
      quietLogger(progress),
    );
    // Beside the portal: its own publisher, so no change event is sent.
    const outside = new GitOpsRepository({
      url: gitopsCopy,
      branch: 'main',
      logger: quietLogger(progress),
    });
    const author = { name: 'Bench', email: 'bench@causeway.example' };
    const random = new SeededRandom(SEED + 11);
    const changeable = fixture.components.filter(
      c => c.hasFolder && c.spec?.tier !== 'batch',
    );
    const commit = async (c: FixtureComponent, min: number) => {
      const files = renderService(c, apis, {
        replicas: { min, max: min + 2 },
      }).filter(f => f.path.startsWith(`${c.gitopsPath}/`));
      const result = await outside.publish({
        files,
        message: `${c.name}: min ${min}`,
        author,
        update: true,
      });
      return result.commitSha;
    };
    const gate = async (c: FixtureComponent) => {
      const t = performance.now();
      const res = await ci(
        'GET',
        `/api/scorecard/gate/component/default/${c.name}?minLevel=silver`,
      );
      const ms = performance.now() - t;
      if (res.status !== 200) {
        throw new Error(`gate ${c.name}: HTTP ${res.status}`);
      }
      return { ms, answer: res.body as GateResponse };
    };

    const row: Row = {
      database,
      entities: summary.entities,
      stale: [],
      fresh: [],
      other: [],
      notGraded: 0,
      extraEvaluations: 0,
    };
    const pairs = random.sample(changeable, 2 * (SAMPLES + WARM_UP));
    for (let i = 0; i < SAMPLES + WARM_UP; i++) {
      const [target, neighbour] = [pairs[2 * i], pairs[2 * i + 1]];
      const sha = await commit(target, 3 + (i % 3));
      const stale = await gate(target);
      if (stale.answer.graded?.gitops?.commit !== sha) row.notGraded++;
      const before = evaluations;
      const fresh = await gate(target);
      await commit(neighbour, 3 + (i % 3));
      const other = await gate(target);
      row.extraEvaluations += evaluations - before;
      if (i < WARM_UP) continue;
      row.stale.push(stale.ms);
      row.fresh.push(fresh.ms);
      row.other.push(other.ms);
      if ((i - WARM_UP + 1) % 20 === 0) {
        progress(
          `${database}: ${i - WARM_UP + 1} samples, stale median ${millis(
            median(row.stale),
          )}`,
        );
      }
    }
    await outside.close();
    return row;
  } finally {
    await stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

function printTable(rows: Row[]) {
  const lines = [
    `Release gate latency at ${COMPONENTS} services (${SAMPLES} samples each, one request in flight, CI token)`,
    '',
    '| database | entities | gate when stale (grades first) p50 / p95 | fresh p50 / p95 | after a commit to another folder p50 / p95 | stale answers naming the new commit | evaluations when fresh |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      r =>
        `| ${r.database} | ${r.entities} | ${millis(
          percentile(r.stale, 50),
        )} / ${millis(percentile(r.stale, 95))} | ${millis(
          percentile(r.fresh, 50),
        )} / ${millis(percentile(r.fresh, 95))} | ${millis(
          percentile(r.other, 50),
        )} / ${millis(percentile(r.other, 95))} | ${
          SAMPLES + WARM_UP - r.notGraded
        } of ${SAMPLES + WARM_UP} | ${r.extraEvaluations} |`,
    ),
    '',
    `Machine: ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  const rows: Row[] = [];
  for (const database of DATABASES) rows.push(await benchDatabase(database));
  printTable(rows);
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
