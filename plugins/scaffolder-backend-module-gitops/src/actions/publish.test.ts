import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ensureLocalRepository,
  GitOpsRepository,
} from '@causeway/plugin-gitops-node';
import { createPublishAction } from './publish';

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8' }).trim();

/**
 * A GitOps repository and a workspace holding one service's deployment
 * under gitops/, and the action publishing to that repository.
 */
async function publishFixture(
  prefix: string,
  folder: string,
  caller: { teams?: string[]; admin?: boolean } = {},
) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const bare = path.join(root, 'gitops.git');
  await ensureLocalRepository({
    repoPath: bare,
    branch: 'main',
    logger: mockServices.logger.mock(),
  });
  const workspacePath = path.join(root, 'workspace');
  const dir = path.join(workspacePath, 'gitops', folder);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'deployment.yaml'), 'kind: Deployment\n');
  // The caller is a member of the folder's team unless told otherwise.
  const teams = caller.teams ?? [folder.split('/')[2]];
  const action = createPublishAction({
    repository: new GitOpsRepository({
      url: bare,
      branch: 'main',
      logger: mockServices.logger.mock(),
    }),
    userInfo: mockServices.userInfo({
      ownershipEntityRefs: teams.map(t => `group:default/${t}`),
    }),
    permissions: mockServices.permissions({
      result: caller.admin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    }),
  });
  return { root, bare, workspacePath, action };
}

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
    ({ root, bare, workspacePath, action } = await publishFixture(
      'publish-',
      'apps/production/payments/payment-service',
    ));
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

describe('gitops:publish and paths it must not follow', () => {
  let root: string;
  let bare: string;
  let workspacePath: string;
  let outside: string;
  let action: ReturnType<typeof createPublishAction>;
  const folder = 'apps/production/payments/payment-service';

  beforeEach(async () => {
    ({ root, bare, workspacePath, action } = await publishFixture(
      'publish-links-',
      folder,
    ));
    outside = path.join(root, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'id_rsa'), 'PRIVATE KEY outside\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const run = (input: Record<string, unknown> = {}) =>
    action.handler(
      createMockActionContext<any>({
        workspacePath,
        input: {
          sourcePath: 'gitops',
          message: 'Add payment-service',
          newPaths: [folder],
          ...input,
        },
      }),
    );

  it.each([
    ['a file', 'id_rsa', 'secret.yaml'],
    ['a folder', '.', 'keys'],
  ])(
    'refuses a symbolic link to %s outside in the workspace, and commits nothing',
    async (_, target, name) => {
      const head = git(bare, 'rev-parse', 'main');
      fs.symlinkSync(
        path.join(outside, target),
        path.join(workspacePath, 'gitops', folder, name),
      );

      await expect(run()).rejects.toThrow(
        `Refusing to publish gitops/${folder}/${name}: it is a symbolic link in the workspace; Causeway does not follow links`,
      );
      expect(git(bare, 'rev-parse', 'main')).toBe(head);
      expect(git(bare, 'log', '--all', '-p')).not.toContain('PRIVATE KEY');
    },
  );

  it.each([
    ['../secrets/x.yaml', 'has an empty, "." or ".." segment'],
    [
      `${folder}/../../../../../etc/passwd`,
      'has an empty, "." or ".." segment',
    ],
    ['/etc/passwd', 'is absolute'],
    [`./${folder}/deployment.yaml`, 'has an empty, "." or ".." segment'],
  ])('refuses the basedOn key %s before reading anything', async (key, why) => {
    const head = git(bare, 'rev-parse', 'main');
    await expect(
      run({ basedOn: { [key]: 'e3b0c442' }, update: true }),
    ).rejects.toThrow(
      `basedOn names ${JSON.stringify(
        key,
      )}, which is not a path inside the GitOps repository: the path ${why}`,
    );
    expect(git(bare, 'rev-parse', 'main')).toBe(head);
  });
});

describe("gitops:publish and the caller's teams", () => {
  let root: string;
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const publishAs = async (
    folder: string,
    caller: { teams?: string[]; admin?: boolean },
  ) => {
    const fixture = await publishFixture('publish-teams-', folder, caller);
    root = fixture.root;
    const head = git(fixture.bare, 'rev-parse', 'main');
    const run = (action: ReturnType<typeof createPublishAction>) =>
      action.handler(
        createMockActionContext({
          workspacePath: fixture.workspacePath,
          input: {
            sourcePath: 'gitops',
            message: 'Change',
            newPaths: [] as string[],
            update: false,
          },
        }),
      );
    return {
      result: run(fixture.action),
      head: () => git(fixture.bare, 'rev-parse', 'main') === head,
    };
  };

  it("refuses files in another team's folder, committing nothing", async () => {
    const { result, head } = await publishAs(
      'apps/production/orders-team/order-service',
      { teams: ['payments-team'] },
    );
    await expect(result).rejects.toThrow(
      "Refusing to commit apps/production/orders-team/order-service/deployment.yaml: it is in orders-team's folder of the GitOps repository, and you are not a member of group:default/orders-team",
    );
    expect(head()).toBe(true);
  });

  it("refuses files outside every team's folder unless the caller is a platform admin", async () => {
    const refused = await publishAs('argocd/root', {
      teams: ['payments-team'],
    });
    await expect(refused.result).rejects.toThrow(
      "Refusing to commit argocd/root/deployment.yaml: it is outside every team's folder",
    );
    expect(refused.head()).toBe(true);

    const admin = await publishAs('argocd/root', { teams: [], admin: true });
    await admin.result;
    expect(admin.head()).toBe(false);
  });

  it("lets a platform admin write any team's folder", async () => {
    const { result, head } = await publishAs(
      'apps/production/orders-team/order-service',
      { teams: [], admin: true },
    );
    await result;
    expect(head()).toBe(false);
  });
});

describe('gitops:publish resumed after the backend died (scaffolder task recovery)', () => {
  let root: string;
  let bare: string;
  let workspacePath: string;
  let action: ReturnType<typeof createPublishAction>;

  beforeEach(async () => {
    ({ root, bare, workspacePath, action } = await publishFixture(
      'publish-resumed-',
      'apps/production/p/refund-api',
    ));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /**
   * A context whose checkpoints are those a first attempt saved before it
   * died: `saved` holds them; keys not in it run again, as the scaffolder does.
   */
  const attempt = (saved: Map<string, unknown>) => {
    const ctx = createMockActionContext<any>({
      workspacePath,
      task: { id: 'task-1' },
      input: {
        sourcePath: 'gitops',
        message: 'Add refund-api',
        newPaths: ['apps/production/p/refund-api'],
      },
    });
    (ctx as any).step = { id: 'publish-gitops', name: 'Publish' };
    ctx.checkpoint = (async ({ key, fn }: any) => {
      if (saved.has(key)) return saved.get(key);
      const value = await fn();
      saved.set(key, value);
      return value;
    }) as any;
    return ctx;
  };

  it('finds the commit the first attempt pushed before its result was saved, instead of refusing the folder as already there', async () => {
    const saved = new Map<string, unknown>();
    const first = attempt(saved);
    await action.handler(first);
    const commit = git(bare, 'rev-parse', 'main');
    // The backend died after the push, before the step's result was saved.
    for (const key of [...saved.keys()]) {
      if (key !== 'causeway-attempt') saved.delete(key);
    }

    const resumed = attempt(saved);
    await action.handler(resumed);

    expect(resumed.output).toHaveBeenCalledWith('commitSha', commit);
    expect(git(bare, 'rev-parse', 'main')).toBe(commit);
  });

  it('finds that commit even when the workspace did not survive (resumed on another replica)', async () => {
    const saved = new Map<string, unknown>();
    await action.handler(attempt(saved));
    const commit = git(bare, 'rev-parse', 'main');
    saved.forEach((_, key) => key !== 'causeway-attempt' && saved.delete(key));
    fs.rmSync(workspacePath, { recursive: true, force: true });

    const resumed = attempt(saved);
    await action.handler(resumed);

    expect(resumed.output).toHaveBeenCalledWith('commitSha', commit);
    expect(resumed.output).toHaveBeenCalledWith('files', [
      'apps/production/p/refund-api/deployment.yaml',
    ]);
  });

  it('publishes when the first attempt died before pushing', async () => {
    const saved = new Map<string, unknown>([['causeway-attempt', 'earlier']]);
    const resumed = attempt(saved);

    await action.handler(resumed);

    expect(git(bare, 'log', '-1', '--format=%B', 'main')).toContain(
      'Causeway-Task: task-1\nCauseway-Step: publish-gitops',
    );
  });
});
