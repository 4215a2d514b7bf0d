/*
 * Benchmark: time from a direct `git push` to the local GitOps repository
 * (the embedded default: SQLite, local repositories, the post-receive hook)
 * until the re-graded result is stored, read from the overview (stored
 * results, nothing graded on read); the same for a push to the service's
 * source repository on the local git host. Each push flips a file: the
 * service's PodDisruptionBudget, then its README.md.
 *
 *   source scripts/env.sh && (cd bench && yarn bench:push-regrade)
 *
 * Settings (environment): PUSH_BENCH_PUSHES (30).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  checksFile,
  commitFiles,
  git,
  serviceManifests,
  startGradedService,
  storedStatuses,
} from '../packages/backend/src/__testUtils__/gradedService';
import { percentile } from './scorecard-load';

const PUSHES = Number(process.env.PUSH_BENCH_PUSHES ?? 30);
const NAME = 'bench-service';
const manifests = serviceManifests(NAME, { minReplicas: 2, pdb: true });

async function main() {
  const service = await startGradedService({
    database: 'SQLITE',
    name: NAME,
    checks: checksFile({ pdb: 'bronze', readme: 'bronze' }),
    scorecard: {
      schedule: { frequency: 'PT1H' },
      headPoll: { frequency: 'PT1H' },
    },
  });
  const { gitopsClone, sourceClone, folder } = service;
  try {
    const statuses = (checkIds: string[]) =>
      storedStatuses(service.api, service.entityRef, checkIds);
    const fails = async (check: string) =>
      (await statuses([check]))?.[check] === 'fail';
    const waitFor = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 6000; i++) {
        if (await check()) return;
        await new Promise(resolve => setTimeout(resolve, 10));
      }
      throw new Error('gave up after 60 s');
    };
    await waitFor(async () => (await statuses([])) !== undefined);
    await commitFiles(gitopsClone, folder, {
      'deployment.yaml': manifests['deployment.yaml'],
    });

    /** Pushes that flip a file on and off, timed from push to stored result. */
    const timePushes = async (
      clone: string,
      file: string,
      content: string,
      check: string,
    ) => {
      const times: number[] = [];
      for (let i = 0; i <= PUSHES; i++) {
        const present = i % 2 === 0;
        if (present) fs.writeFileSync(path.join(clone, file), content);
        else fs.rmSync(path.join(clone, file), { force: true });
        await git(clone, 'add', '--all');
        await git(clone, 'commit', '--quiet', '-m', `Push ${i}`);
        const start = performance.now();
        await git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
        await waitFor(async () => (await fails(check)) !== present);
        // The first push also makes what the service reads: not timed.
        if (i > 0) times.push(performance.now() - start);
      }
      return times;
    };
    const gitopsTimes = await timePushes(
      gitopsClone,
      `${folder}/pdb.yaml`,
      manifests['pdb.yaml'],
      'pdb',
    );
    const sourceTimes = await timePushes(
      sourceClone,
      'README.md',
      '# Bench service\n',
      'readme',
    );
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    const row = (what: string, times: number[]) =>
      `| ${what} | ${times.length} | ${ms(percentile(times, 50))} | ${ms(
        percentile(times, 95),
      )} | ${ms(Math.max(...times))} |`;
    process.stdout.write(
      [
        '',
        'Direct git push -> re-graded result stored (embedded default: SQLite, local repositories, post-receive hook)',
        '| push to | pushes | p50 | p95 | max |',
        '| --- | --- | --- | --- | --- |',
        row('the GitOps repository (a PodDisruptionBudget)', gitopsTimes),
        row('a source repository (README.md)', sourceTimes),
        '',
      ].join('\n'),
    );
  } finally {
    await service.stop();
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error}\n`);
    process.exit(1);
  },
);
