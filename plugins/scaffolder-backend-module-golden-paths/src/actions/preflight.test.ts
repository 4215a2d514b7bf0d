import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  commitMessage,
  ensureLocalRepository,
  GitOpsRepository,
  LocalGitHost,
  TASK_TRAILER,
} from '@causeway/plugin-gitops-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { gitopsServiceUpdatePermission } from '@causeway/plugin-gitops-common';
import { createPreflightAction } from './preflight';

const logger = mockServices.logger.mock();
const entity = (kind: string, name: string, spec: object = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec,
});

describe('causeway:service:preflight', () => {
  let root: string;
  let repository: GitOpsRepository;
  let host: LocalGitHost;
  const catalog = catalogServiceMock({
    entities: [
      entity('Group', 'payments-team'),
      entity('User', 'alice'),
      entity('System', 'checkout-system'),
      entity('Component', 'payment-service', { owner: 'payments-team' }),
    ],
  });

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
    await ensureLocalRepository({
      repoPath: path.join(root, 'gitops.git'),
      branch: 'main',
      logger,
    });
    repository = new GitOpsRepository({
      url: path.join(root, 'gitops.git'),
      branch: 'main',
      logger,
    });
    host = new LocalGitHost({ root: path.join(root, 'repos') });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const action = (
    sourceHost: any = { type: 'local' },
    permissions = mockServices.permissions(),
  ) =>
    createPreflightAction({
      catalog,
      permissions,
      repository,
      host,
      sourceHost,
      imageRegistry: 'registry.example.com',
    });

  it('says where a free name goes: the local git host, the image and the catalog entity', async () => {
    const ctx = createMockActionContext<any>({
      input: {
        name: 'refund-api',
        owner: 'group:default/payments-team',
        system: 'checkout-system',
        environment: 'production',
        namespace: 'payments-team',
      },
    });
    await action().handler(ctx);

    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs).toEqual({
      entityRef: 'component:default/refund-api',
      ownerRef: 'group:default/payments-team',
      ownerName: 'payments-team',
      systemRef: 'system:default/checkout-system',
      systemName: 'checkout-system',
      sourceHost: 'local',
      repoUrl: '',
      sourceUrl: host.url('refund-api'),
      githubSlug: '',
      repoVisibility: 'private',
      image: 'registry.example.com/refund-api',
      gitopsRepoUrl: repository.displayUrl,
    });
  });

  it('names the GitHub repository when the source host is GitHub', async () => {
    const ctx = createMockActionContext<any>({
      input: { name: 'refund-api', owner: 'payments-team' },
    });
    await action({
      type: 'github',
      host: 'github.com',
      owner: 'causeway-demo',
      visibility: 'private',
      exists: async () => false,
    }).handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('repoVisibility', 'private');

    expect(ctx.output).toHaveBeenCalledWith(
      'repoUrl',
      'github.com?owner=causeway-demo&repo=refund-api',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'sourceUrl',
      'https://github.com/causeway-demo/refund-api',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'githubSlug',
      'causeway-demo/refund-api',
    );
    // Checked free, so an empty repository of that name later is this run's.
    expect(ctx.output).toHaveBeenCalledWith(
      'newRepository',
      'causeway-demo/refund-api',
    );
  });

  it('reports every problem at once, by field', async () => {
    await expect(
      action().handler(
        createMockActionContext<any>({
          input: {
            name: 'payment-service',
            owner: 'user:default/alice',
            system: 'nowhere',
          },
        }),
      ),
    ).rejects.toThrow(
      'Cannot create payment-service: owner: user:default/alice is not a group in the catalog; system: system:default/nowhere is not a system in the catalog; name: payment-service is taken in the catalog by component:default/payment-service, owned by group:default/payments-team',
    );
  });

  it('refuses a name already used on the source host or in the GitOps repository', async () => {
    const src = fs.mkdtempSync(path.join(root, 'src-'));
    fs.writeFileSync(path.join(src, 'README.md'), 'x');
    await host.create({
      name: 'old-api',
      sourceDir: src,
      message: 'x',
      author: { name: 'a', email: 'a@b.c' },
    });
    await repository.publish({
      files: [
        {
          path: 'apps/production/payments-team/old-api/deployment.yaml',
          content: 'kind: Deployment\n',
        },
      ],
      message: 'old',
      author: { name: 'a', email: 'a@b.c' },
    });

    await expect(
      action().handler(
        createMockActionContext<any>({
          input: {
            name: 'old-api',
            owner: 'payments-team',
            environment: 'production',
            namespace: 'payments-team',
          },
        }),
      ),
    ).rejects.toThrow(
      'Cannot create old-api: name: a source repository named old-api already exists on the local git host; name: apps/production/payments-team/old-api already exists in the GitOps repository',
    );
  });

  it('accepts a name its own run took before the backend died (the repository and GitOps commit name the task)', async () => {
    const src = fs.mkdtempSync(path.join(root, 'src-'));
    fs.writeFileSync(path.join(src, 'README.md'), 'x');
    await host.create({
      name: 'old-api',
      sourceDir: src,
      message: commitMessage('x', { [TASK_TRAILER]: 'task-1' }),
      author: { name: 'a', email: 'a@b.c' },
    });
    await repository.publish({
      files: [
        {
          path: 'apps/production/payments-team/old-api/deployment.yaml',
          content: 'kind: Deployment\n',
        },
      ],
      message: 'old',
      author: { name: 'a', email: 'a@b.c' },
      taskId: 'task-1',
    });
    const input = {
      name: 'old-api',
      owner: 'payments-team',
      environment: 'production',
      namespace: 'payments-team',
    };

    await action().handler(
      createMockActionContext<any>({ input, task: { id: 'task-1' } }),
    );
    await expect(
      action().handler(
        createMockActionContext<any>({ input, task: { id: 'task-2' } }),
      ),
    ).rejects.toThrow('Cannot create old-api: name: a source repository');
  });

  it('refuses to change a service the user may not change, asking the permission policy', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async () => [{ result: AuthorizeResult.DENY }],
    });
    await expect(
      action(undefined, permissions).handler(
        createMockActionContext<any>({
          input: {
            name: 'payments-cache',
            kind: 'Resource',
            owner: 'payments-team',
            sourceRepository: false,
            changes: 'payment-service',
          },
        }),
      ),
    ).rejects.toThrow(
      'Cannot create payments-cache: changes: you may not change component:default/payment-service: only its owners and platform admins may',
    );
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: gitopsServiceUpdatePermission,
          resourceRef: 'component:default/payment-service',
        },
      ],
      expect.anything(),
    );
  });

  it('refuses a name that is not a Kubernetes name', async () => {
    await expect(
      action().handler(
        createMockActionContext<any>({
          input: { name: 'Refund API', owner: 'payments-team' },
        }),
      ),
    ).rejects.toThrow(
      `name: "Refund API" must be lowercase letters, digits and '-'`,
    );
  });
});
