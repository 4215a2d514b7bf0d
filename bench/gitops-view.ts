/*
 * Benchmark: the entity page's GitOps view on a remote GitOps repository
 * (git smart HTTP: git http-backend behind basic auth, as a hosted git
 * server), with GitOpsViewService as the gitops backend plugin builds it
 * (an in-memory catalog, no cluster configured: git only).
 *
 *   source scripts/env.sh && yarn bench:gitops-view
 *
 * The repository holds GITOPS_VIEW_BENCH_SERVICES services (400), each a
 * folder apps/production/TEAM/NAME of three manifests, in 20 teams. Three
 * measures, each with the fetches the git host served (ref advertisements:
 * one per git fetch) per view, and the median and p95 of a view:
 *
 * 1. 200 views of random services, one at a time, nobody pushing.
 * 2. Views of random services, 20 in flight for 15 s, while another
 *    writer pushes a commit to the git host every 250 ms (the head moves
 *    all the time): the reads fetch at most every few seconds.
 * 3. 20 views of an entity whose causeway.dev/gitops-path names `apps`
 *    (the whole repository): what it lists and parses, or its refusal.
 *
 * Progress goes to stderr, the table to stdout.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GitOpsViewService } from '../plugins/gitops-backend/src/service/GitOpsViewService';
import { startGitHttpServer } from '../plugins/gitops-node/src/__testUtils__/repositories';
import { GitOpsRepository } from '../plugins/gitops-node/src/GitOpsRepository';
import { KubernetesClusters } from '../plugins/gitops-node/src/cluster/KubernetesClusters';
import { SeededRandom } from './fixtures/random';
import { median, percentile } from './scorecard-load';
import { silentLogger } from './fixtures/silentLogger';

const SERVICES = Number(process.env.GITOPS_VIEW_BENCH_SERVICES ?? 400);
const TEAMS = 20;
const VIEWS = 200;
const IN_FLIGHT = 20;
const PUSH_EVERY_MS = 250;
const APPS_VIEWS = 20;
const LOAD_SECONDS = 15;

const silent = silentLogger;
const progress = (message: string) => process.stderr.write(`${message}\n`);
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

const teamOf = (i: number) => `team-${i % TEAMS}`;
const nameOf = (i: number) => `service-${i}`;

function manifests(team: string, name: string): Record<string, string> {
  const labels = `  labels:\n    app.kubernetes.io/name: ${name}\n    causeway.dev/owner: ${team}\n`;
  return {
    'deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${team}\n${labels}spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${name}\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: ${name}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/${name}@sha256:${'ab'.repeat(
      32,
    )}\n`,
    'service.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${team}\n${labels}spec:\n  selector:\n    app.kubernetes.io/name: ${name}\n  ports:\n    - port: 80\n      targetPort: 8080\n`,
    'kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\n`,
  };
}

const entityOf = (name: string, team: string, gitopsPath: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'causeway.dev/gitops-path': gitopsPath },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: `group:default/${team}`,
  },
});

async function timed<T>(work: () => Promise<T>) {
  const start = performance.now();
  const value = await work().catch(error => error as Error);
  return { ms: performance.now() - start, value };
}

async function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-view-'));
  const bare = path.join(scratch, 'gitops.git');
  const work = path.join(scratch, 'work');
  git(scratch, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(scratch, 'clone', '--quiet', bare, work);
  for (let i = 0; i < SERVICES; i++) {
    const dir = path.join(work, 'apps/production', teamOf(i), nameOf(i));
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(
      manifests(teamOf(i), nameOf(i)),
    )) {
      fs.writeFileSync(path.join(dir, file), content);
    }
  }
  const commit = (message: string) => {
    git(work, 'add', '--all');
    git(
      work,
      '-c',
      'user.name=Bench',
      '-c',
      'user.email=bench@example.com',
      'commit',
      '--quiet',
      '-m',
      message,
    );
    git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  };
  commit('Services');
  progress(`${SERVICES} services in ${bare}`);

  const password = 'bench-t0ken';
  const server = await startGitHttpServer({
    projectRoot: scratch,
    username: 'causeway-bot',
    password,
  });
  const repository = new GitOpsRepository({
    url: `${server.url}/gitops.git`,
    branch: 'main',
    credentials: { username: 'causeway-bot', password },
    logger: silent,
  });
  const entities = Array.from({ length: SERVICES }, (_, i) =>
    entityOf(nameOf(i), teamOf(i), `apps/production/${teamOf(i)}/${nameOf(i)}`),
  );
  entities.push(entityOf('apps-reader', 'team-0', 'apps'));
  const views = new GitOpsViewService({
    catalog: catalogServiceMock({ entities }),
    repository,
    clusters: KubernetesClusters.fromConfig(
      mockServices.rootConfig({ data: {} }),
      silent,
    ),
    permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
    platformApis: [],
  });
  const credentials = mockCredentials.user('user:default/alice');
  const view = (name: string) =>
    views.view({ kind: 'component', namespace: 'default', name }, credentials);
  // One ref advertisement per git fetch (or clone) from the host.
  const fetches = () =>
    server.requests.filter(
      r => r.method === 'GET' && r.path.endsWith('/info/refs'),
    ).length;
  const random = new SeededRandom(42);
  const pick = () => nameOf(Math.floor(random.next() * SERVICES));

  // The first view clones; it is not measured.
  await view(pick());
  const rows: string[][] = [
    [
      'measure',
      'views',
      'fetches from the git host',
      'fetches per view',
      'median',
      'p95',
      'result',
    ],
  ];
  const row = (
    measure: string,
    results: Array<{ ms: number; value: unknown }>,
    fetched: number,
  ) => {
    const times = results.map(r => r.ms);
    const failed = results.filter(r => r.value instanceof Error);
    rows.push([
      measure,
      String(results.length),
      String(fetched),
      (fetched / results.length).toFixed(2),
      `${median(times).toFixed(1)} ms`,
      `${percentile(times, 95).toFixed(1)} ms`,
      failed.length
        ? `${failed.length} refused: ${(failed[0].value as Error).message.slice(
            0,
            60,
          )}...`
        : `${(results[0].value as any).files.length} files in the first`,
    ]);
  };

  progress('1. one at a time, nobody pushing');
  let before = fetches();
  const sequential = [];
  for (let i = 0; i < VIEWS; i++)
    sequential.push(await timed(() => view(pick())));
  row('own folder, one at a time', sequential, fetches() - before);

  progress(`2. ${IN_FLIGHT} in flight, a push every ${PUSH_EVERY_MS} ms`);
  let pushes = 0;
  let pushing = true;
  const pusher = (async () => {
    while (pushing) {
      const i = pushes % SERVICES;
      fs.writeFileSync(
        path.join(work, 'apps/production', teamOf(i), nameOf(i), 'note.txt'),
        `${pushes}\n`,
      );
      commit(`Push ${pushes++}`);
      await new Promise(resolve => setTimeout(resolve, PUSH_EVERY_MS));
    }
  })();
  before = fetches();
  const concurrent: Array<{ ms: number; value: unknown }> = [];
  const until = performance.now() + LOAD_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < until) {
        concurrent.push(await timed(() => view(pick())));
      }
    }),
  );
  pushing = false;
  await pusher;
  row(
    `own folder, ${IN_FLIGHT} in flight for ${LOAD_SECONDS} s, ${pushes} pushes meanwhile`,
    concurrent,
    fetches() - before,
  );

  progress('3. an entity naming apps');
  before = fetches();
  const apps = [];
  for (let i = 0; i < APPS_VIEWS; i++)
    apps.push(await timed(() => view('apps-reader')));
  row('gitops-path: apps', apps, fetches() - before);

  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
  const line = (r: string[]) =>
    `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  process.stdout.write(
    `${[
      `GitOps view over smart HTTP, ${SERVICES} services, load ${os
        .loadavg()
        .map(l => l.toFixed(1))
        .join(' ')}`,
      line(rows[0]),
      `| ${widths.map(w => '-'.repeat(w)).join(' | ')} |`,
      ...rows.slice(1).map(line),
    ].join('\n')}\n`,
  );
  await repository.close();
  await server.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
