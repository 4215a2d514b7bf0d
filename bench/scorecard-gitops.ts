/*
 * Benchmark: the scorecard's GitOps facts alone, on the scorecard fixture
 * (10,000 services, about 90,000 files in one repository), without a
 * backend around them: where a full evaluation's first run and a commit's
 * re-evaluation spend their time in git and in parsing.
 *
 *   source scripts/env.sh && yarn bench:scorecard-gitops
 *
 * 1. Cold: a new GitOpsFactProvider collects the facts of every service
 *    (list the tree, read every blob, parse and summarise every file).
 * 2. Warm: the same provider again, nothing changed.
 * 3. A commit: one service's folder changes through GitOpsRepository.publish,
 *    then the provider collects that service's facts (what the scorecard
 *    does when the commit's event arrives), ten times.
 *
 * Settings (environment): SCORECARD_BENCH_COMPONENTS (10000),
 * SCORECARD_BENCH_SEED (42).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import {
  GitOpsRepository,
  loadPlatformApis,
} from '@causeway/plugin-gitops-node';
import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  DatabaseChangeIndex,
  GitOpsFactProvider,
} from '@causeway/plugin-scorecard-backend-module-gitops';
import knexFactory from 'knex';
import { repoRoot } from '../packages/backend/src/__testUtils__/startCausewayBackend';
import {
  FixtureComponent,
  loadScorecardFixture,
  quietLogger,
  renderService,
} from './fixtures/scorecardFixture';
import { SeededRandom } from './fixtures/random';
import { median, percentile } from './scorecard-load';

const COMPONENTS = Number(process.env.SCORECARD_BENCH_COMPONENTS ?? 10_000);
const SEED = Number(process.env.SCORECARD_BENCH_SEED ?? 42);
const COMMITS = 10;

const started = performance.now();
const progress = (message: string) =>
  process.stderr.write(
    `[${((performance.now() - started) / 1000).toFixed(0)}s] ${message}\n`,
  );
const millis = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;

const entityOf = (c: FixtureComponent): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: c.name,
    annotations: c.gitopsPath
      ? { 'causeway.dev/gitops-path': c.gitopsPath }
      : {},
  },
  spec: { type: 'service', owner: c.owner, lifecycle: 'production' },
});

async function main() {
  const logger = quietLogger(progress);
  const fixture = await loadScorecardFixture({
    seed: SEED,
    components: COMPONENTS,
    platformApisDir: path.join(repoRoot, 'platform/apis'),
    log: progress,
  });
  // Publishes write to the repository: work on a copy.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-gitops-'));
  const url = path.join(scratch, 'gitops.git');
  fs.cpSync(fixture.gitopsRepository, url, { recursive: true });
  const apis = await loadPlatformApis(
    path.join(repoRoot, 'platform/apis'),
    logger,
  );
  const repository = new GitOpsRepository({ url, branch: 'main', logger });
  const entities = fixture.components.map(entityOf);
  const rows: Array<[string, string]> = [];
  try {
    // Where the provider records which entities read which folders, as the
    // portal does on SQLite.
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const provider = new GitOpsFactProvider({
      repository,
      platformApis: apis,
      logger,
      changeIndex: await DatabaseChangeIndex.create({
        database: { getClient: async () => knex } as DatabaseService,
      }),
    });
    let t = performance.now();
    await provider.collect(entities, { all: true });
    const cold = performance.now() - t;
    const stats = provider.lastCollect!;
    rows.push([
      `Cold: ${entities.length} services, ${stats.filesParsed} files parsed`,
      millis(cold),
    ]);
    progress(`cold ${millis(cold)}`);

    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      await provider.collect(entities, { all: true });
      warm.push(performance.now() - t);
    }
    rows.push(['Warm: nothing changed, median of 3', millis(median(warm))]);

    const random = new SeededRandom(SEED + 7);
    const changeable = fixture.components.filter(
      c => c.hasFolder && c.spec?.tier !== 'batch',
    );
    const author = { name: 'Bench', email: 'bench@causeway.example' };
    const publish: number[] = [];
    const collect: number[] = [];
    for (const component of random.sample(changeable, COMMITS + 1)) {
      const files = renderService(component, apis, {
        replicas: { min: 1, max: 1 },
      }).filter(f => f.path.startsWith(`${component.gitopsPath}/`));
      t = performance.now();
      await repository.publish({
        files,
        message: `${component.name}: one replica`,
        author,
        update: true,
      });
      publish.push(performance.now() - t);
      t = performance.now();
      const facts = await provider.collect([entityOf(component)]);
      collect.push(performance.now() - t);
      if (facts.get(component.ref)?.['gitops.hpaMinReplicas'] !== 1) {
        throw new Error(`${component.name}: the change was not read`);
      }
    }
    // The first publish clones the working copy: left out.
    publish.shift();
    collect.shift();
    rows.push([
      `A commit: publish (clone kept), median of ${COMMITS}`,
      millis(median(publish)),
    ]);
    rows.push([
      `A commit: collect the service's facts, median (p95) of ${COMMITS}`,
      `${millis(median(collect))} (${millis(percentile(collect, 95))})`,
    ]);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const width = Math.max(...rows.map(r => r[0].length));
  process.stdout.write(
    `\n| ${'Measure'.padEnd(width)} | Time |\n|${'-'.repeat(
      width + 2,
    )}|------|\n${rows
      .map(([what, value]) => `| ${what.padEnd(width)} | ${value} |`)
      .join('\n')}\n`,
  );
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
