import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ensureLocalRepository } from './ensureLocalRepository';
import { GitOpsRepository } from './GitOpsRepository';
import { messageTrailers } from './taskCommits';
import { git, startGitHttpServer } from './__testUtils__/repositories';

jest.setTimeout(60_000);

const logger = mockServices.logger.mock();
const alice = { name: 'Alice Example', email: 'alice@example.com' };
const task = '5f0d2a56-3b4e-4c1e-9a54-2f4c6e8d1b01';
const other = '9a1e7c33-0b2d-4f6a-8e4b-7d3c2b1a0f99';

const change = (name: string, taskId?: string) => ({
  files: [
    {
      path: `apps/production/payments/${name}/deployment.yaml`,
      content: `kind: Deployment\nmetadata:\n  name: ${name}\n`,
    },
  ],
  message: `Add ${name}`,
  author: alice,
  newPaths: [`apps/production/payments/${name}`],
  taskId,
  step: 'publish-gitops',
});

describe('the commits a scaffolder task made, found by their trailers', () => {
  let root: string;
  let bare: string;
  let repo: GitOpsRepository;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-task-'));
    bare = path.join(root, 'gitops.git');
    await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
    repo = new GitOpsRepository({ url: bare, branch: 'main', logger });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("lists the task's commits and reverts, newest first, and no other task's", async () => {
    const ours = await repo.publish(change('refund-api', task));
    await repo.publish(change('payout-api', other));
    const revert = await repo.revert({
      commitSha: ours.commitSha,
      message: 'Revert refund-api',
      author: alice,
      taskId: task,
    });

    expect(await repo.commitsOfTask(task)).toEqual([
      {
        sha: revert.commitSha,
        branch: 'main',
        link: `file://${bare}#${revert.commitSha}`,
        reverts: ours.commitSha,
        files: ['apps/production/payments/refund-api/deployment.yaml'],
      },
      {
        sha: ours.commitSha,
        branch: 'main',
        link: `file://${bare}#${ours.commitSha}`,
        step: 'publish-gitops',
        files: ['apps/production/payments/refund-api/deployment.yaml'],
      },
    ]);
  });

  it('does not take a trailer-like line in the body of a message for a trailer', async () => {
    await repo.publish({
      ...change('refund-api'),
      message: `Add refund-api\n\nCauseway-Task: ${task}\n\nSomething else`,
    });

    expect(await repo.commitsOfTask(task)).toEqual([]);
    expect(messageTrailers(`Add\n\nbody\n\nCauseway-Task: ${task}\n`)).toEqual({
      'Causeway-Task': task,
    });
  });

  it('reverting a commit that is already reverted changes nothing (a resumed undo)', async () => {
    const ours = await repo.publish(change('refund-api', task));
    const revert = {
      commitSha: ours.commitSha,
      message: 'Undo',
      author: alice,
    };
    const first = await repo.revert(revert);
    const again = await repo.revert(revert);

    expect(first.changed).toBe(true);
    expect(again).toMatchObject({ changed: false, commitSha: first.commitSha });
    expect(git(bare, 'rev-list', '--count', 'main')).toBe('3');
  });
});

describe('the commits a scaffolder task made, on a GitOps remote over smart HTTP (production)', () => {
  it('finds a commit another replica pushed, with its files, and a revert made after', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-task-http-'));
    const bare = path.join(root, 'gitops.git');
    await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
    const server = await startGitHttpServer({
      projectRoot: root,
      username: 'causeway-bot',
      password: 'secret',
    });
    const replica = () =>
      new GitOpsRepository({
        url: `${server.url}/gitops.git`,
        branch: 'main',
        credentials: { username: 'causeway-bot', password: 'secret' },
        logger,
      });
    const [died, resumed] = [replica(), replica()];
    try {
      const ours = await died.publish(change('refund-api', task));
      // The resumed replica reads history once before the revert is pushed.
      expect(await resumed.commitsOfTask(task)).toMatchObject([
        {
          sha: ours.commitSha,
          files: ['apps/production/payments/refund-api/deployment.yaml'],
        },
      ]);
      const revert = await resumed.revert({
        commitSha: ours.commitSha,
        message: 'Undo',
        author: alice,
        taskId: task,
      });

      expect(
        (await resumed.commitsOfTask(task)).map(c => [c.sha, c.reverts]),
      ).toEqual([
        [revert.commitSha, ours.commitSha],
        [ours.commitSha, undefined],
      ]);
    } finally {
      await died.close();
      await resumed.close();
      await server.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
