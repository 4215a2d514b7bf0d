import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  buildServiceManifests,
  defaultPlatformPolicy,
  manifestFileContents,
  parseServiceSpec,
} from '@causeway/plugin-gitops-common';
import {
  ensureLocalRepository,
  GitOpsRepository,
} from '@causeway/plugin-gitops-node';
import { parse } from 'yaml';
import { createConnectServiceAction } from './connectService';
import { teamAccess } from './__testUtils__/teamAccess';

const dir = 'apps/production/payments-team/payment-service';
const file = `${dir}/deployment.yaml`;

/** The service's files as gitops:service:render writes them. */
const render = (connectionSecrets: string[] = []) =>
  manifestFileContents(
    buildServiceManifests(
      parseServiceSpec(
        {
          name: 'payment-service',
          owner: 'payments-team',
          environment: 'production',
          namespace: 'payments-team',
          image: `registry.example.com/payment-service@sha256:${'c3'.repeat(
            32,
          )}`,
          port: 8080,
          tier: 'standard',
          env: { LOG_LEVEL: 'info' },
          connectionSecrets,
        },
        defaultPlatformPolicy,
      ).spec,
      {
        policy: defaultPlatformPolicy,
        gitops: {
          repoURL: 'https://git.example.com/gitops.git',
          branch: 'main',
        },
      },
    ),
  );

describe('gitops:service:connect', () => {
  let root: string;
  let workspacePath: string;
  let repository: GitOpsRepository;
  let action: ReturnType<typeof createConnectServiceAction>;

  const commit = (files: Array<{ path: string; content: string }>) =>
    repository.publish({
      files,
      message: 'Seed',
      author: { name: 'Test', email: 'test@example.com' },
    });
  const written = () =>
    fs.readFileSync(path.join(workspacePath, 'gitops', file), 'utf8');
  const run = async (input: Record<string, unknown>) => {
    const ctx = createMockActionContext({
      workspacePath,
      input: { gitopsPath: dir, targetPath: 'gitops', ...input } as any,
    });
    await action.handler(ctx);
    return ctx;
  };

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'connect-'));
    const bare = path.join(root, 'gitops.git');
    const logger = mockServices.logger.mock();
    await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
    repository = new GitOpsRepository({ url: bare, branch: 'main', logger });
    action = createConnectServiceAction({
      repository,
      ...teamAccess({ teams: ['payments-team'] }),
    });
    workspacePath = path.join(root, 'workspace');
    fs.mkdirSync(workspacePath);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('adds the Secret to envFrom: the file reads as if gitops:service:render had written it so', async () => {
    await commit(render());

    const ctx = await run({ secretName: 'payments-db-connection' });

    const expected = render(['payments-db-connection']).find(
      f => f.path === file,
    )!;
    expect(written()).toBe(expected.content);
    expect(ctx.output).toHaveBeenCalledWith('file', file);
    expect(ctx.output).toHaveBeenCalledWith('changed', true);
    // What it was made from, so gitops:publish refuses if it moved since.
    const original = render().find(f => f.path === file)!.content;
    expect(ctx.output).toHaveBeenCalledWith('basedOn', {
      [file]: createHash('sha256').update(original).digest('hex'),
    });
    // Only the Deployment is written: publish commits only what changed.
    expect(
      fs.readdirSync(path.join(workspacePath, 'gitops', dir), {
        recursive: true,
      }),
    ).toEqual(['deployment.yaml']);
  });

  it('adds a second Secret after the first, and none twice', async () => {
    await commit(render(['payments-db-connection']));

    const again = await run({ secretName: 'payments-db-connection' });
    expect(again.output).toHaveBeenCalledWith('changed', false);
    expect(fs.existsSync(path.join(workspacePath, 'gitops'))).toBe(false);

    await run({ secretName: 'payments-cache-connection' });
    const container = parse(written()).spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([
      { secretRef: { name: 'payments-db-connection' } },
      { secretRef: { name: 'payments-cache-connection' } },
    ]);
  });

  it('keeps what CI and reviewers changed in the file, comments included', async () => {
    const [deployment, ...rest] = render();
    const edited = deployment.content
      .replace(/sha256:(c3)+/, `sha256:${'d4'.repeat(32)}`)
      .replace(
        /^( +)resources:/m,
        '$1# Sized for the Black Friday peak; see INC-1234.\n$1resources:',
      );
    await commit([{ ...deployment, content: edited }, ...rest]);

    await run({ secretName: 'payments-db-connection' });

    expect(written()).toContain('# Sized for the Black Friday peak');
    expect(written()).toContain(`sha256:${'d4'.repeat(32)}`);
    expect(parse(written()).spec.template.spec.containers[0].envFrom).toEqual([
      { secretRef: { name: 'payments-db-connection' } },
    ]);
  });

  it('names the service and the file when the folder has no Deployment', async () => {
    await commit(render().filter(f => f.path !== file));

    await expect(
      run({ secretName: 'payments-db-connection', service: 'payment-service' }),
    ).rejects.toThrow(
      `payment-service has no Deployment in the GitOps repository at ${file}`,
    );
    expect(fs.readdirSync(workspacePath)).toEqual([]);
  });

  it.each([
    [
      { gitopsPath: 'infrastructure/production/payments' },
      'gitopsPath: "infrastructure/production/payments" is not a service folder',
    ],
    [{ gitopsPath: 'apps/../../etc' }, 'is not a service folder'],
    [{ secretName: 'Payments DB' }, 'secretName: "Payments DB" must be'],
  ])('refuses %j', async (input, message) => {
    await expect(
      run({ secretName: 'payments-db-connection', ...input }),
    ).rejects.toThrow(message);
  });

  it("refuses another team's folder to a user not in it, and writes nothing; a platform admin may change it", async () => {
    await commit(render());
    const connectAs = (access: Parameters<typeof teamAccess>[0]) =>
      createConnectServiceAction({ repository, ...teamAccess(access) }).handler(
        createMockActionContext({
          workspacePath,
          input: {
            gitopsPath: dir,
            secretName: 'orders-db-connection',
            targetPath: 'gitops',
          },
        }),
      );

    await expect(connectAs({ teams: ['orders-team'] })).rejects.toThrow(
      "payment-service cannot load Secret orders-db-connection: you may not write payments-team's files in the GitOps repository: you are not a member of group:default/payments-team",
    );
    expect(fs.readdirSync(workspacePath)).toEqual([]);

    await connectAs({ teams: [], admin: true });
    expect(parse(written()).spec.template.spec.containers[0].envFrom).toEqual([
      { secretRef: { name: 'orders-db-connection' } },
    ]);
  });

  it("refuses a folder whose Deployment carries another team's owner label, even to a platform admin", async () => {
    // A folder in payments-team's place holding orders-team's Deployment.
    await commit(
      render().map(f => ({
        ...f,
        content: f.content.replace(
          /causeway\.dev\/owner: payments-team/g,
          'causeway.dev/owner: orders-team',
        ),
      })),
    );
    const connect = createConnectServiceAction({
      repository,
      ...teamAccess({ teams: ['payments-team'], admin: true }),
    });

    await expect(
      connect.handler(
        createMockActionContext({
          workspacePath,
          input: {
            gitopsPath: dir,
            secretName: 'payments-db-connection',
            targetPath: 'gitops',
          },
        }),
      ),
    ).rejects.toThrow(
      `${file} in the GitOps repository is not payments-team's: its Deployment payment-service has causeway.dev/owner: "orders-team"`,
    );
    expect(fs.readdirSync(workspacePath)).toEqual([]);
  });

  it('refuses a deployment.yaml that is not a Deployment, or that the change would leave invalid', async () => {
    await commit([{ path: file, content: 'kind: Service\n' }]);
    await expect(run({ secretName: 'payments-db-connection' })).rejects.toThrow(
      `payment-service cannot load Secret payments-db-connection: ${file} in the GitOps repository is not a single Deployment with a container`,
    );

    // A container without a name: the schema check names the field.
    await commit([
      {
        path: file,
        content:
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payment-service\n  labels:\n    causeway.dev/owner: payments-team\nspec:\n  selector: {}\n  template:\n    spec:\n      containers:\n        - image: x\n',
      },
    ]);
    await expect(run({ secretName: 'payments-db-connection' })).rejects.toThrow(
      /The rendered manifests are invalid: Deployment payment-service in apps\/production\/payments-team\/payment-service\/deployment.yaml: \/spec\/template\/spec\/containers\/0 must have required property name/,
    );
    expect(fs.readdirSync(workspacePath)).toEqual([]);
  });
});
