import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parse } from 'yaml';
import { loadPlatformApis } from '@causeway/plugin-gitops-node';
import { createRenderClaimAction } from './renderClaim';
import { teamAccess } from './__testUtils__/teamAccess';

const logger = mockServices.logger.mock();
const input = {
  kind: 'RedisCache',
  name: 'payments-cache',
  namespace: 'payments-team',
  environment: 'production',
  owner: 'payments-team',
  service: 'payment-service',
  parameters: { memoryMB: 2048 },
  targetPath: 'gitops',
};

describe('gitops:claim:render', () => {
  let workspacePath: string;
  let action: ReturnType<typeof createRenderClaimAction>;
  let claimAs: (
    access: Parameters<typeof teamAccess>[0],
  ) => ReturnType<typeof createRenderClaimAction>;

  beforeAll(async () => {
    // The repository's own platform APIs.
    const apis = await loadPlatformApis(
      path.resolve(__dirname, '../../../../platform/apis'),
      logger,
    );
    claimAs = access =>
      createRenderClaimAction({
        apis,
        gitops: {
          repoURL: 'https://git.example.com/platform/gitops.git',
          branch: 'main',
        },
        ...teamAccess(access),
      });
    action = claimAs({ teams: ['payments-team'] });
  });
  beforeEach(() => {
    workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'claim-'));
  });
  afterEach(() => fs.rmSync(workspacePath, { recursive: true, force: true }));

  it('writes the claim under infrastructure/ and names its connection secret', async () => {
    const ctx = createMockActionContext({ workspacePath, input });
    await action.handler(ctx);

    const file =
      'infrastructure/production/payments-team/rediscache-payments-cache.yaml';
    const claim = parse(
      fs.readFileSync(path.join(workspacePath, 'gitops', file), 'utf8'),
    );
    expect(claim.apiVersion).toBe('platform.causeway.dev/v1alpha1');
    expect(claim.spec.parameters).toEqual({
      memoryMB: 2048,
      version: '7.2',
      highAvailability: false,
      evictionPolicy: 'allkeys-lru',
    });
    expect(ctx.output).toHaveBeenCalledWith('file', file);
    expect(ctx.output).toHaveBeenCalledWith(
      'connectionSecretName',
      'payments-cache-connection',
    );
  });

  it("refuses a claim in another team's namespace, or for a team the user is not in; a platform admin may claim for any team", async () => {
    const claim = (
      claimer: ReturnType<typeof createRenderClaimAction>,
      request: Partial<typeof input>,
    ) =>
      claimer.handler(
        createMockActionContext({
          workspacePath,
          input: { ...input, ...request },
        }),
      );

    await expect(claim(action, { namespace: 'orders-team' })).rejects.toThrow(
      'Cannot claim RedisCache payments-cache: namespace "orders-team" is not payments-team\'s',
    );
    await expect(
      claim(action, { owner: 'orders-team', namespace: 'orders-team' }),
    ).rejects.toThrow(
      "Cannot claim RedisCache payments-cache: you may not write orders-team's files in the GitOps repository: you are not a member of group:default/orders-team",
    );
    expect(fs.readdirSync(workspacePath)).toEqual([]);

    await claim(claimAs({ teams: [], admin: true }), {
      owner: 'orders-team',
      namespace: 'orders-team',
    });
    expect(
      fs.readdirSync(
        path.join(workspacePath, 'gitops/infrastructure/production'),
      ),
    ).toEqual(['orders-team']);
  });

  it('refuses parameters outside the API schema and writes nothing', async () => {
    const ctx = createMockActionContext({
      workspacePath,
      input: { ...input, parameters: { memoryMB: 100 } },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      '/spec/parameters/memoryMB must be >= 256',
    );
    expect(fs.readdirSync(workspacePath)).toEqual([]);
  });

  it('skips a broken definition, naming its file, and keeps the others', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apis-'));
    fs.cpSync(
      path.resolve(__dirname, '../../../../platform/apis/redis-cache'),
      path.join(dir, 'redis-cache'),
      {
        recursive: true,
      },
    );
    fs.mkdirSync(path.join(dir, 'broken'));
    fs.writeFileSync(
      path.join(dir, 'broken', 'definition.yaml'),
      'kind: [oops',
    );
    const errors = mockServices.logger.mock();

    const apis = await loadPlatformApis(dir, errors);
    expect(apis.map(a => a.kind)).toEqual(['RedisCache']);
    expect(errors.error).toHaveBeenCalledWith(
      expect.stringContaining(
        `Skipping platform API ${path.join(dir, 'broken', 'definition.yaml')}:`,
      ),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
