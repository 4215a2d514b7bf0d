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
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { LocalGitHost } from '@causeway/plugin-gitops-node';
import {
  apiClient,
  eventually,
} from '../packages/backend/src/__testUtils__/apiClient';
import { startCausewayBackend } from '../packages/backend/src/__testUtils__/startCausewayBackend';
import {
  authModuleTestSignIn,
  signInAs,
} from '../packages/backend/src/__testUtils__/testSignInProvider';
import { percentile } from './scorecard-load';

const PUSHES = Number(process.env.PUSH_BENCH_PUSHES ?? 30);
const NAME = 'bench-service';
const FOLDER = `apps/production/payments/${NAME}`;
const REF = `component:default/${NAME}`;
const CHECKS = `checks:
  - id: pdb
    title: PodDisruptionBudget
    description: Voluntary evictions keep a replica.
    level: bronze
    appliesTo: { kind: Component }
    rule: { fact: gitops.hasPodDisruptionBudget, equals: true }
    fix: { text: Add a PodDisruptionBudget. }
  - id: readme
    title: README
    description: Newcomers start there.
    level: bronze
    appliesTo: { kind: Component }
    rule: { fact: source.hasReadme, equals: true }
    fix: { text: Add a README.md. }
`;
const run = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  run(
    'git',
    ['-c', 'user.name=Bob', '-c', 'user.email=bob@example.com', ...args],
    { cwd },
  );

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${NAME}, namespace: payments }
spec:
  selector: { matchLabels: { app: ${NAME} } }
  template:
    metadata: { labels: { app: ${NAME} } }
    spec:
      containers: [{ name: app, image: registry.example.com/${NAME}:1 }]
`;
const pdb = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${NAME}, namespace: payments }
spec:
  minAvailable: 1
  selector: { matchLabels: { app: ${NAME} } }
`;

async function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'push-bench-'));
  const checksDir = path.join(scratch, 'checks');
  fs.mkdirSync(checksDir);
  fs.writeFileSync(path.join(checksDir, 'checks.yaml'), CHECKS);
  const gitopsPath = path.join(scratch, 'gitops.git');
  const host = new LocalGitHost({ root: path.join(scratch, 'repos') });
  const entityFile = path.join(scratch, 'entity.yaml');
  fs.writeFileSync(
    entityFile,
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${NAME}
  annotations:
    causeway.dev/gitops-path: ${FOLDER}
    backstage.io/source-location: url:${
      pathToFileURL(host.repositoryPath(NAME)).href
    }
spec: { type: service, owner: group:default/payments-team, lifecycle: production }
`,
  );
  const { backend, stop } = await startCausewayBackend({
    database: 'SQLITE',
    extraFeatures: [authModuleTestSignIn],
    extraLocations: [{ type: 'file', target: entityFile }],
    config: {
      auth: { providers: { test: {} } },
      gitops: { repository: { url: gitopsPath } },
      goldenPaths: { sourceHost: { path: host.root } },
      scorecard: {
        checks: { directory: checksDir },
        schedule: { frequency: 'PT1H' },
        catalogPoll: { frequency: { seconds: 1 } },
        headPoll: { frequency: 'PT1H' },
      },
    },
  });
  try {
    const api = apiClient(
      backend.baseUrl,
      await eventually(() => signInAs(backend.baseUrl, 'alice'), 'sign-in'),
    );
    const fails = async (check: string) => {
      const res = await api(
        'GET',
        `/api/scorecard/overview?limit=500&failingCheck=${check}`,
      );
      return (res.body?.items ?? []).some(
        (i: { entityRef: string }) => i.entityRef === REF,
      );
    };
    const graded = async () => {
      const res = await api('GET', '/api/scorecard/overview?limit=500');
      return (res.body?.items ?? []).some(
        (i: { entityRef: string }) => i.entityRef === REF,
      );
    };
    const waitFor = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 6000; i++) {
        if (await check()) return;
        await new Promise(resolve => setTimeout(resolve, 10));
      }
      throw new Error('gave up after 60 s');
    };
    await waitFor(graded);
    const source = path.join(scratch, 'source');
    fs.mkdirSync(source);
    fs.writeFileSync(
      path.join(source, 'catalog-info.yaml'),
      'kind: Component\n',
    );
    await host.create({
      name: NAME,
      sourceDir: source,
      message: 'Start',
      author: { name: 'Bob', email: 'bob@example.com' },
    });
    const gitopsClone = path.join(scratch, 'gitops-clone');
    await git(scratch, 'clone', '--quiet', gitopsPath, gitopsClone);
    fs.mkdirSync(path.join(gitopsClone, FOLDER), { recursive: true });
    fs.writeFileSync(
      path.join(gitopsClone, FOLDER, 'deployment.yaml'),
      deployment,
    );
    const sourceClone = path.join(scratch, 'source-clone');
    await git(scratch, 'clone', '--quiet', host.url(NAME), sourceClone);

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
      `${FOLDER}/pdb.yaml`,
      pdb,
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
    await stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error}\n`);
    process.exit(1);
  },
);
