import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { LocalGitHost } from '@causeway/plugin-gitops-node';
import type {
  EntityScorecard,
  GateResponse,
} from '@causeway/plugin-scorecard-common';
import { apiClient, eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import { startCausewayBackend } from './__testUtils__/startCausewayBackend';
import {
  authModuleTestSignIn,
  signInAs,
} from './__testUtils__/testSignInProvider';

jest.setTimeout(240_000);

/*
 * The gate and the Scorecard tab on a stale result: commits land in the
 * GitOps repository and the source repository with nothing telling the
 * portal (no change event, no hook, the head poll and the scheduled run an
 * hour away), and the gate still answers for them, saying which commits
 * it graded.
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
    level: silver
    appliesTo: { kind: Component }
    rule: { fact: source.hasReadme, equals: true }
    fix: { text: Add a README.md. }
`;

const NAME = 'gated-service';
const REF = `component:default/${NAME}`;
const FOLDER = `apps/production/payments/${NAME}`;
const GATE = `/api/scorecard/gate/component/default/${NAME}`;

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

/**
 * Replaces a folder of a clone with these files, commits, and puts the
 * commit on the bare repository's main branch by fetching it there: no
 * receive hook runs, so nothing tells the portal. Returns the commit.
 */
async function commitUnannounced(
  clone: string,
  bare: string,
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
  const sha = await git(clone, 'rev-parse', 'HEAD');
  await git(bare, 'fetch', '--quiet', clone, `+${sha}:refs/heads/main`);
  return sha;
}

describe.each(backendDatabaseIds)('a gate never stale on %s', databaseId => {
  let stop: () => Promise<void>;
  let scratch: string;
  let gitopsPath: string;
  let sourcePath: string;
  let gitopsClone: string;
  let sourceClone: string;
  let api: ReturnType<typeof apiClient>;

  const gate = async (minLevel: string): Promise<GateResponse> => {
    const res = await api('GET', `${GATE}?minLevel=${minLevel}`);
    if (res.status !== 200) {
      throw new Error(`gate: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body;
  };
  const blocking = (answer: GateResponse) =>
    answer.blocking.map(b => b.checkId).sort();

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-fresh-'));
    const checksDir = path.join(scratch, 'checks');
    fs.mkdirSync(checksDir);
    fs.writeFileSync(path.join(checksDir, 'checks.yaml'), CHECKS);
    const reposPath = path.join(scratch, 'repos');
    gitopsPath = path.join(scratch, 'gitops.git');
    const host = new LocalGitHost({ root: reposPath });
    sourcePath = host.repositoryPath(NAME);
    const entityFile = path.join(scratch, 'entity.yaml');
    fs.writeFileSync(
      entityFile,
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${NAME}
  annotations:
    causeway.dev/gitops-path: ${FOLDER}
    backstage.io/source-location: url:${pathToFileURL(sourcePath).href}
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
          // Nothing but the gate itself grades the commits below.
          schedule: { frequency: 'PT1H' },
          catalogPoll: { frequency: { seconds: 1 } },
          headPoll: { frequency: 'PT1H' },
        },
      },
    });
    stop = started.stop;
    const baseUrl = started.backend.baseUrl;
    api = apiClient(
      baseUrl,
      await eventually(() => signInAs(baseUrl, 'alice'), 'sign-in'),
    );
    // No receive hook reports a push to the portal.
    fs.rmSync(path.join(host.hooksDir, 'post-receive'), { force: true });

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

    // The catalog poll grades the entity once the catalog has it.
    await eventually(
      () => gate('bronze').catch(() => undefined),
      'the first evaluation',
    );
  });

  afterAll(async () => {
    await stop?.();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('grades a commit nothing announced before answering, and says which commits it graded', async () => {
    const sourceHead = await git(sourceClone, 'rev-parse', 'HEAD');
    const good = await commitUnannounced(
      gitopsClone,
      gitopsPath,
      FOLDER,
      manifests(2, true),
    );
    const passing = await gate('bronze');
    expect(passing).toMatchObject({ pass: true, level: 'bronze' });
    expect(passing.graded).toEqual({
      gitops: { commit: good },
      source: { commit: sourceHead },
    });

    // Fresh: answered from the store, not graded again.
    const again = await gate('bronze');
    expect(again.evaluatedAt).toBe(passing.evaluatedAt);
    expect(again.graded).toEqual(passing.graded);

    // What a careless merge does: the PDB deleted, one replica.
    const bad = await commitUnannounced(
      gitopsClone,
      gitopsPath,
      FOLDER,
      manifests(1, false),
    );
    const failing = await gate('bronze');
    expect(failing).toMatchObject({ pass: false, level: 'none' });
    expect(blocking(failing)).toEqual(['hpa-min', 'pdb']);
    expect(failing.graded.gitops).toEqual({ commit: bad });
    expect(failing.evaluatedAt > passing.evaluatedAt).toBe(true);
  });

  it('grades once for reads that arrive together', async () => {
    const sha = await commitUnannounced(
      gitopsClone,
      gitopsPath,
      FOLDER,
      manifests(1, true),
    );
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => gate('bronze')),
    );
    // Each evaluation stamps its own time: one time, one evaluation.
    expect(new Set(answers.map(a => a.evaluatedAt)).size).toBe(1);
    for (const answer of answers) {
      expect(answer.graded.gitops).toEqual({ commit: sha });
      expect(blocking(answer)).toEqual(['hpa-min']);
    }
    await commitUnannounced(
      gitopsClone,
      gitopsPath,
      FOLDER,
      manifests(1, false),
    );
  });

  it("does not grade again for a commit to another service's folder", async () => {
    const before = await gate('bronze');
    await commitUnannounced(
      gitopsClone,
      gitopsPath,
      'apps/production/payments/other-service',
      manifests(3, true),
    );
    const after = await gate('bronze');
    expect(after.evaluatedAt).toBe(before.evaluatedAt);
    // Still the commit its folder was graded at: the same files since.
    expect(after.graded).toEqual(before.graded);
    expect(after.pass).toBe(false);
  });

  it('grades a commit to the source repository before answering', async () => {
    const before = await gate('silver');
    expect(blocking(before)).toEqual(['hpa-min', 'pdb', 'readme']);
    const readme = await commitUnannounced(sourceClone, sourcePath, '', {
      'README.md': '# Gated service\n',
    });
    const after = await gate('silver');
    expect(blocking(after)).toEqual(['hpa-min', 'pdb']);
    // Graded again as a whole: at the GitOps repository's head as well.
    expect(after.graded).toEqual({
      source: { commit: readme },
      gitops: { commit: await git(gitopsClone, 'rev-parse', 'HEAD') },
    });
  });

  it('serves the Scorecard tab graded at the current commits too', async () => {
    const fixed = await commitUnannounced(
      gitopsClone,
      gitopsPath,
      FOLDER,
      manifests(2, true),
    );
    const res = await api(
      'GET',
      `/api/scorecard/entities/component/default/${NAME}`,
    );
    expect(res.status).toBe(200);
    const tab = res.body as EntityScorecard;
    expect(tab.entityRef).toBe(REF);
    // No check is gold: passing every one reaches it.
    expect(tab.level).toBe('gold');
    expect(tab.graded.gitops).toEqual({ commit: fixed });
    expect(
      Object.fromEntries(tab.results.map(r => [r.checkId, r.status])),
    ).toEqual({ pdb: 'pass', 'hpa-min': 'pass', readme: 'pass' });
    // And the gate agrees without grading again.
    const answer = await gate('silver');
    expect(answer).toMatchObject({ pass: true, evaluatedAt: tab.evaluatedAt });
  });
});
