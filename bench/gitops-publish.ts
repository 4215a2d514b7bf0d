/*
 * Benchmark: one golden-path run's GitOps work against the local repository
 * of the embedded default: parse the spec, render the manifests, validate
 * them against their schemas, commit and push. Prints a table.
 *
 *   source scripts/env.sh && yarn bench:gitops
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildServiceManifests,
  defaultPlatformPolicy,
  manifestFileContents,
  parseServiceSpec,
  validateManifests,
} from '@causeway/plugin-gitops-common';
import {
  ensureLocalRepository,
  GitOpsRepository,
} from '@causeway/plugin-gitops-node';
import { silentLogger } from './fixtures/silentLogger';

const RUNS = 50;
const PARALLEL = 20;
const silent = silentLogger;

async function renderAndPublish(repo: GitOpsRepository, name: string) {
  const { spec } = parseServiceSpec(
    {
      name,
      owner: 'payments-team',
      system: 'checkout-system',
      environment: 'production',
      namespace: 'payments',
      image: `registry.example.com/payments/${name}@sha256:${'ab'.repeat(32)}`,
      port: 8080,
      tier: 'critical',
      secrets: [{ env: 'DATABASE_URL', key: `payments/${name}/db` }],
      callers: [{ namespace: 'orders', app: 'order-service' }],
      ingressHost: `${name}.example.com`,
    },
    defaultPlatformPolicy,
  );
  const files = buildServiceManifests(spec, {
    policy: defaultPlatformPolicy,
    gitops: { repoURL: 'file:///bench/gitops.git', branch: 'main' },
  });
  validateManifests(files);
  await repo.publish({
    files: manifestFileContents(files),
    message: `Add ${name}`,
    author: { name: 'Bench', email: 'bench@example.com' },
    newPaths: [`apps/production/payments/${name}`],
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-bench-'));
  try {
    const bare = path.join(root, 'gitops.git');
    await ensureLocalRepository({
      repoPath: bare,
      branch: 'main',
      logger: silent,
    });
    const repo = new GitOpsRepository({
      url: bare,
      branch: 'main',
      logger: silent,
    });
    await renderAndPublish(repo, 'warm-up');

    const latencies: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = process.hrtime.bigint();
      await renderAndPublish(repo, `sequential-${i}`);
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    latencies.sort((a, b) => a - b);

    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        renderAndPublish(repo, `parallel-${i}`),
      ),
    );
    const parallelMs = Number(process.hrtime.bigint() - start) / 1e6;
    const commits = execFileSync(
      'git',
      ['--git-dir', bare, 'rev-list', '--count', 'main'],
      { encoding: 'utf8' },
    ).trim();

    const rows = [
      [
        'one service, render+validate+commit+push',
        `median ${latencies[Math.floor(RUNS / 2)].toFixed(0)} ms`,
        `p95 ${percentile(latencies, 95).toFixed(0)} ms`,
        `${RUNS} runs`,
      ],
      [
        `${PARALLEL} runs at once`,
        `total ${parallelMs.toFixed(0)} ms`,
        `${(parallelMs / PARALLEL).toFixed(0)} ms/run`,
        `${commits} commits on main (expected ${RUNS + PARALLEL + 2})`,
      ],
    ];
    const widths = rows[0].map((_, c) =>
      Math.max(...rows.map(r => r[c].length)),
    );
    for (const row of rows) {
      process.stdout.write(
        `| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |\n`,
      );
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch(error => {
  process.stderr.write(`${error}\n`);
  process.exit(1);
});
