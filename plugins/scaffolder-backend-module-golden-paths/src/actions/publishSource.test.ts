import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ensureLocalRepository,
  GitOpsRepository,
  LocalGitHost,
} from '@causeway/plugin-gitops-node';
import { createPublishSourceAction } from './publishSource';

const logger = mockServices.logger.mock();
const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8' }).trim();
const catalogInfo =
  'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: refund-api\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:default/payments-team\n';
const user = {
  ref: 'user:default/bob',
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'bob' },
    spec: {
      profile: { displayName: 'Bob Payments', email: 'bob@example.com' },
    },
  },
};

describe('causeway:source:publish', () => {
  let root: string;
  let workspacePath: string;
  let bare: string;
  let repository: GitOpsRepository;
  let host: LocalGitHost;
  let action: ReturnType<typeof createPublishSourceAction>;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-source-'));
    bare = path.join(root, 'gitops.git');
    await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
    repository = new GitOpsRepository({ url: bare, branch: 'main', logger });
    host = new LocalGitHost({ root: path.join(root, 'repos') });
    action = createPublishSourceAction({ host, repository });
    workspacePath = path.join(root, 'workspace');
    fs.mkdirSync(path.join(workspacePath, 'source', 'src'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(workspacePath, 'source', 'src', 'main.ts'),
      'export {};\n',
    );
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** The GitOps commit the run made before this step, to be reverted. */
  const runGitOpsCommit = () =>
    repository.publish({
      files: [
        {
          path: 'apps/production/p/refund-api/deployment.yaml',
          content: 'kind: Deployment\n',
        },
      ],
      message: 'Add refund-api',
      author: { name: 'Bob Payments', email: 'bob@example.com' },
    });

  it('creates the repository from the workspace as one commit by the user', async () => {
    fs.writeFileSync(
      path.join(workspacePath, 'source', 'catalog-info.yaml'),
      catalogInfo,
    );
    const ctx = createMockActionContext<any>({
      workspacePath,
      user: user as any,
      input: { name: 'refund-api', message: 'Create refund-api' },
    });
    await action.handler(ctx);

    const repo = path.join(root, 'repos', 'refund-api.git');
    expect(git(repo, 'log', '--format=%an <%ae>|%s', 'main')).toBe(
      'Bob Payments <bob@example.com>|Create refund-api',
    );
    expect(git(repo, 'ls-tree', '-r', '--name-only', 'main')).toBe(
      'catalog-info.yaml\nsrc/main.ts',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      host.url('refund-api'),
    );
  });

  it('refuses an invalid catalog-info.yaml, creates nothing and reverts the run’s GitOps commit', async () => {
    fs.writeFileSync(
      path.join(workspacePath, 'source', 'catalog-info.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Refund API\n',
    );
    const commit = await runGitOpsCommit();
    const ctx = createMockActionContext<any>({
      workspacePath,
      user: user as any,
      input: { name: 'refund-api', revertGitOpsCommit: commit.commitSha },
    });

    await expect(action.handler(ctx)).rejects.toThrow(
      /^source\/catalog-info.yaml \(document 1\) is not a valid entity: /,
    );
    expect(await host.exists('refund-api')).toBe(false);
    expect(git(bare, 'log', '-1', '--format=%an|%s', 'main')).toBe(
      'Bob Payments|Revert the GitOps files of refund-api: its source repository could not be created',
    );
    expect(git(bare, 'ls-tree', '-r', '--name-only', 'main')).not.toContain(
      'refund-api',
    );
  });

  it('refuses a description longer than a line, in the input or the catalog file, and reverts the run’s GitOps commit', async () => {
    const megabyte = 'x'.repeat(1024 * 1024);
    const commit = await runGitOpsCommit();
    fs.writeFileSync(
      path.join(workspacePath, 'source', 'catalog-info.yaml'),
      catalogInfo,
    );
    const ctx = createMockActionContext<any>({
      workspacePath,
      user: user as any,
      input: {
        name: 'refund-api',
        description: megabyte,
        revertGitOpsCommit: commit.commitSha,
      },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /^description: 1048576 characters, at most 200 are taken$/,
    );
    expect(await host.exists('refund-api')).toBe(false);
    expect(git(bare, 'ls-tree', '-r', '--name-only', 'main')).not.toContain(
      'refund-api',
    );

    // A template that leaves the input short but writes the long text into
    // the entity (anyone may register a template).
    fs.writeFileSync(
      path.join(workspacePath, 'source', 'catalog-info.yaml'),
      catalogInfo.replace(
        '  name: refund-api\n',
        `  name: refund-api\n  description: ${megabyte}\n`,
      ),
    );
    await expect(
      action.handler(
        createMockActionContext<any>({
          workspacePath,
          user: user as any,
          input: { name: 'refund-api', description: 'Refunds card payments' },
        }),
      ),
    ).rejects.toThrow(
      /^source\/catalog-info.yaml \(document 1\) metadata.description: 1048576 characters, at most 200 are taken$/,
    );
    expect(await host.exists('refund-api')).toBe(false);
  });

  it('checks the catalog file and creates nothing in a dry run', async () => {
    fs.writeFileSync(
      path.join(workspacePath, 'source', 'catalog-info.yaml'),
      catalogInfo,
    );
    // createMockActionContext does not pass isDryRun through.
    const ctx = {
      ...createMockActionContext<any>({
        workspacePath,
        input: { name: 'refund-api' },
      }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(await host.exists('refund-api')).toBe(false);
    expect(ctx.output).toHaveBeenCalledWith('commitSha', 'dry-run');
  });

  describe('resumed after the backend died (scaffolder task recovery)', () => {
    /** A context whose first attempt already saved its attempt checkpoint. */
    const resumedContext = (taskId: string) => {
      const ctx = createMockActionContext<any>({
        workspacePath,
        user: user as any,
        task: { id: taskId },
        input: { name: 'refund-api', message: 'Create refund-api' },
      });
      ctx.checkpoint = (async ({ key, fn }: any) =>
        key === 'causeway-attempt' ? 'the first attempt' : fn()) as any;
      return ctx;
    };

    beforeEach(() => {
      fs.writeFileSync(
        path.join(workspacePath, 'source', 'catalog-info.yaml'),
        catalogInfo,
      );
    });

    it('finds the repository its first attempt created and tells the catalog about it again', async () => {
      const first = createMockActionContext<any>({
        workspacePath,
        user: user as any,
        task: { id: 'task-1' },
        input: { name: 'refund-api', message: 'Create refund-api' },
      });
      await action.handler(first);
      const repo = path.join(root, 'repos', 'refund-api.git');
      const commit = git(repo, 'rev-parse', 'main');
      const found: string[] = [];
      action = createPublishSourceAction({
        host,
        repository,
        onFound: async ({ name }) => {
          found.push(name);
        },
      });

      const resumed = resumedContext('task-1');
      await action.handler(resumed);

      expect(resumed.output).toHaveBeenCalledWith('commitSha', commit);
      expect(found).toEqual(['refund-api']);
      expect(git(repo, 'log', '-1', '--format=%B', 'main')).toContain(
        'Causeway-Task: task-1',
      );
    });

    it("does not take another run's repository of the same name for its own", async () => {
      await action.handler(
        createMockActionContext<any>({
          workspacePath,
          user: user as any,
          task: { id: 'task-1' },
          input: { name: 'refund-api' },
        }),
      );

      await expect(action.handler(resumedContext('task-2'))).rejects.toThrow(
        'A source repository named refund-api already exists',
      );
    });
  });
});
