import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { defaultPlatformPolicy } from '@causeway/plugin-gitops-common';
import { parse } from 'yaml';
import { createRenderServiceAction } from './renderService';
import { teamAccess } from './__testUtils__/teamAccess';

const renderAs = (access: Parameters<typeof teamAccess>[0]) =>
  createRenderServiceAction({
    policy: defaultPlatformPolicy,
    gitops: {
      repoURL: 'https://git.example.com/platform/gitops.git',
      branch: 'main',
    },
    ...teamAccess(access),
  });
const action = renderAs({ teams: ['payments-team'] });
const input = {
  name: 'payment-service',
  owner: 'payments-team',
  environment: 'production',
  namespace: 'payments-team',
  image: `registry.example.com/payments/payment-service@sha256:${'c3'.repeat(
    32,
  )}`,
  port: 8080,
  tier: 'standard',
  targetPath: 'gitops',
};

describe('gitops:service:render', () => {
  let workspacePath: string;
  beforeEach(() => {
    workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'render-'));
  });
  afterEach(() => fs.rmSync(workspacePath, { recursive: true, force: true }));

  it('writes the validated manifests into the workspace, laid out as in the GitOps repository', async () => {
    const ctx = createMockActionContext({ workspacePath, input: input as any });
    await action.handler(ctx);

    const dir = 'apps/production/payments-team/payment-service';
    expect(ctx.output).toHaveBeenCalledWith('serviceDir', dir);
    const deployment = parse(
      fs.readFileSync(
        path.join(workspacePath, 'gitops', dir, 'deployment.yaml'),
        'utf8',
      ),
    );
    expect(deployment.spec.template.spec.containers[0].image).toBe(input.image);
    expect(
      fs.readdirSync(path.join(workspacePath, 'gitops', dir)).sort(),
    ).toEqual([
      'argocd-application.yaml',
      'deployment.yaml',
      'hpa.yaml',
      'kustomization.yaml',
      'networkpolicy.yaml',
      'pdb.yaml',
      'service.yaml',
      'servicemonitor.yaml',
    ]);
  });

  it("refuses to render for a team the user is not in, or in another team's namespace; a platform admin may render for any team", async () => {
    const render = (
      renderer: ReturnType<typeof createRenderServiceAction>,
      values: Partial<typeof input>,
    ) =>
      renderer.handler(
        createMockActionContext({
          workspacePath,
          input: { ...input, ...values } as any,
        }),
      );

    await expect(
      render(renderAs({ teams: ['orders-team'] }), {}),
    ).rejects.toThrow(
      "Cannot render payment-service: you may not write payments-team's files in the GitOps repository: you are not a member of group:default/payments-team, and only platform admins may write for any team",
    );
    await expect(render(action, { namespace: 'orders-team' })).rejects.toThrow(
      'Cannot render payment-service: namespace "orders-team" is not payments-team\'s',
    );
    expect(fs.readdirSync(workspacePath)).toEqual([]);

    await render(renderAs({ teams: [], admin: true }), {});
    expect(
      fs.readdirSync(path.join(workspacePath, 'gitops/apps/production')),
    ).toEqual(['payments-team']);
  });

  it('reports an image accepted by tag as a warning', async () => {
    const image = 'registry.example.com/payments/payment-service:2.0.1';
    const ctx = createMockActionContext({
      workspacePath,
      input: { ...input, image, allowImageTag: true } as any,
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('warnings', [
      `image ${image} is pinned by tag, not by digest: a tag can move under a running service`,
    ]);
  });

  it.each([
    [{ name: 'Payment Service' }, 'name: name must be lowercase letters'],
    [{ image: 'payment-service:latest' }, 'must be pinned by digest'],
    [
      { replicas: { min: 2, max: 99 } },
      "replicas.max: 99 is above the platform's maximum of 20",
    ],
    [
      { targetPath: '../../etc' },
      'Relative path is not allowed to refer to a directory outside its parent',
    ],
  ])(
    'refuses %j with a clear error and writes nothing',
    async (override, message) => {
      const ctx = createMockActionContext({
        workspacePath,
        input: { ...input, ...override } as any,
      });
      await expect(action.handler(ctx)).rejects.toThrow(message);
      expect(fs.readdirSync(workspacePath)).toEqual([]);
    },
  );
});
