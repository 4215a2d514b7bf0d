import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { LocalGitHost } from '@causeway/plugin-gitops-node';
import { apiClient, eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import { startCausewayBackend } from './__testUtils__/startCausewayBackend';
import {
  authModuleTestSignIn,
  signInAs,
} from './__testUtils__/testSignInProvider';

jest.setTimeout(240_000);

/*
 * Pushes the portal did not make re-grade what they touch: a direct `git
 * push` to the local GitOps repository and to a source repository, told by
 * the repositories' post-receive hook; and, with the hook gone, by the head
 * poll. The scheduled run is 10 minutes away throughout.
 */
const CHECKS = `checks:
  - id: pdb
    title: PodDisruptionBudget
    description: Voluntary evictions keep a replica.
    level: bronze
    appliesTo: { kind: Component }
    rule: { fact: gitops.hasPodDisruptionBudget, equals: true }
    fix: { text: Add a PodDisruptionBudget. }
  - id: hpa-min
    title: At least two replicas
    description: One pod is no redundancy.
    level: bronze
    appliesTo: { kind: Component }
    rule: { fact: gitops.hpaMinReplicas, gte: 2 }
    fix: { text: Set minReplicas to 2. }
  - id: readme
    title: README
    description: Newcomers start there.
    level: bronze
    appliesTo: { kind: Component }
    rule: { fact: source.hasReadme, equals: true }
    fix: { text: Add a README.md. }
`;

const NAME = 'hook-service';
const FOLDER = `apps/production/payments/${NAME}`;

const manifests = (minReplicas: number, pdb: boolean) => ({
  'deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${NAME}, namespace: payments }
spec:
  selector: { matchLabels: { app: ${NAME} } }
  template:
    metadata: { labels: { app: ${NAME} } }
    spec:
      containers:
        - name: app
          image: registry.example.com/${NAME}:1
`,
  'hpa.yaml': `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${NAME}, namespace: payments }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${NAME} }
  minReplicas: ${minReplicas}
  maxReplicas: 5
`,
  ...(pdb
    ? {
        'pdb.yaml': `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${NAME}, namespace: payments }
spec:
  minAvailable: 1
  selector: { matchLabels: { app: ${NAME} } }
`,
      }
    : {}),
});

const run = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
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
  ).then(r => r.stdout.trim());

/** Replaces a folder of a clone with these files, commits and pushes. */
async function push(
  clone: string,
  folder: string,
  files: Record<string, string>,
) {
  if (folder) {
    fs.rmSync(path.join(clone, folder), { recursive: true, force: true });
    fs.mkdirSync(path.join(clone, folder), { recursive: true });
  }
  for (const [file, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(clone, folder, file), content);
  }
  await git(clone, 'add', '--all');
  await git(clone, 'commit', '--quiet', '-m', `Change ${folder || 'files'}`);
  // Not execFileSync: the hook calls the backend in this process.
  const { stderr } = await run(
    'git',
    ['push', '--quiet', 'origin', 'HEAD:main'],
    {
      cwd: clone,
    },
  );
  return stderr;
}

describe.each(backendDatabaseIds)('pushes re-grade on %s', databaseId => {
  let stop: () => Promise<void>;
  let baseUrl: string;
  let scratch: string;
  let gitopsClone: string;
  let sourceClone: string;
  let hooksDir: string;
  let api: ReturnType<typeof apiClient>;

  /*
   * The stored results, from the overview: the entity's own page would
   * grade a stale result before answering, which would hide whether the
   * push itself re-graded.
   */
  const statuses = async () => {
    const ref = `component:default/${NAME}`;
    const listed = async (query: string) => {
      const res = await api('GET', `/api/scorecard/overview?limit=500${query}`);
      if (res.status !== 200) throw new Error(`overview: ${res.status}`);
      return (res.body.items as Array<{ entityRef: string }>).some(
        i => i.entityRef === ref,
      );
    };
    if (!(await listed(''))) return undefined;
    const result: Record<string, string> = {};
    for (const check of ['pdb', 'hpa-min', 'readme']) {
      result[check] = (await listed(`&failingCheck=${check}`))
        ? 'fail'
        : 'pass';
    }
    return result;
  };
  const until = (want: Record<string, string>, what: string) =>
    eventually(async () => {
      const now = await statuses();
      return now &&
        Object.entries(want).every(([check, status]) => now[check] === status)
        ? now
        : undefined;
    }, what);

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-pushes-'));
    const checksDir = path.join(scratch, 'checks');
    fs.mkdirSync(checksDir);
    fs.writeFileSync(path.join(checksDir, 'checks.yaml'), CHECKS);
    const reposPath = path.join(scratch, 'repos');
    const gitopsPath = path.join(scratch, 'gitops.git');
    const host = new LocalGitHost({ root: reposPath });
    hooksDir = host.hooksDir;
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

    const started = await startCausewayBackend({
      database: databaseId,
      extraFeatures: [authModuleTestSignIn],
      extraLocations: [{ type: 'file', target: entityFile }],
      config: {
        auth: { providers: { test: {} } },
        gitops: { repository: { url: gitopsPath } },
        goldenPaths: { sourceHost: { path: reposPath } },
        scorecard: {
          checks: { directory: checksDir },
          schedule: { frequency: 'PT10M' },
          catalogPoll: { frequency: { seconds: 1 } },
          // Only the hook, until the last test stops it.
          headPoll: { frequency: 'PT1H' },
        },
      },
    });
    stop = started.stop;
    baseUrl = started.backend.baseUrl;
    api = apiClient(
      baseUrl,
      await eventually(() => signInAs(baseUrl, 'alice'), 'sign-in'),
    );

    // The service's source repository, made as a golden path makes it.
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
    sourceClone = path.join(scratch, 'source-clone');
    await git(scratch, 'clone', '--quiet', host.url(NAME), sourceClone);
    gitopsClone = path.join(scratch, 'gitops-clone');
    await git(scratch, 'clone', '--quiet', gitopsPath, gitopsClone);
  });

  afterAll(async () => {
    await stop?.();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('a direct push to the GitOps repository re-grades the service whose folder it changed', async () => {
    const said = await push(gitopsClone, FOLDER, manifests(2, true));
    expect(said).not.toContain('causeway:');
    await until(
      { pdb: 'pass', 'hpa-min': 'pass', readme: 'fail' },
      'the manifests graded',
    );

    // What a careless merge does: the PDB gone, one replica.
    await push(gitopsClone, FOLDER, manifests(1, false));
    await until({ pdb: 'fail', 'hpa-min': 'fail' }, 'the push re-graded');
  });

  it('a direct push to a source repository re-grades its service', async () => {
    expect((await statuses())?.readme).toBe('fail');
    await push(sourceClone, '', {
      'catalog-info.yaml': 'kind: Component\n',
      'README.md': '# Hook service\n',
    });
    await until({ readme: 'pass' }, 'the README push re-graded');
  });

  it('refuses the hook endpoint without the secret, and bad input with it', async () => {
    const endpoint = `${baseUrl}/api/scorecard/git-hooks/post-receive`;
    const body = JSON.stringify({
      repository: path.join(scratch, 'gitops.git'),
      updates: `${'0'.repeat(40)} ${'a'.repeat(40)} refs/heads/main\n`,
    });
    const post = (headers: Record<string, string>, text = body) =>
      fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: text,
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-causeway-hook-secret': 'guess' })).status).toBe(
      401,
    );
    // A user's token is no hook secret.
    const token = await signInAs(baseUrl, 'alice');
    expect((await post({ authorization: `Bearer ${token}` })).status).toBe(401);

    const secret = fs
      .readFileSync(path.join(hooksDir, 'secret'), 'utf8')
      .trim();
    expect(fs.statSync(path.join(hooksDir, 'secret')).mode & 0o777).toBe(0o600);
    const withSecret = { 'x-causeway-hook-secret': secret };
    const bad = JSON.stringify({
      repository: path.join(scratch, 'gitops.git'),
      updates: `${'0'.repeat(40)} $(touch /tmp/x) refs/heads/main\n`,
    });
    expect((await post(withSecret, bad)).status).toBe(400);
    const elsewhere = JSON.stringify({
      repository: '/etc',
      updates: `${'0'.repeat(40)} ${'a'.repeat(40)} refs/heads/main\n`,
    });
    expect((await post(withSecret, elsewhere)).status).toBe(400);
  });

  it('a push that no hook reports (the portal down, or the hook removed) is found by the head poll', async () => {
    fs.rmSync(path.join(hooksDir, 'post-receive'));
    await push(gitopsClone, FOLDER, manifests(3, true));
    // The hook is gone: nothing re-grades until the poll runs.
    const before = await statuses();
    expect(before).toMatchObject({ pdb: 'fail', 'hpa-min': 'fail' });
    const res = await api(
      'POST',
      '/api/scorecard/.backstage/scheduler/v1/tasks/scorecard-gitops-head-poll/trigger',
    );
    expect(res.status).toBeLessThan(300);
    await until({ pdb: 'pass', 'hpa-min': 'pass' }, 'the poll re-graded');
  });
});
