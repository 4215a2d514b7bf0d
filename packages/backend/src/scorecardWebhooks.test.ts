import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiClient, eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import { checksFile, git, storedStatuses } from './__testUtils__/gradedService';
import { startCausewayBackend } from './__testUtils__/startCausewayBackend';
import {
  StandInGitHub,
  startStandInGitHub,
} from './__testUtils__/standInGitHub';
import {
  authModuleTestSignIn,
  signInAs,
} from './__testUtils__/testSignInProvider';

jest.setTimeout(240_000);

/*
 * A push to a hosted (stand-in GitHub) source repository re-grades its
 * service when GitHub's push webhook arrives signed with the configured
 * secret; a webhook with a bad or no signature is refused and re-grades
 * nothing; with no webhook, the poll of the organisation's events finds the
 * push. The scheduled run is 10 minutes away throughout.
 */
const CHECKS = checksFile({ readme: 'bronze' });
const ORG = 'acme';
const NAME = 'webhook-service';
const SECRET = 'webhook-secret-for-tests';

describe.each(backendDatabaseIds)('GitHub push webhooks on %s', databaseId => {
  let standIn: StandInGitHub;
  let stop: () => Promise<void>;
  let baseUrl: string;
  let scratch: string;
  let work: string;
  let pushUrl: string;
  let api: ReturnType<typeof apiClient>;

  const gitInWork = async (...args: string[]) =>
    (await git(work, ...args)).stdout;

  const readmeFails = async () =>
    (await storedStatuses(api, `component:default/${NAME}`, ['readme']))
      ?.readme === 'fail';

  const webhook = (body: object, signature?: string) =>
    fetch(`${baseUrl}/api/events/http/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        ...(signature ? { 'x-hub-signature-256': signature } : {}),
      },
      body: JSON.stringify(body),
    });
  const sign = (body: object, secret: string) =>
    `sha256=${createHmac('sha256', secret)
      .update(JSON.stringify(body))
      .digest('hex')}`;

  beforeAll(async () => {
    standIn = await startStandInGitHub({ organizations: [ORG] });
    standIn.addRepository(ORG, NAME);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-webhooks-'));
    work = path.join(scratch, 'work');
    fs.mkdirSync(work);
    await gitInWork('init', '--quiet', '--initial-branch=main');
    fs.writeFileSync(path.join(work, 'catalog-info.yaml'), 'kind: Component\n');
    await gitInWork('add', '.');
    await gitInWork('commit', '--quiet', '-m', 'Start');
    const push = new URL(
      `${new URL(standIn.apiBaseUrl).origin}/${ORG}/${NAME}.git`,
    );
    push.username = 'x-access-token';
    push.password = standIn.token;
    pushUrl = push.toString();
    await gitInWork('push', '--quiet', pushUrl, 'HEAD:main');

    const checksDir = path.join(scratch, 'checks');
    fs.mkdirSync(checksDir);
    fs.writeFileSync(path.join(checksDir, 'checks.yaml'), CHECKS);
    const entityFile = path.join(scratch, 'entity.yaml');
    fs.writeFileSync(
      entityFile,
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${NAME}
  annotations:
    backstage.io/source-location: url:https://${standIn.host}/${ORG}/${NAME}/tree/main/
spec: { type: service, owner: group:default/payments-team, lifecycle: production }
`,
    );
    const started = await startCausewayBackend({
      database: databaseId,
      extraFeatures: [authModuleTestSignIn],
      extraLocations: [{ type: 'file', target: entityFile }],
      config: {
        auth: { providers: { test: {} } },
        integrations: { github: [standIn.integration] },
        events: { modules: { github: { webhookSecret: SECRET } } },
        scorecard: {
          checks: { directory: checksDir },
          schedule: { frequency: 'PT10M' },
          catalogPoll: { frequency: { seconds: 1 } },
          headPoll: { frequency: 'PT1H', hostedFrequency: 'PT1H' },
        },
      },
    });
    stop = started.stop;
    baseUrl = started.backend.baseUrl;
    api = apiClient(
      baseUrl,
      await eventually(() => signInAs(baseUrl, 'alice'), 'sign-in'),
    );
    await eventually(
      async () => ((await readmeFails()) ? true : undefined),
      'the service graded without a README',
    );
  });

  afterAll(async () => {
    await stop?.();
    await standIn?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('refuses an unsigned or badly signed push webhook, and re-grades on a signed one', async () => {
    const before = await gitInWork('rev-parse', 'HEAD');
    fs.writeFileSync(path.join(work, 'README.md'), '# Webhook service\n');
    await gitInWork('add', '.');
    await gitInWork('commit', '--quiet', '-m', 'README');
    await gitInWork('push', '--quiet', pushUrl, 'HEAD:main');
    const after = await gitInWork('rev-parse', 'HEAD');
    const body = {
      ref: 'refs/heads/main',
      before,
      after,
      repository: {
        html_url: `https://${standIn.host}/${ORG}/${NAME}`,
        default_branch: 'main',
        full_name: `${ORG}/${NAME}`,
      },
    };

    expect((await webhook(body)).status).toBe(403);
    expect((await webhook(body, sign(body, 'not-the-secret'))).status).toBe(
      403,
    );
    expect(await readmeFails()).toBe(true);

    expect((await webhook(body, sign(body, SECRET))).status).toBeLessThan(300);
    await eventually(
      async () => ((await readmeFails()) ? undefined : true),
      'the signed push webhook re-graded',
    );
  });

  it('finds a push no webhook reported in the organisation events, asked with an ETag', async () => {
    fs.rmSync(path.join(work, 'README.md'));
    await gitInWork('add', '--all');
    await gitInWork('commit', '--quiet', '-m', 'No README');
    await gitInWork('push', '--quiet', pushUrl, 'HEAD:main');
    expect(await readmeFails()).toBe(false);

    const trigger = () =>
      api(
        'POST',
        '/api/scorecard/.backstage/scheduler/v1/tasks/scorecard-hosted-source-poll/trigger',
      );
    const from = standIn.requests.length;
    expect((await trigger()).status).toBeLessThan(300);
    await eventually(
      async () => ((await readmeFails()) ? true : undefined),
      'the polled push re-graded',
    );
    // Asked again with nothing new: GitHub's 304, which costs no rate limit.
    await eventually(async () => {
      const res = await trigger();
      return res.status < 300 ? true : undefined;
    }, 'a second poll');
    const polls = await eventually(async () => {
      const asked = standIn.requests
        .slice(from)
        .filter(r => r.route === 'GET /orgs/{org}/events');
      return asked.length >= 2 ? asked : undefined;
    }, 'two polls');
    expect(polls.map(r => r.status)).toEqual([200, 304]);
    expect(polls.every(r => r.authenticated)).toBe(true);
  });
});
