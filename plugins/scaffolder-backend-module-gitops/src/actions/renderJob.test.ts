import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { defaultPlatformPolicy } from '@causeway/plugin-gitops-common';
import { parse } from 'yaml';
import { examples } from './renderJob.examples';
import { createRenderJobAction } from './renderJob';
import { teamAccess } from './__testUtils__/teamAccess';

const action = createRenderJobAction({
  policy: defaultPlatformPolicy,
  gitops: {
    repoURL: 'https://git.example.com/platform/gitops.git',
    branch: 'main',
  },
  // The teams of the input below and of the examples.
  ...teamAccess({ teams: ['billing-team', 'platform-team'] }),
});
const input = {
  name: 'invoice-export',
  owner: 'billing-team',
  environment: 'production',
  namespace: 'billing-team',
  image: `registry.example.com/billing/invoice-export@sha256:${'d4'.repeat(
    32,
  )}`,
  schedule: '30 2 * * *',
  timeZone: 'Europe/London',
  targetPath: 'gitops',
};
const dir = 'apps/production/billing-team/invoice-export';

describe('gitops:job:render', () => {
  let workspacePath: string;
  beforeEach(() => {
    workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'render-job-'));
  });
  afterEach(() => fs.rmSync(workspacePath, { recursive: true, force: true }));

  it('writes the validated CronJob and its companions into the workspace, laid out as in the GitOps repository', async () => {
    const ctx = createMockActionContext({ workspacePath, input: input as any });
    await action.handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith('serviceDir', dir);
    expect(ctx.output).toHaveBeenCalledWith('files', [
      `${dir}/cronjob.yaml`,
      `${dir}/networkpolicy.yaml`,
      `${dir}/kustomization.yaml`,
      `${dir}/argocd-application.yaml`,
    ]);
    expect(ctx.output).toHaveBeenCalledWith('warnings', []);
    const cronJob = parse(
      fs.readFileSync(
        path.join(workspacePath, 'gitops', dir, 'cronjob.yaml'),
        'utf8',
      ),
    );
    // The scaffolder does not apply the schema's defaults; the action does.
    expect(cronJob.spec).toMatchObject({
      schedule: '30 2 * * *',
      timeZone: 'Europe/London',
      concurrencyPolicy: 'Forbid',
    });
    expect(cronJob.spec.jobTemplate.spec).toMatchObject({
      activeDeadlineSeconds: 3600,
      backoffLimit: 2,
    });
    expect(
      cronJob.spec.jobTemplate.spec.template.spec.containers[0].image,
    ).toBe(input.image);
    expect(
      fs.readdirSync(path.join(workspacePath, 'gitops', dir)).sort(),
    ).toEqual([
      'argocd-application.yaml',
      'cronjob.yaml',
      'kustomization.yaml',
      'networkpolicy.yaml',
    ]);
  });

  it('renders both documented examples, reporting the one whose image is by tag', async () => {
    const warnings = [];
    for (const example of examples) {
      const [step] = parse(example.example).steps;
      const ctx = createMockActionContext({ workspacePath, input: step.input });
      await action.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith(
        'serviceDir',
        `apps/${step.input.environment}/${step.input.namespace}/${step.input.name}`,
      );
      warnings.push(
        ...(ctx.output as jest.Mock).mock.calls.find(
          ([name]) => name === 'warnings',
        )[1],
      );
    }
    expect(warnings).toEqual([
      'image registry.example.com/platform/cache-cleanup:3.1.0 is pinned by tag, not by digest: a tag can move under a running service',
    ]);
  });

  it.each([
    [
      { schedule: '0 2 * * 8' },
      'schedule: the day-of-week field "8" is out of range',
    ],
    [{ schedule: 'every night' }, 'schedule: "every night" has 2 fields'],
    [
      { timeZone: 'London' },
      'timeZone: "London" is not an IANA time zone such as Europe/London',
    ],
    [{ image: 'invoice-export:latest' }, 'must be pinned by digest'],
    [
      {
        resources: {
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { cpu: '8', memory: '256Mi' },
        },
      },
      "resources.limits.cpu: 8 is above the platform's maximum of 4",
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
