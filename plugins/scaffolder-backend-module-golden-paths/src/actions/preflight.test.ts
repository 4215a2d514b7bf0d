import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
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
import {
  buildServiceManifests,
  defaultPlatformPolicy,
  GITOPS_PATH_ANNOTATION,
  gitopsServiceUpdatePermission,
  manifestFileContents,
  parseServiceSpec,
} from '@causeway/plugin-gitops-common';
import { createPreflightAction } from './preflight';

const logger = mockServices.logger.mock();
const entity = (
  kind: string,
  name: string,
  spec: object = {},
  annotations: Record<string, string> = {},
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', annotations },
  spec,
});
const service = (name: string, owner: string, gitopsPath: string) =>
  entity(
    'Component',
    name,
    { type: 'service', owner },
    { [GITOPS_PATH_ANNOTATION]: gitopsPath },
  );

/** A service's files as gitops:service:render writes them. */
const serviceFiles = (name: string, owner: string) =>
  manifestFileContents(
    buildServiceManifests(
      parseServiceSpec(
        {
          name,
          owner,
          environment: 'production',
          namespace: owner,
          image: `registry.example.com/${name}@sha256:${'c3'.repeat(32)}`,
          port: 8080,
          tier: 'standard',
        },
        defaultPlatformPolicy,
      ).spec,
      {
        policy: defaultPlatformPolicy,
        gitops: { repoURL: 'https://git.example.com/gitops', branch: 'main' },
      },
    ),
  );

/** The permission policy's answers for a member of a team: update what it owns, nothing for any team. */
const memberPermissions = () =>
  mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result:
          r.permission.name === gitopsServiceUpdatePermission.name
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
  });
const memberOf = (...teams: string[]) =>
  mockServices.userInfo({
    ownershipEntityRefs: [
      'user:default/mock',
      ...teams.map(team => `group:default/${team}`),
    ],
  });

describe('causeway:service:preflight', () => {
  let root: string;
  let repository: GitOpsRepository;
  let host: LocalGitHost;
  const catalog = catalogServiceMock({
    entities: [
      entity('Group', 'payments-team'),
      entity('Group', 'orders-team'),
      entity('User', 'alice'),
      entity('System', 'checkout-system'),
      service(
        'payment-service',
        'payments-team',
        'apps/production/payments-team/payment-service',
      ),
      // Registered by orders-team, naming payments-team's folder.
      service(
        'decoy-api',
        'orders-team',
        'apps/production/payments-team/payment-service',
      ),
      service(
        'relabelled-api',
        'payments-team',
        'apps/production/payments-team/relabelled-api',
      ),
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

  /** Commits files to the GitOps repository, as a task's run if one is named. */
  const seed = (
    files: Array<{ path: string; content: string }>,
    taskId?: string,
  ) =>
    repository.publish({
      files,
      message: 'Seed',
      author: { name: 'a', email: 'a@b.c' },
      ...(taskId ? { taskId } : {}),
    });

  const action = (
    sourceHost: any = { type: 'local' },
    permissions: PermissionsService = memberPermissions(),
    userInfo: UserInfoService = memberOf('payments-team'),
  ) =>
    createPreflightAction({
      catalog,
      permissions,
      userInfo,
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
      newNamespace: true,
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
    // The documentation link when the form gives none: its README.
    expect(ctx.output).toHaveBeenCalledWith(
      'readmeUrl',
      'https://github.com/causeway-demo/refund-api#readme',
    );
  });

  it('refuses docs and runbook links that are not http(s), and over-long on-call and SLO text, before anything is created', async () => {
    const ctx = createMockActionContext<any>({
      input: {
        name: 'refund-api',
        owner: 'group:default/payments-team',
        docsUrl: 'data:text/html,<script>alert(document.cookie)</script>',
        runbookUrl: 'file:///etc/passwd',
        onCall: 'x'.repeat(201),
        slo: 'y'.repeat(5000),
      },
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      'Cannot create refund-api: docsUrl: must be a link starting with http:// or https://; runbookUrl: must be a link starting with http:// or https://; onCall: 201 characters, at most 200 are taken; slo: 5000 characters, at most 200 are taken',
    );
    expect(ctx.output).not.toHaveBeenCalled();

    const ok = createMockActionContext<any>({
      input: {
        name: 'refund-api',
        owner: 'group:default/payments-team',
        docsUrl: 'https://docs.example.com/refund-api',
        runbookUrl: 'http://runbooks.example.com/refund-api',
        onCall: 'payments-primary',
        slo: '99.9% of requests under 300 ms over 30 days',
      },
    });
    await action().handler(ok);
    expect(ok.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/refund-api',
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
            description: 'x'.repeat(1_000_000),
          },
        }),
      ),
    ).rejects.toThrow(
      'Cannot create payment-service: description: 1000000 characters, at most 200 are taken; owner: user:default/alice is not a group in the catalog; system: system:default/nowhere is not a system in the catalog; name: payment-service is taken in the catalog by component:default/payment-service, owned by group:default/payments-team',
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

  it("refuses a new workload for a team the user is not in, or in another team's namespace; a platform admin may create one for any team", async () => {
    const input = {
      name: 'refund-api',
      owner: 'group:default/payments-team',
      environment: 'production',
      namespace: 'payments-team',
    };
    await expect(
      action(undefined, memberPermissions(), memberOf('orders-team')).handler(
        createMockActionContext<any>({ input }),
      ),
    ).rejects.toThrow(
      'Cannot create refund-api: owner: you may create workloads only for your own teams, and you are not a member of group:default/payments-team; a platform admin may create it for that team',
    );
    await expect(
      action().handler(
        createMockActionContext<any>({
          input: { ...input, namespace: 'orders-team' },
        }),
      ),
    ).rejects.toThrow(
      "Cannot create refund-api: namespace: orders-team is not the namespace of group:default/payments-team: a team's workloads run in the namespace named after it, payments-team",
    );

    const admin = mockServices.permissions({ result: AuthorizeResult.ALLOW });
    const ctx = createMockActionContext<any>({ input });
    await action(undefined, admin, memberOf('platform-admins')).handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('ownerName', 'payments-team');
  });

  it("resolves the changed service's folder on the server: apps/ENVIRONMENT/OWNER/NAME, its manifests its owner's", async () => {
    await seed(serviceFiles('payment-service', 'payments-team'));
    const ctx = createMockActionContext<any>({
      input: {
        name: 'payments-cache',
        kind: 'Resource',
        owner: 'group:default/payments-team',
        sourceRepository: false,
        changes: 'component:default/payment-service',
      },
    });

    await action().handler(ctx);

    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs).toMatchObject({
      gitopsPath: 'apps/production/payments-team/payment-service',
      environment: 'production',
      namespace: 'payments-team',
    });

    // What is added to it is its owner's, whoever the template names.
    await expect(
      action().handler(
        createMockActionContext<any>({
          input: { ...ctx.input, owner: 'group:default/orders-team' },
        }),
      ),
    ).rejects.toThrow(
      'Cannot create payments-cache: owner: group:default/orders-team does not own component:default/payment-service; group:default/payments-team does',
    );
  });

  it("refuses an entity whose gitops-path annotation names another team's folder, naming the entity, the annotation and its own folder", async () => {
    await seed(serviceFiles('payment-service', 'payments-team'));
    const ctx = createMockActionContext<any>({
      input: {
        name: 'decoy-db',
        kind: 'Resource',
        owner: 'group:default/orders-team',
        sourceRepository: false,
        changes: 'component:default/decoy-api',
      },
    });

    // orders-team owns the decoy, so the policy lets them change it.
    await expect(
      action(undefined, memberPermissions(), memberOf('orders-team')).handler(
        ctx,
      ),
    ).rejects.toThrow(
      'Cannot create decoy-db: changes: component:default/decoy-api: its causeway.dev/gitops-path annotation "apps/production/payments-team/payment-service" is not its folder: decoy-api, owned by orders-team, lives in apps/production/orders-team/decoy-api',
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it("refuses a folder whose manifests carry another team's owner label", async () => {
    await seed(
      serviceFiles('relabelled-api', 'orders-team').map(f => ({
        ...f,
        path: f.path.replace('/orders-team/', '/payments-team/'),
      })),
    );

    await expect(
      action().handler(
        createMockActionContext<any>({
          input: {
            name: 'relabelled-db',
            kind: 'Resource',
            owner: 'group:default/payments-team',
            sourceRepository: false,
            changes: 'component:default/relabelled-api',
          },
        }),
      ),
    ).rejects.toThrow(
      `Cannot create relabelled-db: changes: apps/production/payments-team/relabelled-api/deployment.yaml in the GitOps repository is not payments-team's: its Deployment relabelled-api has causeway.dev/owner: "orders-team"`,
    );
  });

  it("writes a team's namespace folder only when it is new, or when its own run made it before the backend died", async () => {
    const newNamespace = async (taskId: string) => {
      const ctx = createMockActionContext<any>({
        input: {
          name: 'refund-api',
          owner: 'payments-team',
          environment: 'production',
          namespace: 'payments-team',
        },
        task: { id: taskId },
      });
      await action().handler(ctx);
      return Object.fromEntries((ctx.output as jest.Mock).mock.calls)
        .newNamespace;
    };
    expect(await newNamespace('task-1')).toBe(true);

    await seed(
      [
        {
          path: 'apps/production/payments-team/_namespace/namespace.yaml',
          content: 'kind: Namespace\n',
        },
      ],
      'task-1',
    );

    expect(await newNamespace('task-1')).toBe(true);
    expect(await newNamespace('task-2')).toBe(false);
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
