import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiClient, eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import { startCausewayBackend } from './__testUtils__/startCausewayBackend';
import {
  authModuleTestSignIn,
  signInAs,
} from './__testUtils__/testSignInProvider';

jest.setTimeout(180_000);

/*
 * Checks of this test's own, on catalog facts only, so the test does not
 * depend on the repository's scorecards/. On the demo catalog
 * (examples/components.yaml) payment-service reaches silver: nothing
 * declares an on-call rotation.
 */
const CHECKS = `checks:
  - id: owned-by-group
    title: Owned by a team
    description: A team answers for it.
    level: bronze
    appliesTo: { kind: Component }
    rule: { fact: catalog.ownerKind, equals: Group }
    fix: { text: Set spec.owner to a group. }
  - id: runbook
    title: Runbook linked
    description: On-call needs it.
    level: silver
    appliesTo: { kind: Component, type: service }
    rule: { fact: catalog.hasRunbookLink, equals: true }
    fix: { text: Add a link of type runbook. }
  - id: provides-an-api
    title: Provides an API
    description: Services are used through their APIs.
    level: silver
    appliesTo: { kind: Component, type: service }
    rule: { fact: catalog.providesApiCount, gte: 1 }
    fix: { text: List the API under spec.providesApis. }
  - id: on-call
    title: On-call rotation
    description: Someone is paged when it breaks.
    level: gold
    appliesTo: { kind: Component, type: service }
    rule: { fact: catalog.hasOnCall, equals: true }
    fix: { text: Add the pagerduty.com/service-id annotation. }
`;

const PAYMENT = '/api/scorecard/entities/component/default/payment-service';
const PROBE = '/api/scorecard/entities/component/default/waiver-probe';

/** payments-team's service without a runbook link, registered from a file. */
const PROBE_ENTITY = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: waiver-probe
spec:
  type: service
  lifecycle: production
  owner: group:default/payments-team
`;

/** Moves the process's Date to `now`; timers run as usual. */
function fakeDate(now: number) {
  jest.useFakeTimers({
    now,
    advanceTimers: true,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

/** Evaluations on request one user may make per minute in this test. */
const PER_MINUTE = 3;
const day = (from: number, days = 0) =>
  new Date(from + days * 86_400_000).toISOString().slice(0, 10);

describe.each(backendDatabaseIds)('scorecard on %s', databaseId => {
  let stop: () => Promise<void>;
  let baseUrl: string;
  let checksDir: string;
  let as: Record<'alice' | 'bob' | 'dave', ReturnType<typeof apiClient>>;
  /** A CI pipeline's static token, restricted to the scorecard plugin. */
  const ciToken = randomBytes(24).toString('hex');
  let probeFile: string;

  beforeAll(async () => {
    checksDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecards-'));
    fs.writeFileSync(path.join(checksDir, 'readiness.yaml'), CHECKS);
    probeFile = path.join(checksDir, 'waiver-probe.catalog.yml');
    fs.writeFileSync(probeFile, PROBE_ENTITY);
    const started = await startCausewayBackend({
      database: databaseId,
      extraFeatures: [authModuleTestSignIn],
      extraLocations: [{ type: 'file', target: probeFile }],
      config: {
        backend: {
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: ciToken, subject: 'ci-gate' },
                accessRestrictions: [{ plugin: 'scorecard' }],
              },
            ],
          },
        },
        // Signing keys in memory, dated by the process clock like the
        // tokens: the last test moves that clock two days on.
        auth: { providers: { test: {} }, keyStore: { provider: 'memory' } },
        scorecard: {
          checks: { directory: checksDir },
          // A string: objects would merge with app-config's { minutes: 10 }.
          schedule: { frequency: 'PT5S' },
          catalogPoll: { frequency: { seconds: 1 } },
          evaluate: { perUserPerMinute: PER_MINUTE },
        },
      },
    });
    stop = started.stop;
    baseUrl = started.backend.baseUrl;
    const signIn = async (user: string) =>
      apiClient(baseUrl, await signInAs(baseUrl, user));
    const alice = await eventually(() => signIn('alice'), 'alice');
    as = { alice, bob: await signIn('bob'), dave: await signIn('dave') };
  });

  afterAll(async () => {
    jest.useRealTimers();
    await stop?.();
    fs.rmSync(checksDir, { recursive: true, force: true });
  });

  it('evaluates the demo catalog: every component, with the values behind failures', async () => {
    const components = await eventually(async () => {
      const res = await as.alice(
        'GET',
        '/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name',
      );
      return res.body.totalItems >= 10 ? res.body.totalItems : undefined;
    }, 'the demo catalog');

    const overview = await eventually(async () => {
      const res = await as.bob('GET', '/api/scorecard/overview?limit=100');
      return res.status === 200 && res.body.totalItems === components
        ? res.body
        : undefined;
    }, 'every component evaluated');
    expect(overview.items.map((i: any) => i.entityRef)).toContain(
      'component:default/payment-service',
    );

    const payment = await eventually(async () => {
      const res = await as.bob('GET', PAYMENT);
      // Relations arrive as the catalog stitches; wait for the owner's.
      return res.body.level === 'silver' ? res.body : undefined;
    }, 'payment-service at silver');
    expect(
      payment.results.find((r: any) => r.checkId === 'on-call'),
    ).toMatchObject({
      status: 'fail',
      values: { 'catalog.hasOnCall': false },
      fix: { text: 'Add the pagerduty.com/service-id annotation.' },
    });

    const fraud = await as.bob(
      'GET',
      '/api/scorecard/entities/component/default/fraud-detector',
    );
    expect(
      fraud.body.results.find((r: any) => r.checkId === 'provides-an-api'),
    ).toMatchObject({
      status: 'fail',
      values: { 'catalog.providesApiCount': 0 },
    });

    const gate = await as.bob(
      'GET',
      '/api/scorecard/gate/component/default/payment-service?minLevel=gold',
    );
    expect(gate.body).toMatchObject({
      pass: false,
      level: 'silver',
      blocking: [{ checkId: 'on-call' }],
    });
    expect(
      (
        await as.bob(
          'GET',
          '/api/scorecard/gate/component/default/no-such-service?minLevel=gold',
        )
      ).status,
    ).toBe(404);

    const rollup = await eventually(async () => {
      const res = await as.alice(
        'GET',
        '/api/scorecard/groups/default/engineering/rollup',
      );
      return res.status === 200 && res.body.entities > 0 ? res.body : undefined;
    }, 'the group tree from a full run');
    expect(rollup.groups).toEqual(
      expect.arrayContaining([
        'group:default/engineering',
        'group:default/payments-team',
        'group:default/orders-team',
      ]),
    );
  });

  it('lets an owner and an admin waive a check, which counts as passing, and refuses another team', async () => {
    const waiver = {
      checkId: 'on-call',
      reason: 'PagerDuty rotation starts next week',
      expiresOn: day(Date.now(), 1),
    };
    expect((await as.dave('POST', `${PAYMENT}/waivers`, waiver)).status).toBe(
      403,
    );

    const created = await as.bob('POST', `${PAYMENT}/waivers`, waiver);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...waiver,
      createdBy: 'user:default/bob',
      active: true,
    });

    const waived = await as.bob('GET', PAYMENT);
    expect(waived.body).toMatchObject({ level: 'gold', waived: 1 });
    const gate = await as.bob(
      'GET',
      '/api/scorecard/gate/component/default/payment-service?minLevel=gold',
    );
    expect(gate.body).toMatchObject({ pass: true, blocking: [] });

    const orderWaiver = { ...waiver, reason: 'Shared rotation with payments' };
    expect(
      (
        await as.bob(
          'POST',
          '/api/scorecard/entities/component/default/order-service/waivers',
          orderWaiver,
        )
      ).status,
    ).toBe(403);
    const byAdmin = await as.alice(
      'POST',
      '/api/scorecard/entities/component/default/order-service/waivers',
      orderWaiver,
    );
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.createdBy).toBe('user:default/alice');
  });

  it('lets only the owners and admins evaluate an entity on request, never a service token', async () => {
    const ci = apiClient(baseUrl, ciToken);
    // The CI token reads the gate, and may not make the portal grade.
    expect(
      (
        await ci(
          'GET',
          '/api/scorecard/gate/component/default/payment-service?minLevel=bronze',
        )
      ).status,
    ).toBe(200);
    expect((await ci('POST', `${PAYMENT}/evaluate`)).status).toBe(403);

    // dave is in orders-team; payment-service is payments-team's.
    const dave = await as.dave('POST', `${PAYMENT}/evaluate`);
    expect(dave.status).toBe(403);
    expect(dave.body.error.message).toBe(
      'Not allowed: scorecard.evaluate on component:default/payment-service',
    );
    const bob = await as.bob('POST', `${PAYMENT}/evaluate`);
    expect(bob.status).toBe(200);
    expect(bob.body.entityRef).toBe('component:default/payment-service');
    // alice is a platform admin.
    expect(
      (
        await as.alice(
          'POST',
          '/api/scorecard/entities/component/default/order-service/evaluate',
        )
      ).status,
    ).toBe(200);
  });

  it('answers 429 with Retry-After once a user has asked for too many evaluations this minute', async () => {
    // Date only, to the start of a minute: the burst falls in one window.
    fakeDate(Math.ceil(Date.now() / 60_000) * 60_000 + 100);
    try {
      const carol = apiClient(baseUrl, await signInAs(baseUrl, 'carol'));
      const statuses: number[] = [];
      for (let i = 0; i <= PER_MINUTE; i++) {
        statuses.push((await carol('POST', `${PAYMENT}/evaluate`)).status);
      }
      expect(statuses).toEqual([...Array(PER_MINUTE).fill(200), 429]);
      const response = await fetch(`${baseUrl}${PAYMENT}/evaluate`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await signInAs(baseUrl, 'carol')}`,
        },
      });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await response.json()).error).toMatchObject({
        name: 'TooManyRequestsError',
        message: expect.stringContaining(
          `user:default/carol may make ${PER_MINUTE} a minute`,
        ),
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not carry a waiver over to a new entity registered under the same ref', async () => {
    const entityPath =
      '/api/catalog/entities/by-name/component/default/waiver-probe';
    const uidNow = async () => {
      const res = await as.alice('GET', entityPath);
      return res.status === 200 ? (res.body.metadata.uid as string) : undefined;
    };
    const oldUid = await eventually(uidNow, 'the probe in the catalog');
    // Owned by payments-team once its relations are stitched: bob may waive.
    await eventually(async () => {
      const res = await as.bob('GET', PROBE);
      const owned = res.body?.results?.find(
        (r: any) => r.checkId === 'owned-by-group',
      );
      return owned?.status === 'pass' ? true : undefined;
    }, 'the probe evaluated with its owner');
    const waiver = await as.bob('POST', `${PROBE}/waivers`, {
      checkId: 'runbook',
      reason: 'Runbook in review',
      expiresOn: day(Date.now(), 7),
    });
    expect(waiver.status).toBe(201);
    expect((await as.bob('GET', PROBE)).body.waived).toBe(1);

    // An admin deletes it; its file registers it again, as a new entity.
    expect(
      (await as.alice('DELETE', `/api/catalog/entities/by-uid/${oldUid}`))
        .status,
    ).toBe(204);
    const locations = await as.alice(
      'GET',
      `/api/catalog/entities/by-query?filter=kind=location,spec.target=${encodeURIComponent(
        probeFile,
      )}`,
    );
    const [location] = locations.body.items;
    expect(
      (
        await as.alice('POST', '/api/catalog/refresh', {
          entityRef: `location:default/${location.metadata.name}`,
        })
      ).status,
    ).toBe(200);
    await eventually(async () => {
      const uid = await uidNow();
      return uid && uid !== oldUid ? uid : undefined;
    }, 'the probe registered again');

    // An admin asks for it to be graded now (bob's relations to the new
    // entity may still be on their way).
    const evaluated = await as.alice('POST', `${PROBE}/evaluate`);
    expect(evaluated.status).toBe(200);
    const graded = evaluated.body;
    expect(graded).toMatchObject({ waived: 0 });
    expect(
      graded.results.find((r: any) => r.checkId === 'runbook'),
    ).toMatchObject({ status: 'fail' });
    expect((await as.bob('GET', `${PROBE}/waivers`)).body.items).toEqual([]);
  });

  it('stops counting a waiver once it has expired', async () => {
    // Two days on: only Date moves, timers run as usual.
    fakeDate(Date.now() + 2 * 86_400_000);
    const bob = apiClient(baseUrl, await signInAs(baseUrl, 'bob'));

    const evaluated = await bob('POST', `${PAYMENT}/evaluate`);
    expect(evaluated.status).toBe(200);
    expect(evaluated.body).toMatchObject({ level: 'silver', waived: 0 });
    expect(
      evaluated.body.results.find((r: any) => r.checkId === 'on-call'),
    ).toMatchObject({ status: 'fail' });

    const waivers = await bob('GET', `${PAYMENT}/waivers`);
    expect(waivers.body.items).toEqual([
      expect.objectContaining({ checkId: 'on-call', active: false }),
    ]);
  });
});
