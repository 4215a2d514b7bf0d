import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  commitMessage,
  ensureLocalRepository,
  GitOpsRepository,
  LocalGitHost,
  TASK_TRAILER,
} from '@causeway/plugin-gitops-node';
import { createFinishRunAction } from './finishRun';

const logger = mockServices.logger.mock();
const alice = { name: 'Alice Example', email: 'alice@example.com' };
const taskId = '0b7c6a9e-2d1f-4e3a-9c8b-5a4d3e2f1a0b';
const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8' }).trim();

describe('causeway:run:finish', () => {
  let root: string;
  let bare: string;
  let repository: GitOpsRepository;
  let host: LocalGitHost;
  let recovered: boolean;
  let action: ReturnType<typeof createFinishRunAction>;

  const context = (input: object) => {
    const ctx = createMockActionContext<any>({
      input,
      task: { id: taskId },
      workspacePath: root,
    });
    const lines: string[] = [];
    for (const level of ['info', 'error'] as const) {
      jest.spyOn(ctx.logger, level).mockImplementation((...args: any[]) => {
        lines.push(args[0]);
      });
    }
    return { ctx, lines };
  };
  /** What the run made before it failed: a GitOps commit and a source repository. */
  const madeByTheRun = async () => {
    const published = await repository.publish({
      files: [
        {
          path: 'apps/production/payments/refund-api/deployment.yaml',
          content: 'kind: Deployment\n',
        },
      ],
      message: 'Add refund-api',
      author: alice,
      taskId,
      step: 'publish-gitops',
    });
    const source = path.join(root, 'source');
    fs.mkdirSync(source, { recursive: true });
    fs.writeFileSync(path.join(source, 'README.md'), '# refund-api\n');
    await host.create({
      name: 'refund-api',
      sourceDir: source,
      message: commitMessage('Create refund-api', { [TASK_TRAILER]: taskId }),
      author: alice,
    });
    return published.commitSha;
  };

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'finish-run-'));
    bare = path.join(root, 'gitops.git');
    await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
    repository = new GitOpsRepository({ url: bare, branch: 'main', logger });
    host = new LocalGitHost({ root: path.join(root, 'repos') });
    recovered = false;
    action = createFinishRunAction({
      repository,
      host,
      wasRecovered: async () => recovered,
    });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('undoes a failed run (its GitOps commit and source repository) and says so in one sentence', async () => {
    const sha = await madeByTheRun();
    recovered = true;
    const { ctx, lines } = context({
      name: 'refund-api',
      failed: true,
      sourceRepository: true,
    });

    await action.handler(ctx);

    expect(lines).toEqual([
      `Recovered after a restart: could not finish, so undid the GitOps commit ${sha.slice(
        0,
        7,
      )} and the source repository; the name refund-api is free again.`,
    ]);
    expect(git(bare, 'ls-tree', '-r', '--name-only', 'main')).not.toContain(
      'refund-api',
    );
    expect(await host.exists('refund-api')).toBe(false);
  });

  it('undoing twice (the backend died during the undo) makes no second revert', async () => {
    await madeByTheRun();
    const input = {
      name: 'refund-api',
      failed: 'true',
      sourceRepository: true,
    };
    await action.handler(context(input).ctx);
    const head = git(bare, 'rev-parse', 'main');

    const { ctx } = context(input);
    await action.handler(ctx);

    expect(git(bare, 'rev-parse', 'main')).toBe(head);
    expect(ctx.output).toHaveBeenCalledWith('undone', [
      expect.stringMatching(/^the GitOps commit [0-9a-f]{7}$/),
    ]);
  });

  it('leaves a source repository another run created, and says when nothing was created', async () => {
    const source = path.join(root, 'source');
    fs.mkdirSync(source, { recursive: true });
    fs.writeFileSync(path.join(source, 'README.md'), '# refund-api\n');
    await host.create({
      name: 'refund-api',
      sourceDir: source,
      message: 'Create refund-api',
      author: alice,
    });
    const { ctx, lines } = context({
      name: 'refund-api',
      failed: true,
      sourceRepository: true,
    });

    await action.handler(ctx);

    expect(await host.exists('refund-api')).toBe(true);
    expect(lines).toEqual(['Could not finish; it had created nothing.']);
  });

  it('on GitHub, deletes an empty repository only when its preflight found the name free, and never one with commits that are not its own', async () => {
    // GitHub repositories by name: their first commit's task, or null when empty.
    const repos = new Map<string, string | null>();
    const github = createFinishRunAction({
      repository,
      host,
      sourceHost: {
        type: 'github',
        host: 'github.com',
        owner: 'causeway-demo',
        visibility: 'private',
        exists: async name => repos.has(name),
        repositoryTask: async name => repos.get(name) ?? undefined,
        isEmpty: async name => repos.get(name) === null,
        remove: async name => {
          repos.delete(name);
        },
      },
      wasRecovered: async () => recovered,
    });
    const undo = async (name: string, newRepository?: string) => {
      const { ctx, lines } = context({
        name,
        failed: true,
        sourceRepository: true,
        newRepository,
      });
      await github.handler(ctx);
      return lines;
    };

    repos.set('left-empty', null);
    expect(await undo('left-empty', 'causeway-demo/left-empty')).toEqual([
      'Could not finish, so undid the source repository; the name left-empty is free again.',
    ]);
    expect(repos.has('left-empty')).toBe(false);

    // Not checked free by this run (another owner's name, or no preflight record).
    repos.set('not-checked', null);
    await undo('not-checked', 'someone-else/not-checked');
    await undo('not-checked');
    expect(repos.has('not-checked')).toBe(true);

    repos.set('pushed-by-others', 'another-task');
    await undo('pushed-by-others', 'causeway-demo/pushed-by-others');
    repos.set('no-trailer', '');
    await undo('no-trailer', 'causeway-demo/no-trailer');
    expect(repos.has('pushed-by-others') && repos.has('no-trailer')).toBe(true);

    repos.set('pushed-by-this-run', taskId);
    await undo('pushed-by-this-run');
    expect(repos.has('pushed-by-this-run')).toBe(false);
  });

  it('says what a recovered run finished, and nothing for a run that was never interrupted', async () => {
    const input = {
      name: 'refund-api',
      failed: false,
      parts: 'source repository, GitOps folder, catalog entity',
    };
    const quiet = context(input);
    await action.handler(quiet.ctx);
    recovered = true;
    const told = context(input);
    await action.handler(told.ctx);

    expect(quiet.lines).toEqual([]);
    expect(told.lines).toEqual([
      'Recovered after a restart: finished creating refund-api (source repository, GitOps folder, catalog entity).',
    ]);
  });

  it('still undoes, and says so without the recovery, when the task log cannot be read', async () => {
    const sha = await madeByTheRun();
    action = createFinishRunAction({
      repository,
      host,
      wasRecovered: async () => {
        throw new Error('the scaffolder answered 503');
      },
    });
    const { ctx, lines } = context({
      name: 'refund-api',
      failed: true,
      sourceRepository: true,
    });

    await action.handler(ctx);

    expect(lines).toEqual([
      `Could not finish, so undid the GitOps commit ${sha.slice(
        0,
        7,
      )} and the source repository; the name refund-api is free again.`,
    ]);
  });
});
