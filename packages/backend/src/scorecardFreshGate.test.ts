import fs from 'node:fs';
import path from 'node:path';
import type {
  EntityScorecard,
  GateResponse,
} from '@causeway/plugin-scorecard-common';
import { eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import {
  checksFile,
  commitFiles,
  git,
  GradedService,
  serviceManifests,
  startGradedService,
} from './__testUtils__/gradedService';

jest.setTimeout(240_000);

/*
 * The gate and the Scorecard tab on a stale result: commits land in the
 * GitOps repository and the source repository with nothing telling the
 * portal (no change event, no hook, the head poll and the scheduled run an
 * hour away), and the gate still answers for them, saying which commits
 * it graded.
 */
const NAME = 'gated-service';
const REF = `component:default/${NAME}`;
const FOLDER = `apps/production/payments/${NAME}`;
const GATE = `/api/scorecard/gate/component/default/${NAME}`;

const manifests = (minReplicas: number, pdb: boolean) =>
  serviceManifests(NAME, { minReplicas, pdb });

describe.each(backendDatabaseIds)('a gate never stale on %s', databaseId => {
  let service: GradedService;
  let gitopsPath: string;
  let sourcePath: string;
  let gitopsClone: string;
  let sourceClone: string;

  /**
   * Commits these files in place of a folder of a clone and puts the commit
   * on the bare repository's main branch by fetching it there: no receive
   * hook runs, so nothing tells the portal. Returns the commit.
   */
  const commitUnannounced = async (
    clone: string,
    bare: string,
    folder: string,
    files: Record<string, string>,
  ) => {
    const sha = await commitFiles(clone, folder, files);
    await git(bare, 'fetch', '--quiet', clone, `+${sha}:refs/heads/main`);
    return sha;
  };
  const head = async (clone: string) =>
    (await git(clone, 'rev-parse', 'HEAD')).stdout;

  const gate = async (minLevel: string): Promise<GateResponse> => {
    const res = await service.api('GET', `${GATE}?minLevel=${minLevel}`);
    if (res.status !== 200) {
      throw new Error(`gate: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body;
  };
  const blocking = (answer: GateResponse) =>
    answer.blocking.map(b => b.checkId).sort();

  beforeAll(async () => {
    service = await startGradedService({
      database: databaseId,
      name: NAME,
      checks: checksFile({
        pdb: 'bronze',
        'hpa-min': 'bronze',
        readme: 'silver',
      }),
      scorecard: {
        // Nothing but the gate itself grades the commits below.
        schedule: { frequency: 'PT1H' },
        headPoll: { frequency: 'PT1H' },
      },
    });
    ({ gitopsPath, sourcePath, gitopsClone, sourceClone } = service);
    // No receive hook reports a push to the portal.
    fs.rmSync(path.join(service.host.hooksDir, 'post-receive'), {
      force: true,
    });

    // The catalog poll grades the entity once the catalog has it.
    await eventually(
      () => gate('bronze').catch(() => undefined),
      'the first evaluation',
    );
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('grades a commit nothing announced before answering, and says which commits it graded', async () => {
    const sourceHead = await head(sourceClone);
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
      gitops: { commit: await head(gitopsClone) },
    });
  });

  it('serves the Scorecard tab graded at the current commits too', async () => {
    const fixed = await commitUnannounced(
      gitopsClone,
      gitopsPath,
      FOLDER,
      manifests(2, true),
    );
    const res = await service.api(
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
