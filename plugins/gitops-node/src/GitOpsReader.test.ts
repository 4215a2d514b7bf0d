import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ensureLocalRepository } from './ensureLocalRepository';
import { GitOpsRepository } from './GitOpsRepository';
import { git, startGitHttpServer } from './__testUtils__/repositories';

const logger = mockServices.logger.mock();

describe('GitOpsReader of a remote, after a push someone else made', () => {
  const password = 'ghp_s3cr3t-t0ken-value';
  let root: string;
  let bare: string;
  let server: Awaited<ReturnType<typeof startGitHttpServer>>;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-reader-'));
    bare = path.join(root, 'gitops.git');
    await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
    server = await startGitHttpServer({
      projectRoot: root,
      username: 'causeway-bot',
      password,
    });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('fetches the new head on request and lists the files it changed', async () => {
    const repository = new GitOpsRepository({
      url: `${server.url}/gitops.git`,
      branch: 'main',
      credentials: { username: 'causeway-bot', password },
      logger,
    });
    try {
      const before = await repository.head();

      // A service's CI pushes straight to the remote.
      const work = path.join(root, 'work');
      git(root, 'clone', '--quiet', bare, work);
      fs.mkdirSync(path.join(work, 'apps/production/payments/svc'), {
        recursive: true,
      });
      fs.writeFileSync(
        path.join(work, 'apps/production/payments/svc/deployment.yaml'),
        'kind: Deployment\n',
      );
      fs.rmSync(path.join(work, 'infrastructure/.gitkeep'));
      git(work, 'add', '--all');
      git(work, 'commit', '--quiet', '-m', 'CI: new image');
      git(work, 'push', '--quiet', 'origin', 'HEAD:main');
      const after = git(bare, 'rev-parse', 'main');

      expect(await repository.reader.freshHead()).toBe(after);
      expect(
        (await repository.reader.changedPaths(before, after)).sort(),
      ).toEqual([
        'apps/production/payments/svc/deployment.yaml',
        'infrastructure/.gitkeep',
      ]);
      expect(
        (await repository.reader.changedPaths(undefined, after)).sort(),
      ).toEqual([
        'README.md',
        'apps/.gitkeep',
        'apps/production/payments/svc/deployment.yaml',
      ]);
    } finally {
      await repository.close();
    }
  });
});
