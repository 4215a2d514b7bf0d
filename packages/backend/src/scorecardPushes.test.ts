import fs from 'node:fs';
import path from 'node:path';
import { eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import {
  checksFile,
  commitFiles,
  git,
  GradedService,
  serviceManifests,
  startGradedService,
  storedStatuses,
} from './__testUtils__/gradedService';
import { signInAs } from './__testUtils__/testSignInProvider';

jest.setTimeout(240_000);

/*
 * Pushes the portal did not make re-grade what they touch: a direct `git
 * push` to the local GitOps repository and to a source repository, told by
 * the repositories' post-receive hook; and, with the hook gone, by the head
 * poll. The scheduled run is 10 minutes away throughout.
 */
const NAME = 'hook-service';
const CHECK_IDS = ['pdb', 'hpa-min', 'readme'];
const manifests = (minReplicas: number, pdb: boolean) =>
  serviceManifests(NAME, { minReplicas, pdb });

/** Commits these files in place of a folder and pushes; git's stderr. */
async function push(
  clone: string,
  folder: string,
  files: Record<string, string>,
) {
  await commitFiles(clone, folder, files);
  return (await git(clone, 'push', '--quiet', 'origin', 'HEAD:main')).stderr;
}

describe.each(backendDatabaseIds)('pushes re-grade on %s', databaseId => {
  let service: GradedService;

  const until = (want: Record<string, string>, what: string) =>
    eventually(async () => {
      const now = await storedStatuses(
        service.api,
        service.entityRef,
        CHECK_IDS,
      );
      return now &&
        Object.entries(want).every(([check, status]) => now[check] === status)
        ? now
        : undefined;
    }, what);

  beforeAll(async () => {
    service = await startGradedService({
      database: databaseId,
      name: NAME,
      checks: checksFile({
        pdb: 'bronze',
        'hpa-min': 'bronze',
        readme: 'bronze',
      }),
      scorecard: {
        schedule: { frequency: 'PT10M' },
        // Only the hook, until the last test stops it.
        headPoll: { frequency: 'PT1H' },
      },
    });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('a direct push to the GitOps repository re-grades the service whose folder it changed', async () => {
    const said = await push(
      service.gitopsClone,
      service.folder,
      manifests(2, true),
    );
    expect(said).not.toContain('causeway:');
    await until(
      { pdb: 'pass', 'hpa-min': 'pass', readme: 'fail' },
      'the manifests graded',
    );

    // What a careless merge does: the PDB gone, one replica.
    await push(service.gitopsClone, service.folder, manifests(1, false));
    await until({ pdb: 'fail', 'hpa-min': 'fail' }, 'the push re-graded');
  });

  it('a direct push to a source repository re-grades its service', async () => {
    expect(
      (await storedStatuses(service.api, service.entityRef, CHECK_IDS))?.readme,
    ).toBe('fail');
    await push(service.sourceClone, '', {
      'catalog-info.yaml': 'kind: Component\n',
      'README.md': '# Hook service\n',
    });
    await until({ readme: 'pass' }, 'the README push re-graded');
  });

  it('refuses the hook endpoint without the secret, and bad input with it', async () => {
    const endpoint = `${service.baseUrl}/api/scorecard/git-hooks/post-receive`;
    const body = JSON.stringify({
      repository: service.gitopsPath,
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
    const token = await signInAs(service.baseUrl, 'alice');
    expect((await post({ authorization: `Bearer ${token}` })).status).toBe(401);

    const secret = fs
      .readFileSync(path.join(service.host.hooksDir, 'secret'), 'utf8')
      .trim();
    expect(
      fs.statSync(path.join(service.host.hooksDir, 'secret')).mode & 0o777,
    ).toBe(0o600);
    const withSecret = { 'x-causeway-hook-secret': secret };
    const bad = JSON.stringify({
      repository: service.gitopsPath,
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
    fs.rmSync(path.join(service.host.hooksDir, 'post-receive'));
    await push(service.gitopsClone, service.folder, manifests(3, true));
    // The hook is gone: nothing re-grades until the poll runs.
    const before = await storedStatuses(
      service.api,
      service.entityRef,
      CHECK_IDS,
    );
    expect(before).toMatchObject({ pdb: 'fail', 'hpa-min': 'fail' });
    const res = await service.api(
      'POST',
      '/api/scorecard/.backstage/scheduler/v1/tasks/scorecard-gitops-head-poll/trigger',
    );
    expect(res.status).toBeLessThan(300);
    await until({ pdb: 'pass', 'hpa-min': 'pass' }, 'the poll re-graded');
  });
});
