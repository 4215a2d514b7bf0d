/*
 * Benchmark: how long golden path runs killed mid-way take to end after the
 * backend is back. The embedded default (SQLite, local repositories, the
 * shipped scaffolder.taskRecovery settings) holds RUNS service-nodejs runs
 * right after their GitOps commit, is killed with SIGKILL, and starts again;
 * reported: the restart (spawn to ready) and, per run, the time from ready
 * to the run ending (completed or failed).
 *
 *   source scripts/env.sh && (cd bench && yarn bench:crash-recovery)
 *
 * Settings (environment): CRASH_BENCH_RUNS (10).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  apiClient,
  eventually,
} from '../packages/backend/src/__testUtils__/apiClient';
import {
  BackendProcess,
  embeddedConfig,
  freePort,
} from '../packages/backend/src/__testUtils__/backendProcess';
import {
  heldAt,
  startTask,
} from '../packages/backend/src/__testUtils__/scaffolderTasks';
import { goldenPathValues } from '../packages/backend/src/__testUtils__/templates';
import { percentile } from './scorecard-load';

async function main() {
  const count = Number(process.env.CRASH_BENCH_RUNS ?? 10);
  const dataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'causeway-bench-crash-'),
  );
  const port = await freePort();
  const start = (pauses: boolean) =>
    BackendProcess.start({
      configFile: path.join(dataDir, 'override.yaml'),
      config: embeddedConfig(dataDir, port, {
        goldenPaths: {
          sourceHost: { path: path.join(dataDir, 'git', 'repos') },
          testing: { pauses },
        },
        scaffolder: { concurrentTasksLimit: count + 10 },
      }),
    });
  let backend = await start(true);
  try {
    const guest = async () =>
      apiClient(backend.baseUrl, await backend.guestToken());
    let api = await guest();
    await eventually(async () => {
      const res = await api(
        'GET',
        '/api/catalog/entities/by-name/user/default/guest',
      );
      const tpl = await api(
        'GET',
        '/api/catalog/entities/by-name/template/default/service-nodejs',
      );
      return (res.status === 200 && tpl.status === 200) || undefined;
    }, 'the catalog');
    api = await guest();
    const pause = 'after:publish-gitops';
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(
        await startTask(
          api,
          'service-nodejs',
          { ...goldenPathValues['service-nodejs'], name: `bench-crash-${i}` },
          pause,
        ),
      );
    }
    await Promise.all(ids.map(id => heldAt(api, id, pause)));

    await backend.kill();
    const killedAt = Date.now();
    backend = await start(false);
    const readyAt = Date.now();
    api = await guest();
    const ended = await Promise.all(
      ids.map(id =>
        eventually(
          async () => {
            const res = await api('GET', `/api/scaffolder/v2/tasks/${id}`);
            return ['completed', 'failed'].includes(res.body?.status)
              ? { status: res.body.status as string, at: Date.now() }
              : undefined;
          },
          'the run to end',
          1200,
        ),
      ),
    );
    const after = ended.map(e => e.at - readyAt);
    const s = (n: number) => `${(n / 1000).toFixed(1)} s`;
    process.stdout.write(
      [
        '',
        `Runs killed after their GitOps commit, backend restarted (embedded default, SQLite; ${count} runs)`,
        '| measured | p50 | p95 | max |',
        '| --- | --- | --- | --- |',
        `| restart: kill -> ready | ${s(readyAt - killedAt)} | | |`,
        `| ready -> run ended | ${s(percentile(after, 50))} | ${s(
          percentile(after, 95),
        )} | ${s(Math.max(...after))} |`,
        `completed: ${
          ended.filter(e => e.status === 'completed').length
        } of ${count}`,
        '',
      ].join('\n'),
    );
  } finally {
    await backend.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error}\n`);
    process.exit(1);
  },
);
