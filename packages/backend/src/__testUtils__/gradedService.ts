import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { LocalGitHost } from '@causeway/plugin-gitops-node';
import { apiClient, eventually } from './apiClient';
import { startCausewayBackend } from './startCausewayBackend';
import { authModuleTestSignIn, signInAs } from './testSignInProvider';

/*
 * One service graded from a local GitOps repository and a source repository
 * on the local git host, in a real backend: what the tests and the bench of
 * "the scorecard follows pushes" share.
 */

const CHECKS = {
  pdb: `    title: PodDisruptionBudget
    description: Voluntary evictions keep a replica.
    appliesTo: { kind: Component }
    rule: { fact: gitops.hasPodDisruptionBudget, equals: true }
    fix: { text: Add a PodDisruptionBudget. }`,
  'hpa-min': `    title: At least two replicas
    description: One pod is no redundancy.
    appliesTo: { kind: Component }
    rule: { fact: gitops.hpaMinReplicas, gte: 2 }
    fix: { text: Set minReplicas to 2. }`,
  readme: `    title: README
    description: Newcomers start there.
    appliesTo: { kind: Component }
    rule: { fact: source.hasReadme, equals: true }
    fix: { text: Add a README.md. }`,
};
export type GradedCheckId = keyof typeof CHECKS;

/** A checks file with these checks at these levels. */
export function checksFile(levels: Partial<Record<GradedCheckId, string>>) {
  return `checks:\n${Object.entries(levels)
    .map(
      ([id, level]) =>
        `  - id: ${id}\n    level: ${level}\n${CHECKS[id as GradedCheckId]}\n`,
    )
    .join('')}`;
}

/** A service's manifests: a Deployment, an HPA and maybe a PDB. */
export function serviceManifests(
  name: string,
  options: { minReplicas: number; pdb: boolean },
): Record<string, string> {
  return {
    'deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: payments }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: app
          image: registry.example.com/${name}:1
`,
    'hpa.yaml': `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${name}, namespace: payments }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${name} }
  minReplicas: ${options.minReplicas}
  maxReplicas: 5
`,
    ...(options.pdb
      ? {
          'pdb.yaml': `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${name}, namespace: payments }
spec:
  minAvailable: 1
  selector: { matchLabels: { app: ${name} } }
`,
        }
      : {}),
  };
}

const run = promisify(execFile);

/**
 * git as a developer, asynchronously: a push runs the hook, which calls the
 * backend in this process.
 */
export const git = (cwd: string, ...args: string[]) =>
  run(
    'git',
    [
      '-c',
      'user.name=Bob',
      '-c',
      'user.email=bob@example.com',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd },
  ).then(r => ({ stdout: r.stdout.trim(), stderr: r.stderr }));

/**
 * Replaces a folder of a clone (the clone itself for '') with these files
 * and commits. Returns the commit.
 */
export async function commitFiles(
  clone: string,
  folder: string,
  files: Record<string, string>,
): Promise<string> {
  if (folder) {
    fs.rmSync(path.join(clone, folder), { recursive: true, force: true });
    fs.mkdirSync(path.join(clone, folder), { recursive: true });
  }
  for (const [file, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(clone, folder, file), content);
  }
  await git(clone, 'add', '--all');
  await git(clone, 'commit', '--quiet', '-m', `Change ${folder || 'files'}`);
  return (await git(clone, 'rev-parse', 'HEAD')).stdout;
}

export type GradedService = Awaited<ReturnType<typeof startGradedService>>;

/**
 * A real backend grading `name` (folder apps/production/payments/NAME)
 * with these checks, its source repository made as a golden path makes it,
 * and clones of both repositories to commit to.
 */
export async function startGradedService(options: {
  database: 'SQLITE' | 'POSTGRES';
  name: string;
  checks: string;
  /** scorecard.schedule and scorecard.headPoll. */
  scorecard: Record<string, unknown>;
}) {
  const { name } = options;
  const folder = `apps/production/payments/${name}`;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `graded-${name}-`));
  const checksDir = path.join(scratch, 'checks');
  fs.mkdirSync(checksDir);
  fs.writeFileSync(path.join(checksDir, 'checks.yaml'), options.checks);
  const gitopsPath = path.join(scratch, 'gitops.git');
  const host = new LocalGitHost({ root: path.join(scratch, 'repos') });
  const sourcePath = host.repositoryPath(name);
  const entityFile = path.join(scratch, 'entity.yaml');
  fs.writeFileSync(
    entityFile,
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    causeway.dev/gitops-path: ${folder}
    backstage.io/source-location: url:${pathToFileURL(sourcePath).href}
spec: { type: service, owner: group:default/payments-team, lifecycle: production }
`,
  );

  const { backend, stop } = await startCausewayBackend({
    database: options.database,
    extraFeatures: [authModuleTestSignIn],
    extraLocations: [{ type: 'file', target: entityFile }],
    config: {
      auth: { providers: { test: {} } },
      gitops: { repository: { url: gitopsPath } },
      goldenPaths: { sourceHost: { path: host.root } },
      scorecard: {
        checks: { directory: checksDir },
        catalogPoll: { frequency: { seconds: 1 } },
        ...options.scorecard,
      },
    },
  });
  const baseUrl = backend.baseUrl;
  const api = apiClient(
    baseUrl,
    await eventually(() => signInAs(baseUrl, 'alice'), 'sign-in'),
  );

  const source = path.join(scratch, 'source');
  fs.mkdirSync(source);
  fs.writeFileSync(path.join(source, 'catalog-info.yaml'), 'kind: Component\n');
  await host.create({
    name,
    sourceDir: source,
    message: 'Start',
    author: { name: 'Bob', email: 'bob@example.com' },
  });
  const sourceClone = path.join(scratch, 'source-clone');
  await git(scratch, 'clone', '--quiet', host.url(name), sourceClone);
  const gitopsClone = path.join(scratch, 'gitops-clone');
  await git(scratch, 'clone', '--quiet', gitopsPath, gitopsClone);

  return {
    entityRef: `component:default/${name}`,
    folder,
    baseUrl,
    api,
    host,
    scratch,
    gitopsPath,
    sourcePath,
    gitopsClone,
    sourceClone,
    async stop() {
      await stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * Each check's status in the entity's stored result, read from the
 * overview (stored results only: the entity's own page would grade a stale
 * result first); undefined before its first evaluation.
 */
export async function storedStatuses(
  api: ReturnType<typeof apiClient>,
  entityRef: string,
  checkIds: string[],
): Promise<Record<string, 'pass' | 'fail'> | undefined> {
  const listed = async (query: string) => {
    const res = await api('GET', `/api/scorecard/overview?limit=500${query}`);
    if (res.status !== 200) throw new Error(`overview: ${res.status}`);
    return (res.body.items as Array<{ entityRef: string }>).some(
      i => i.entityRef === entityRef,
    );
  };
  if (!(await listed(''))) return undefined;
  const statuses: Record<string, 'pass' | 'fail'> = {};
  for (const check of checkIds) {
    statuses[check] = (await listed(`&failingCheck=${check}`))
      ? 'fail'
      : 'pass';
  }
  return statuses;
}
