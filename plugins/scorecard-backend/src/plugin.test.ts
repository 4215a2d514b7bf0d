import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BackstageCredentials,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Facts } from '@causeway/plugin-scorecard-common';
import {
  EntityChangeListener,
  scorecardFactProvidersExtensionPoint,
} from '@causeway/plugin-scorecard-node';
import request from 'supertest';
import { scorecardPlugin } from './plugin';
import { TEST_CHECKS, testProviderFacts } from './__testUtils__/testChecks';

const entity = (
  kind: string,
  name: string,
  spec: Entity['spec'],
  relations: Array<[string, string]> = [],
  metadata: Partial<Entity['metadata']> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', ...metadata },
  spec,
  relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
});

const runbook = {
  links: [{ url: 'https://runbooks.example.com', title: 'Runbook' }],
};

const entities: Entity[] = [
  entity(
    'Component',
    'payment-service',
    { type: 'service', owner: 'payments-team', system: 'checkout-system' },
    [
      ['ownedBy', 'group:default/payments-team'],
      ['partOf', 'system:default/checkout-system'],
    ],
    runbook,
  ),
  entity(
    'Component',
    'order-service',
    { type: 'service', owner: 'orders-team' },
    [['ownedBy', 'group:default/orders-team']],
    runbook,
  ),
  entity(
    'Component',
    'checkout-web',
    { type: 'website', owner: 'orders-team' },
    [['ownedBy', 'group:default/orders-team']],
  ),
  entity(
    'API',
    'payment-api',
    { type: 'openapi', owner: 'payments-team' },
    [['ownedBy', 'group:default/payments-team']],
    { description: 'Takes payments' },
  ),
  entity('Group', 'engineering', { type: 'organization' }, [
    ['parentOf', 'group:default/payments-team'],
  ]),
  entity('Group', 'payments-team', { type: 'team' }, [
    ['childOf', 'group:default/engineering'],
  ]),
  entity('Group', 'orders-team', { type: 'team' }, [
    ['childOf', 'group:default/engineering'],
  ]),
  entity('System', 'checkout-system', { owner: 'payments-team' }),
];

const PAYMENT = '/api/scorecard/entities/component/default/payment-service';

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(`user:default/${user}`),
});
const bob = as('bob');

/** Today and a day n days away, as YYYY-MM-DD (UTC). */
const day = (n = 0) =>
  new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

async function startScorecardBackend(scorecard: Record<string, unknown> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecards-'));
  fs.writeFileSync(path.join(dir, 'test.yaml'), TEST_CHECKS);
  fs.writeFileSync(
    path.join(dir, 'broken.yaml'),
    'checks:\n  - id: broken\n    title: t\n    description: d\n    level: bronze\n    rule: { fact: test.replica, gte: 2 }\n    fix: { text: f }\n',
  );

  const facts: Record<string, Facts> = {
    'component:default/payment-service': { 'test.replicas': 1 },
    'component:default/order-service': { 'test.replicas': 3 },
  };
  let notify: EntityChangeListener = () => {};
  /** The entities of each collect call of the test provider. */
  const collected: string[][] = [];
  const testFacts = createBackendModule({
    pluginId: 'scorecard',
    moduleId: 'test-facts',
    register(reg) {
      reg.registerInit({
        deps: { scorecard: scorecardFactProvidersExtensionPoint },
        async init({ scorecard: points }) {
          points.addFactProvider({
            id: 'test',
            facts: testProviderFacts,
            async collect(batch, options) {
              collected.push(batch.map(e => stringifyEntityRef(e)));
              // What the facts were made of, as a provider reading a
              // repository reports it.
              for (const e of batch) {
                options?.revisions?.set(stringifyEntityRef(e), {
                  test: { commit: 'c0ffee0', content: 'folder' },
                });
              }
              return new Map(
                batch
                  .map(e => stringifyEntityRef(e))
                  .filter(ref => facts[ref])
                  .map(ref => [ref, facts[ref]]),
              );
            },
          });
          points.addChangeSource(listener => {
            notify = listener;
          });
        },
      });
    },
  });

  const tasks = new Map<string, () => Promise<void>>();
  const catalog = catalogServiceMock({ entities });
  const byRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
  // The catalog applies carol's conditional read decision (her team's
  // entities) to what it lists for her.
  const listEntities = catalog.getEntities.bind(catalog);
  const listed = jest
    .spyOn(catalog, 'getEntities')
    .mockImplementation(async (query, queryOptions) => {
      const response = await listEntities(query, queryOptions);
      const { principal } = (
        queryOptions as { credentials: BackstageCredentials }
      ).credentials as BackstageCredentials<{ userEntityRef?: string }>;
      if (principal.userEntityRef !== 'user:default/carol') return response;
      const owned = new Set(
        entities
          .filter(e =>
            e.relations?.some(
              r =>
                r.type === 'ownedBy' &&
                r.targetRef === 'group:default/payments-team',
            ),
          )
          .map(e => stringifyEntityRef(e)),
      );
      return {
        items: response.items.filter(e => owned.has(stringifyEntityRef(e))),
      };
    });
  const decided: string[] = [];
  const { server } = await startTestBackend({
    features: [
      scorecardPlugin,
      testFacts,
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog,
      }),
      mockServices.rootConfig.factory({
        data: {
          scorecard: {
            checks: { directory: dir },
            waivers: { maxDays: 30 },
            ...scorecard,
          },
        },
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      // Tasks run when a test says so.
      mockServices.scheduler.mock({
        async scheduleTask(task) {
          tasks.set(task.id, async () => {
            await task.fn(new AbortController().signal);
          });
        },
      }).factory,
      // mallory may not read scorecards; dave may not waive or evaluate;
      // eve sees no
      // entity in the catalog, carol only some (the catalog applies it).
      mockServices.permissions.mock({
        async authorize(requests, { credentials }) {
          const user = (credentials.principal as { userEntityRef?: string })
            .userEntityRef;
          decided.push(...requests.map(r => `${user} ${r.permission.name}`));
          return requests.map(({ permission }) => ({
            result:
              user === 'user:default/mallory' ||
              (user === 'user:default/dave' &&
                (permission.name.startsWith('scorecard.waiver') ||
                  permission.name === 'scorecard.evaluate'))
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }));
        },
        async authorizeConditional(requests, { credentials }) {
          const user = (credentials.principal as { userEntityRef?: string })
            .userEntityRef;
          decided.push(...requests.map(r => `${user} ${r.permission.name}`));
          return requests.map(({ permission }) => {
            if (user === 'user:default/eve') {
              return { result: AuthorizeResult.DENY };
            }
            if (user === 'user:default/carol') {
              return {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'catalog',
                resourceType: permission.resourceType,
                conditions: {
                  rule: 'IS_ENTITY_OWNER',
                  resourceType: permission.resourceType,
                  params: { claims: ['group:default/payments-team'] },
                },
              };
            }
            return { result: AuthorizeResult.ALLOW };
          });
        },
      }).factory,
    ],
  });
  return {
    server,
    facts,
    /** The catalog's getEntitiesByRefs, as the scorecard calls it. */
    byRefs,
    /** The catalog's getEntities, as the scorecard calls it. */
    listed,
    collected,
    /** Every permission decision asked for: "USER PERMISSION". */
    decided,
    notify: (refs: string[]) => notify(refs),
    evaluateAll: () => tasks.get('scorecard-evaluate-all')!(),
    pollCatalog: () => tasks.get('scorecard-catalog-changes')!(),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

describe('scorecard API', () => {
  let backend: Awaited<ReturnType<typeof startScorecardBackend>>;
  const get = (route: string, headers: Record<string, string> = bob) =>
    request(backend.server).get(`/api/scorecard${route}`).set(headers);

  beforeAll(async () => {
    backend = await startScorecardBackend();
  });
  afterAll(() => backend.cleanup());

  it('leaves the health check open', async () => {
    const res = await request(backend.server).get('/api/scorecard/health');
    expect(res.status).toBe(200);
  });

  it('serves the checks, with each problem of the check files by file and line', async () => {
    const res = await get('/checks');
    expect(res.status).toBe(200);
    // The waive form offers no day past the configured maximum.
    expect(res.body.waivers).toEqual({ maxDays: 30 });
    expect(res.body.checks.map((c: { id: string }) => c.id)).toEqual([
      'owned-by-group',
      'two-replicas',
      'runbook',
      'database-backups',
      'api-described',
    ]);
    expect(res.body.problems).toEqual([
      {
        file: expect.stringMatching(/broken\.yaml$/),
        line: 6,
        message:
          'check broken: rule.fact: unknown fact "test.replica" (did you mean "test.replicas"?)',
      },
    ]);
    expect(res.body.facts).toContainEqual(
      expect.objectContaining({ name: 'catalog.hasRunbookLink' }),
    );
  });

  it('tells an entity never evaluated from one the catalog does not have', async () => {
    const notEvaluated = await get(
      '/gate/component/default/payment-service?minLevel=silver',
    );
    expect(notEvaluated.status).toBe(409);
    expect(notEvaluated.body.error).toMatchObject({
      name: 'NotEvaluatedError',
      message: 'component:default/payment-service has not been evaluated yet',
    });

    const unknown = await get(
      '/gate/component/default/nothing?minLevel=silver',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({
      name: 'NotFoundError',
      message: 'component:default/nothing is not in the catalog',
    });

    const scorecard = await get('/entities/component/default/payment-service');
    expect(scorecard.status).toBe(404);
    expect(scorecard.body.error.message).toMatch(/has not been evaluated/);
  });

  describe('after an evaluation', () => {
    beforeAll(async () => {
      await backend.evaluateAll();
    });

    it("serves an entity's scorecard with each check's values, fix and status", async () => {
      const res = await get('/entities/component/default/payment-service');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        entityRef: 'component:default/payment-service',
        level: 'bronze',
        passed: 2,
        failed: 1,
        waived: 0,
        evaluatedAt: expect.any(String),
        graded: { test: { commit: 'c0ffee0' } },
        results: [
          expect.objectContaining({
            checkId: 'owned-by-group',
            status: 'pass',
          }),
          {
            checkId: 'two-replicas',
            title: 'At least two replicas',
            description: 'One replica means downtime on every node drain.',
            level: 'silver',
            status: 'fail',
            values: { 'test.replicas': 1 },
            fix: {
              text: 'Set replicas to 2 or more.',
              link: 'https://docs.example.com/replicas',
            },
          },
          expect.objectContaining({ checkId: 'runbook', status: 'pass' }),
          expect.objectContaining({
            checkId: 'database-backups',
            status: 'not-applicable',
            values: {
              'catalog.hasSlo': false,
              'test.databaseClaimCount': null,
            },
          }),
        ],
      });
    });

    it('serves the overview with filters, sorting, paging and the level distribution', async () => {
      const all = await get('/overview');
      expect(all.status).toBe(200);
      expect(all.body.totalItems).toBe(4);
      expect(all.body.levels).toEqual({
        none: 0,
        bronze: 1,
        silver: 1,
        gold: 2,
      });
      expect(all.body.items[0]).toEqual({
        entityRef: 'component:default/payment-service',
        owner: 'group:default/payments-team',
        system: 'system:default/checkout-system',
        level: 'bronze',
        passed: 2,
        failed: 1,
        waived: 0,
        failingChecks: ['two-replicas'],
        evaluatedAt: expect.any(String),
      });

      const refs = async (query: string) =>
        (await get(`/overview?${query}`)).body.items.map(
          (i: { entityRef: string }) => i.entityRef,
        );
      expect(await refs('owner=payments-team&sort=name')).toEqual([
        'api:default/payment-api',
        'component:default/payment-service',
      ]);
      expect(await refs('system=checkout-system')).toEqual([
        'component:default/payment-service',
      ]);
      expect(await refs('failingCheck=runbook')).toEqual([
        'component:default/checkout-web',
      ]);
      expect(await refs('level=gold,silver&sort=name&order=desc')).toEqual([
        'api:default/payment-api',
        'component:default/order-service',
        'component:default/checkout-web',
      ]);
      expect(await refs('kind=API')).toEqual(['api:default/payment-api']);
      // Below a level, and several owners (the ones the home page asks about).
      expect(await refs('below=silver')).toEqual([
        'component:default/payment-service',
      ]);
      expect(await refs('owner=orders-team&below=silver')).toEqual([]);
      expect(
        await refs('owner=orders-team,group:default/payments-team&sort=name'),
      ).toEqual([
        'component:default/checkout-web',
        'component:default/order-service',
        'api:default/payment-api',
        'component:default/payment-service',
      ]);
      const page = await get('/overview?sort=name&limit=2&offset=2');
      expect(page.body.items.map((i: any) => i.entityRef)).toEqual([
        'api:default/payment-api',
        'component:default/payment-service',
      ]);
      expect(page.body.totalItems).toBe(4);

      expect((await get('/overview?sort=owner')).status).toBe(400);
      expect((await get('/overview?owner=group:/x')).status).toBe(400);
      expect((await get('/overview?level=platinum')).status).toBe(400);
      expect((await get('/overview?below=none')).status).toBe(400);
    });

    it('gates a release on a level, listing what blocks it with values and fix', async () => {
      const silver = await get(
        '/gate/component/default/payment-service?minLevel=silver',
      );
      expect(silver.status).toBe(200);
      expect(silver.body).toEqual({
        entityRef: 'component:default/payment-service',
        minLevel: 'silver',
        level: 'bronze',
        pass: false,
        evaluatedAt: expect.any(String),
        graded: { test: { commit: 'c0ffee0' } },
        blocking: [
          {
            checkId: 'two-replicas',
            title: 'At least two replicas',
            level: 'silver',
            values: { 'test.replicas': 1 },
            fix: {
              text: 'Set replicas to 2 or more.',
              link: 'https://docs.example.com/replicas',
            },
          },
        ],
      });

      const bronze = await get(
        '/gate/component/default/payment-service?minLevel=bronze',
      );
      expect(bronze.body).toMatchObject({ pass: true, blocking: [] });

      // A CI pipeline calls with a service token.
      const service = await get(
        '/gate/component/default/order-service?minLevel=gold',
        { Authorization: mockCredentials.service.header() },
      );
      expect(service.body).toMatchObject({ pass: true, level: 'gold' });

      expect(
        (await get('/gate/component/default/payment-service')).status,
      ).toBe(400);
    });

    it('rolls up a group with every group below it', async () => {
      const res = await get('/groups/default/engineering/rollup');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        groupRef: 'group:default/engineering',
        groups: [
          'group:default/engineering',
          'group:default/orders-team',
          'group:default/payments-team',
        ],
        entities: 4,
        levels: { none: 0, bronze: 1, silver: 1, gold: 2 },
      });
      expect(res.body.items).toHaveLength(4);

      const team = await get('/groups/default/payments-team/rollup');
      expect(team.body).toMatchObject({
        groups: ['group:default/payments-team'],
        entities: 2,
      });
      expect((await get('/groups/default/nobody/rollup')).status).toBe(404);
    });

    it('serves the daily history of an entity, a group and the organisation', async () => {
      const history = await get(
        '/entities/component/default/payment-service/history?days=7',
      );
      expect(history.status).toBe(200);
      expect(history.body.items).toEqual([
        { day: day(), level: 'bronze', passed: 2, failed: 1 },
      ]);

      const group = await get('/groups/default/payments-team/history?days=30');
      expect(group.body.items).toEqual([
        {
          day: day(),
          entities: 2,
          levels: { none: 0, bronze: 1, silver: 0, gold: 1 },
        },
      ]);
      expect(
        (await get('/groups/default/payments-team/history?days=0')).status,
      ).toBe(400);

      const organisation = await get('/history');
      expect(organisation.body.items).toEqual([
        {
          day: day(),
          entities: 4,
          levels: { none: 0, bronze: 1, silver: 1, gold: 2 },
        },
      ]);
    });

    it('serves a badge to signed-in users', async () => {
      const res = await get('/badge/component/default/payment-service');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(res.body.toString()).toContain('>bronze</text>');

      const anonymous = await request(backend.server).get(
        '/api/scorecard/badge/component/default/payment-service',
      );
      expect(anonymous.status).toBe(401);
    });

    it('needs scorecard.read on every read', async () => {
      const mallory = as('mallory');
      for (const route of [
        '/checks',
        '/overview',
        '/history',
        '/entities/component/default/payment-service',
        '/gate/component/default/payment-service?minLevel=bronze',
        '/groups/default/engineering/rollup',
        '/badge/component/default/payment-service',
      ]) {
        expect((await get(route, mallory)).status).toBe(403);
      }
      expect((await get('/overview', {})).status).toBe(401);
    });

    it('shows an entity to a user only as the catalog would, asking the catalog only when its decision has conditions', async () => {
      backend.byRefs.mockClear();
      // bob may read every entity: the evaluated entities answer.
      expect(
        (await get('/entities/component/default/payment-service')).status,
      ).toBe(200);
      expect(backend.byRefs).not.toHaveBeenCalled();

      // carol's decision has conditions: the catalog decides, as carol.
      const carol = await get(
        '/entities/component/default/payment-service',
        as('carol'),
      );
      expect(carol.status).toBe(200);
      expect(backend.byRefs).toHaveBeenCalledWith(
        expect.objectContaining({
          entityRefs: ['component:default/payment-service'],
        }),
        {
          credentials: expect.objectContaining({
            principal: expect.objectContaining({
              userEntityRef: 'user:default/carol',
            }),
          }),
        },
      );

      // eve may read no entity of the catalog.
      for (const [route, ref] of [
        [
          '/entities/component/default/payment-service',
          'component:default/payment-service',
        ],
        [
          '/gate/component/default/payment-service?minLevel=bronze',
          'component:default/payment-service',
        ],
        ['/groups/default/engineering/rollup', 'group:default/engineering'],
      ]) {
        const res = await get(route, as('eve'));
        expect(res.status).toBe(404);
        expect(res.body.error.message).toBe(`${ref} is not in the catalog`);
      }
    });

    it('lists, rolls up and counts history only over the entities the catalog shows the user', async () => {
      backend.listed.mockClear();
      const refsOf = (body: { items: Array<{ entityRef: string }> }) =>
        body.items.map(i => i.entityRef).sort();
      // bob may read every entity: nothing is asked of the catalog.
      expect((await get('/overview')).body.totalItems).toBe(4);
      expect(backend.listed).not.toHaveBeenCalled();

      // carol sees payments-team's entities: one catalog call per list.
      const carol = as('carol');
      const overview = await get('/overview', carol);
      expect(refsOf(overview.body)).toEqual([
        'api:default/payment-api',
        'component:default/payment-service',
      ]);
      expect(overview.body.totalItems).toBe(2);
      expect(backend.listed).toHaveBeenCalledTimes(1);
      expect(backend.listed).toHaveBeenCalledWith(expect.anything(), {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({
            userEntityRef: 'user:default/carol',
          }),
        }),
      });
      const rollup = await get('/groups/default/engineering/rollup', carol);
      expect(rollup.body.entities).toBe(2);
      expect(refsOf(rollup.body)).toEqual(refsOf(overview.body));
      const history = await get('/history', carol);
      expect(history.body.items.map((i: any) => i.entities)).toEqual([2]);
      const teamHistory = await get(
        '/groups/default/orders-team/history',
        carol,
      );
      expect(teamHistory.body.items).toEqual([]);
      expect(backend.listed).toHaveBeenCalledTimes(4);
    });

    it('refuses overview filters longer than any stored ref or check id', async () => {
      const res = await get(`/overview?failingCheck=${'x'.repeat(256)}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('failingCheck'),
      });
    });

    it('refuses more owners than one overview asks about', async () => {
      const owners = Array.from({ length: 51 }, (_, i) => `team-${i}`);
      const res = await get(`/overview?owner=${owners.join(',')}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        name: 'InputError',
        message: 'owner: at most 50 owners',
      });
      expect(
        (await get(`/overview?owner=${owners.slice(1).join(',')}`)).status,
      ).toBe(200);
    });

    it("asks for a user's read decisions once for the reads of a page", async () => {
      backend.decided.length = 0;
      const frank = as('frank');
      for (const route of [
        '/entities/component/default/payment-service',
        '/entities/component/default/payment-service/history',
        '/entities/component/default/payment-service/waivers',
        '/badge/component/default/payment-service',
      ]) {
        expect((await get(route, frank)).status).toBe(200);
      }
      expect(backend.decided).toEqual([
        'user:default/frank scorecard.read',
        'user:default/frank catalog.entity.read',
      ]);
    });

    it('lets an allowed user waive a check, which then counts as passing, and revoke it', async () => {
      const waive = (body: object, headers = bob) =>
        request(backend.server)
          .post(`${PAYMENT}/waivers`)
          .set(headers)
          .send(body);
      const valid = {
        checkId: 'two-replicas',
        reason: 'Scaling up after the load test',
        expiresOn: day(7),
      };

      expect((await waive(valid, as('dave'))).status).toBe(403);
      for (const [body, message] of [
        [{ ...valid, checkId: 'nope' }, 'Unknown check "nope"'],
        [{ ...valid, reason: '  ' }, 'A waiver needs a reason'],
        [{ ...valid, expiresOn: day(-1) }, 'is in the past'],
        [{ ...valid, expiresOn: day(31) }, 'at most 30 days'],
        [{ ...valid, expiresOn: '2026-02-30' }, 'YYYY-MM-DD'],
      ] as const) {
        const res = await waive(body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(message);
      }

      const created = await waive(valid);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        entityRef: 'component:default/payment-service',
        ...valid,
        createdBy: 'user:default/bob',
        createdAt: expect.any(String),
        active: true,
      });

      // Evaluated again at once: the waived check counts as passing.
      const waived = await get('/entities/component/default/payment-service');
      expect(waived.body).toMatchObject({
        level: 'gold',
        waived: 1,
        failed: 0,
      });
      expect(
        waived.body.results.find((r: any) => r.checkId === 'two-replicas'),
      ).toMatchObject({
        status: 'waived',
        values: { 'test.replicas': 1 },
        waiver: { id: created.body.id, reason: valid.reason },
      });
      expect(
        (await get('/gate/component/default/payment-service?minLevel=silver'))
          .body.pass,
      ).toBe(true);

      const revoke = (id: string, headers = bob) =>
        request(backend.server).delete(`${PAYMENT}/waivers/${id}`).set(headers);
      expect((await revoke(created.body.id, as('dave'))).status).toBe(403);
      const revoked = await revoke(created.body.id);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({
        id: created.body.id,
        revokedBy: 'user:default/bob',
        revokedAt: expect.any(String),
        active: false,
      });
      expect((await revoke(created.body.id)).status).toBe(409);
      expect((await revoke('no-such-waiver')).status).toBe(404);

      expect(
        (await get('/entities/component/default/payment-service')).body.level,
      ).toBe('bronze');
      const list = await get(
        '/entities/component/default/payment-service/waivers',
      );
      expect(list.body.items).toEqual([
        expect.objectContaining({
          id: created.body.id,
          createdBy: 'user:default/bob',
          revokedBy: 'user:default/bob',
        }),
      ]);
    });

    it('evaluates again at once what a change source names', async () => {
      backend.facts['component:default/payment-service'] = {
        'test.replicas': 2,
      };
      backend.notify(['component:default/payment-service']);
      let level: string | undefined;
      for (let i = 0; i < 100 && level !== 'gold'; i++) {
        await new Promise(resolve => setTimeout(resolve, 20));
        level = (await get('/entities/component/default/payment-service')).body
          .level;
      }
      expect(level).toBe('gold');
    });

    it('evaluates an entity on request and returns the new scorecard', async () => {
      backend.facts['component:default/order-service'] = { 'test.replicas': 1 };
      const res = await request(backend.server)
        .post(
          '/api/scorecard/entities/component/default/order-service/evaluate',
        )
        .set(bob);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/order-service',
        level: 'bronze',
        failed: 1,
      });
      const system = await request(backend.server)
        .post('/api/scorecard/entities/system/default/checkout-system/evaluate')
        .set(bob);
      expect(system.status).toBe(404);
    });
  });
});

describe('evaluations on request', () => {
  let backend: Awaited<ReturnType<typeof startScorecardBackend>>;
  const evaluate = (name: string, headers: Record<string, string> = bob) =>
    request(backend.server)
      .post(`/api/scorecard/entities/component/default/${name}/evaluate`)
      .set(headers);

  beforeAll(async () => {
    backend = await startScorecardBackend({
      evaluate: { minIntervalSeconds: 3600, perUserPerMinute: 3 },
    });
    await backend.evaluateAll();
  });
  afterAll(() => {
    jest.useRealTimers();
    backend.cleanup();
  });

  it('refuses service tokens and users the policy does not let evaluate the entity', async () => {
    const service = await evaluate('payment-service', {
      Authorization: mockCredentials.service.header(),
    });
    expect(service.status).toBe(403);
    const dave = await evaluate('payment-service', as('dave'));
    expect(dave.status).toBe(403);
    expect(dave.body.error.message).toBe(
      'Not allowed: scorecard.evaluate on component:default/payment-service',
    );
  });

  it('grades an entity once per interval, answering later requests with the stored results', async () => {
    const first = await evaluate('order-service');
    expect(first.status).toBe(200);
    const graded = backend.collected.length;
    backend.facts['component:default/order-service'] = { 'test.replicas': 1 };
    const second = await evaluate('order-service', as('frank'));
    expect(second.status).toBe(200);
    expect(backend.collected).toHaveLength(graded);
    expect(second.body).toMatchObject({
      level: first.body.level,
      evaluatedAt: first.body.evaluatedAt,
    });
  });

  it('answers 429 with Retry-After once a user passes the limit, and only that user', async () => {
    // At the start of a minute, so the burst is counted in one window.
    const minute = 60_000;
    jest.useFakeTimers({
      now: Math.ceil(Date.now() / minute) * minute + 100,
      advanceTimers: true,
      doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval'],
    });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await evaluate('payment-service', as('grace'))).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await evaluate('payment-service', as('grace'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.error).toMatchObject({
      name: 'TooManyRequestsError',
      message: expect.stringContaining(
        'user:default/grace may make 3 a minute',
      ),
    });
    expect((await evaluate('payment-service')).status).toBe(200);
  });
});

describe('public badges', () => {
  it('serves badges without sign-in, saying not evaluated for unknown names', async () => {
    const backend = await startScorecardBackend({ badges: { public: true } });
    try {
      // The catalog poll evaluates the entities it has not seen evaluated.
      await backend.pollCatalog();
      const badge = await request(backend.server).get(
        '/api/scorecard/badge/api/default/payment-api',
      );
      expect(badge.status).toBe(200);
      expect(badge.headers['cache-control']).toBe('public, max-age=300');
      expect(badge.body.toString()).toContain('>gold</text>');
      const unknown = await request(backend.server).get(
        '/api/scorecard/badge/component/default/nothing',
      );
      expect(unknown.status).toBe(200);
      expect(unknown.body.toString()).toContain('>not evaluated</text>');
      // Only badges are open.
      const overview = await request(backend.server).get(
        '/api/scorecard/overview',
      );
      expect(overview.status).toBe(401);
    } finally {
      backend.cleanup();
    }
  });
});
