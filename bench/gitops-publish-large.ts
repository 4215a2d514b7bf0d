/*
 * Benchmark: one publish into a large GitOps repository (the scorecard
 * fixture: 10,000 services' folders written by the real builders, about
 * 85,000 files), to a bare repository on disk and over git smart HTTP (git
 * http-backend behind basic auth, as a hosted git server). Each publish
 * changes one service's folder (a new replica count), as a day-two change
 * does. Prints a table: median, min and max of the publishes, and the first
 * publish (which fetches the repository when it is remote) on its own.
 *
 *   source scripts/env.sh && yarn bench:gitops-large
 *
 * Settings (environment): GITOPS_BENCH_RUNS (30), SCORECARD_BENCH_COMPONENTS
 * (10000), SCORECARD_BENCH_SEED (42).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  GitOpsRepository,
  loadPlatformApis,
} from '@causeway/plugin-gitops-node';
import { startGitHttpServer } from '../plugins/gitops-node/src/__testUtils__/repositories';
import { repoRoot } from '../packages/backend/src/__testUtils__/startCausewayBackend';
import {
  FixtureComponent,
  loadScorecardFixture,
  quietLogger,
  renderService,
} from './fixtures/scorecardFixture';
import { SeededRandom } from './fixtures/random';
import { median } from './scorecard-load';

const RUNS = Number(process.env.GITOPS_BENCH_RUNS ?? 30);
const COMPONENTS = Number(process.env.SCORECARD_BENCH_COMPONENTS ?? 10_000);
const SEED = Number(process.env.SCORECARD_BENCH_SEED ?? 42);

const started = performance.now();
const progress = (message: string) =>
  process.stderr.write(
    `[${((performance.now() - started) / 1000).toFixed(0)}s] ${message}\n`,
  );
const millis = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;

async function main() {
  const logger = quietLogger(progress);
  const fixture = await loadScorecardFixture({
    seed: SEED,
    components: COMPONENTS,
    platformApisDir: path.join(repoRoot, 'platform/apis'),
    log: progress,
  });
  const apis = await loadPlatformApis(
    path.join(repoRoot, 'platform/apis'),
    logger,
  );
  const random = new SeededRandom(SEED + 11);
  const changeable = fixture.components.filter(
    c => c.hasFolder && c.spec?.tier !== 'batch',
  );
  const author = { name: 'Bench', email: 'bench@causeway.example' };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-publish-'));
  const password = 'bench-t0ken';
  const server = await startGitHttpServer({
    projectRoot: scratch,
    username: 'causeway-bot',
    password,
  });
  const rows: string[][] = [];
  try {
    const targets: Array<{
      where: string;
      name: string;
      url: (dir: string) => string;
    }> = [
      { where: 'bare repository on disk', name: 'local.git', url: dir => dir },
      {
        where: 'smart HTTP (git http-backend)',
        name: 'remote.git',
        url: () => `${server.url}/remote.git`,
      },
    ];
    for (const { where, name, url: urlOf } of targets) {
      // Publishes write to the repository: each target works on a copy.
      const bare = path.join(scratch, name);
      fs.cpSync(fixture.gitopsRepository, bare, { recursive: true });
      const fileCount = execFileSync(
        'git',
        ['--git-dir', bare, 'ls-tree', '-r', '--name-only', 'main'],
        { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
      ).split('\n').length;
      const repository = new GitOpsRepository({
        url: urlOf(bare),
        branch: 'main',
        credentials: { username: 'causeway-bot', password },
        logger,
      });
      const publish = async (component: FixtureComponent, replicas: number) => {
        const files = renderService(component, apis, {
          replicas: { min: replicas, max: replicas },
        }).filter(f => f.path.startsWith(`${component.gitopsPath}/`));
        const t = performance.now();
        const result = await repository.publish({
          files,
          message: `${component.name}: ${replicas} replicas`,
          author,
          update: true,
        });
        if (!result.changed) throw new Error(`${component.name}: no change`);
        return performance.now() - t;
      };
      const sample = random.sample(changeable, RUNS + 1);
      const first = await publish(sample[0], 5);
      progress(`${where}: first publish ${millis(first)}`);
      const times: number[] = [];
      for (const component of sample.slice(1)) {
        times.push(await publish(component, 5));
      }
      await repository.close();
      rows.push([
        `${where}, ${fileCount} files`,
        millis(median(times)),
        millis(Math.min(...times)),
        millis(Math.max(...times)),
        String(times.length),
        millis(first),
      ]);
      progress(`${where}: median ${millis(median(times))}`);
    }
  } finally {
    await server.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const header = ['One publish (one service folder)', 'Median', 'Min', 'Max'];
  header.push('Runs', 'First publish');
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map(r => r[c].length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |\n`;
  process.stdout.write(
    `\n${line(header)}|${widths.map(w => '-'.repeat(w + 2)).join('|')}|\n${rows
      .map(line)
      .join('')}`,
  );
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
