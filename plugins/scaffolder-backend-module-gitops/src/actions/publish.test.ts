import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ensureLocalRepository,
  GitOpsRepository,
} from '@causeway/plugin-gitops-node';
import { createPublishAction } from './publish';

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8' }).trim();

describe('gitops:publish', () => {
  let root: string;
  let bare: string;
  let workspacePath: string;
  let action: ReturnType<typeof createPublishAction>;
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

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-'));
    bare = path.join(root, 'gitops.git');
    await ensureLocalRepository({
      repoPath: bare,
      branch: 'main',
      logger: mockServices.logger.mock(),
    });

    workspacePath = path.join(root, 'workspace');
    const dir = path.join(
      workspacePath,
      'gitops/apps/production/payments/payment-service',
    );
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'deployment.yaml'), 'kind: Deployment\n');
    action = createPublishAction({
      repository: new GitOpsRepository({
        url: bare,
        branch: 'main',
        logger: mockServices.logger.mock(),
      }),
    });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const input = {
    sourcePath: 'gitops',
    message: 'Add payment-service',
    newPaths: ['apps/production/payments/payment-service'],
    update: false,
  };

  it('commits the workspace files as the user who ran the template, naming the task', async () => {
    const ctx = createMockActionContext({
      workspacePath,
      input,
      user: user as any,
    });
    await action.handler(ctx);

    expect(git(bare, 'log', '-1', '--format=%an <%ae>: %s', 'main')).toBe(
      'Bob Payments <bob@example.com>: Add payment-service',
    );
    expect(
      git(
        bare,
        'log',
        '-1',
        '--format=%(trailers:key=Causeway-Task,valueonly)',
        'main',
      ),
    ).toBe(ctx.task.id);
    expect(ctx.output).toHaveBeenCalledWith(
      'commitSha',
      git(bare, 'rev-parse', 'main'),
    );
    expect(ctx.output).toHaveBeenCalledWith('files', [
      'apps/production/payments/payment-service/deployment.yaml',
    ]);
  });

  it('pushes nothing in a dry run, and lists what it would commit', async () => {
    const head = git(bare, 'rev-parse', 'main');
    // (createMockActionContext does not pass isDryRun through.)
    const ctx = {
      ...createMockActionContext({ workspacePath, input, user: user as any }),
      isDryRun: true,
    };
    await action.handler(ctx);

    expect(git(bare, 'rev-parse', 'main')).toBe(head);
    expect(ctx.output).toHaveBeenCalledWith('files', [
      'apps/production/payments/payment-service/deployment.yaml',
    ]);
  });

  it('refuses to overwrite an existing service unless asked for an update', async () => {
    await action.handler(
      createMockActionContext({ workspacePath, input, user: user as any }),
    );
    await expect(
      action.handler(
        createMockActionContext({ workspacePath, input, user: user as any }),
      ),
    ).rejects.toThrow(
      'apps/production/payments/payment-service already exists in the GitOps repository',
    );
  });
});
