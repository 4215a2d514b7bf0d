import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { EntityLevel } from '@causeway/plugin-scorecard-common';
import { Knex } from 'knex';
import { DatabaseScorecardStore } from './DatabaseScorecardStore';
import { EntityEvaluation, EntityQuery } from './ScorecardStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function evaluation(
  name: string,
  level: EntityLevel,
  options: Partial<EntityEvaluation> & { failing?: string[] } = {},
): EntityEvaluation {
  const { failing = [], ...rest } = options;
  return {
    entityRef: `component:default/${name}`,
    kind: 'component',
    name,
    owner: 'group:default/payments-team',
    level,
    passed: 3 - failing.length,
    failed: failing.length,
    waived: 0,
    results: [
      ...failing.map(checkId => ({
        checkId,
        level: 'silver' as const,
        status: 'fail' as const,
        values: { 'gitops.replicas': 1 },
      })),
    ],
    ...rest,
  };
}

const query = (q: Partial<EntityQuery> = {}): EntityQuery => ({
  sort: 'name',
  order: 'asc',
  limit: 100,
  offset: 0,
  ...q,
});

describe.each(databases.eachSupportedId())(
  'DatabaseScorecardStore on %s',
  id => {
    let knex: Knex;
    let store: DatabaseScorecardStore;

    beforeEach(async () => {
      knex = await databases.init(id);
      store = await DatabaseScorecardStore.create({
        database: mockServices.database({ knex }),
      });
    });

    const save = (
      evaluations: EntityEvaluation[],
      day = '2026-03-10',
      evaluatedAt = `${day}T10:00:00.000Z`,
      touchUnchanged = false,
    ) =>
      store.saveEvaluations(evaluations, { day, evaluatedAt, touchUnchanged });

    it('reads a page of a freshly filled table from its indexes (PostgreSQL gets fresh statistics)', async () => {
      await save(
        Array.from({ length: 2000 }, (_, i) =>
          evaluation(`service-${String(i).padStart(4, '0')}`, 'bronze', {
            failing: i % 10 ? [] : ['two-replicas'],
          }),
        ),
      );
      const page = await store.queryEntities(
        query({ sort: 'name', offset: 1500, limit: 20 }),
      );
      expect(page.items[0].entityRef).toBe('component:default/service-1500');
      if (!id.startsWith('POSTGRES')) return;
      // With the statistics of the empty table, PostgreSQL sorts all rows.
      const { rows } = await knex.raw(
        `EXPLAIN SELECT entity_ref FROM scorecard_entities
         ORDER BY name, entity_ref LIMIT 20 OFFSET 1500`,
      );
      const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']);
      expect(plan.join('\n')).toContain('scorecard_entities_name_ref_idx');
    });

    it('writes only what changed, and the day’s first evaluation of each entity', async () => {
      const a = evaluation('a', 'gold');
      const b = evaluation('b', 'bronze', { failing: ['two-replicas'] });
      expect(await save([a, b])).toEqual({ written: 2 });
      expect(
        await save([a, b], '2026-03-10', '2026-03-10T10:10:00.000Z'),
      ).toEqual({ written: 0 });
      expect((await store.getEntity(a.entityRef))?.evaluatedAt).toBe(
        '2026-03-10T10:00:00.000Z',
      );

      const bFixed = evaluation('b', 'gold');
      expect(
        await save([a, bFixed], '2026-03-10', '2026-03-10T10:20:00.000Z'),
      ).toEqual({ written: 1 });
      expect(await store.getEntity(b.entityRef)).toMatchObject({
        level: 'gold',
        failingChecks: [],
        evaluatedAt: '2026-03-10T10:20:00.000Z',
      });

      // An evaluation asked for moves the time of unchanged results too.
      expect(
        await save([a], '2026-03-10', '2026-03-10T10:30:00.000Z', true),
      ).toEqual({ written: 0 });
      expect((await store.getEntity(a.entityRef))?.evaluatedAt).toBe(
        '2026-03-10T10:30:00.000Z',
      );

      // A new day: every entity gets its history row.
      expect(await save([a, bFixed], '2026-03-11')).toEqual({ written: 2 });
    });

    it('never lets a run that started earlier overwrite a later grade', async () => {
      const regraded = evaluation('a', 'silver', { failing: ['pdb'] });
      await save([regraded], '2026-03-10', '2026-03-10T10:05:00.000Z', true);

      // A full run that started at 10:00 stores what it saw then.
      const stale = evaluation('a', 'bronze', { failing: ['two-replicas'] });
      expect(
        await save([stale], '2026-03-10', '2026-03-10T10:00:00.000Z'),
      ).toEqual({ written: 0 });
      expect(await store.getEntity(regraded.entityRef)).toMatchObject({
        level: 'silver',
        failingChecks: ['pdb'],
        evaluatedAt: '2026-03-10T10:05:00.000Z',
      });
      expect(
        (await store.queryEntities(query({ failingCheck: 'two-replicas' })))
          .totalItems,
      ).toBe(0);
      expect(
        await store.entityHistory(regraded.entityRef, '2026-03-01'),
      ).toMatchObject([{ day: '2026-03-10', level: 'silver' }]);

      // Nor remove an entity graded after the run began.
      await store.deleteEntities([regraded.entityRef], {
        evaluatedBefore: '2026-03-10T10:00:00.000Z',
      });
      expect(await store.isKnown(regraded.entityRef)).toBe(true);
      await store.deleteEntities([regraded.entityRef], {
        evaluatedBefore: '2026-03-10T10:06:00.000Z',
      });
      expect(await store.isKnown(regraded.entityRef)).toBe(false);
    });

    it('stays consistent under writers grading the same entities at once (as replicas do)', async () => {
      // A second store on its own connection pool: another replica.
      const other = await DatabaseScorecardStore.create({
        database: mockServices.database({ knex }),
      });
      const checkSets = [['a'], ['b', 'c'], [], ['c', 'd'], ['a', 'd', 'e']];
      const names = Array.from({ length: 40 }, (_, i) => `svc-${i}`);
      const writes = checkSets.flatMap((failing, round) =>
        [store, other].map((writer, w) =>
          writer.saveEvaluations(
            names.map(name =>
              evaluation(name, failing.length ? 'bronze' : 'gold', {
                failing,
              }),
            ),
            {
              day: '2026-03-10',
              evaluatedAt: `2026-03-10T10:0${round}:0${w}.000Z`,
              touchUnchanged: w === 1,
            },
          ),
        ),
      );
      await Promise.all(writes);

      const last = checkSets[checkSets.length - 1];
      const pairs = await knex('scorecard_failing_checks').select(
        'entity_ref',
        'check_id',
      );
      for (const name of names) {
        const stored = await store.getEntity(`component:default/${name}`);
        expect(stored).toMatchObject({
          failingChecks: last,
          evaluatedAt: '2026-03-10T10:04:01.000Z',
        });
        expect(
          pairs
            .filter(p => p.entity_ref === `component:default/${name}`)
            .map(p => p.check_id)
            .sort(),
        ).toEqual(last);
      }
      const { totalItems } = await store.queryEntities(
        query({ failingCheck: 'b' }),
      );
      expect(totalItems).toBe(0);
    });

    it('keeps the revisions graded beside the results, moving them only when their content moves', async () => {
      const at = (commit: string, content: string) => ({
        revisions: {
          gitops: { commit, content },
          source: { commit: 'c0ffee' },
        },
      });
      await save([evaluation('a', 'gold', at('commit-1', 'folder-1'))]);
      expect((await store.getEntity('component:default/a'))?.revisions).toEqual(
        at('commit-1', 'folder-1').revisions,
      );

      // Same results at a later commit that left the folder as it was (a
      // commit to another service): the commit graded stays.
      await save(
        [evaluation('a', 'gold', at('commit-2', 'folder-1'))],
        '2026-03-10',
        '2026-03-10T11:00:00.000Z',
      );
      expect(
        (await store.getEntity('component:default/a'))?.revisions?.gitops,
      ).toEqual({ commit: 'commit-1', content: 'folder-1' });

      // Same results, the folder changed: the new revisions are kept, with
      // the evaluation time as it was (a full run's touchUnchanged false).
      await save(
        [evaluation('a', 'gold', at('commit-3', 'folder-3'))],
        '2026-03-10',
        '2026-03-10T12:00:00.000Z',
      );
      const moved = await store.getEntity('component:default/a');
      expect(moved?.revisions?.gitops).toEqual({
        commit: 'commit-3',
        content: 'folder-3',
      });
      expect(moved?.evaluatedAt).toBe('2026-03-10T10:00:00.000Z');

      // An evaluation that started before the stored one moves nothing.
      await save(
        [evaluation('a', 'silver', at('commit-0', 'folder-0'))],
        '2026-03-10',
        '2026-03-10T09:00:00.000Z',
      );
      await save(
        [evaluation('a', 'gold', at('commit-0', 'folder-0'))],
        '2026-03-10',
        '2026-03-10T09:30:00.000Z',
      );
      expect(
        (await store.getEntity('component:default/a'))?.revisions?.gitops,
      ).toEqual({ commit: 'commit-3', content: 'folder-3' });

      // Rows from before revisions were kept have none: unknown, not empty.
      await knex('scorecard_entities').update({ graded: null });
      expect(
        (await store.getEntity('component:default/a'))?.revisions,
      ).toBeUndefined();
    });

    it('reads back what it stored', async () => {
      const a = evaluation('a', 'bronze', {
        title: 'Service A',
        system: 'system:default/checkout',
        etag: 'etag-1',
        failing: ['two-replicas'],
      });
      await save([a]);
      expect(await store.getEntity(a.entityRef)).toEqual({
        ...a,
        // Graded at no revisions: the entity has no inputs that have them.
        revisions: {},
        failingChecks: ['two-replicas'],
        evaluatedAt: '2026-03-10T10:00:00.000Z',
      });
      expect(await store.listEntityEtags()).toEqual(
        new Map([[a.entityRef, 'etag-1']]),
      );
      expect(await store.isKnown(a.entityRef)).toBe(true);
      await store.deleteEntities([a.entityRef]);
      expect(await store.getEntity(a.entityRef)).toBeUndefined();
      expect(await store.isKnown(a.entityRef)).toBe(false);
      expect(
        (await store.queryEntities(query({ failingCheck: 'two-replicas' })))
          .totalItems,
      ).toBe(0);
    });

    it('keeps one history row per entity per day, the last of the day, and prunes old days', async () => {
      await save([evaluation('a', 'bronze', { failing: ['x'] })], '2026-03-09');
      await save([evaluation('a', 'silver', { failing: ['y'] })], '2026-03-10');
      await save([evaluation('a', 'gold')], '2026-03-10');

      expect(
        await store.entityHistory('component:default/a', '2026-01-01'),
      ).toEqual([
        { day: '2026-03-09', level: 'bronze', passed: 2, failed: 1 },
        { day: '2026-03-10', level: 'gold', passed: 3, failed: 0 },
      ]);
      expect(
        await store.entityHistory('component:default/a', '2026-03-10'),
      ).toHaveLength(1);

      expect(await store.pruneHistory('2026-03-10')).toBe(1);
      expect(
        await store.entityHistory('component:default/a', '2026-01-01'),
      ).toEqual([{ day: '2026-03-10', level: 'gold', passed: 3, failed: 0 }]);
    });

    it('finds the entities failing a check, with the level distribution of those', async () => {
      await save([
        evaluation('a', 'bronze', { failing: ['two-replicas', 'has-slo'] }),
        evaluation('b', 'silver', { failing: ['has-slo'] }),
        evaluation('c', 'gold'),
      ]);
      const result = await store.queryEntities(
        query({ failingCheck: 'has-slo' }),
      );
      expect(result.items.map(i => i.entityRef)).toEqual([
        'component:default/a',
        'component:default/b',
      ]);
      expect(result.items[0].failingChecks).toEqual([
        'two-replicas',
        'has-slo',
      ]);
      expect(result.totalItems).toBe(2);
      expect(result.levels).toEqual({ none: 0, bronze: 1, silver: 1, gold: 0 });

      // a passes has-slo now, and fails runbook.
      await save([
        evaluation('a', 'bronze', { failing: ['two-replicas', 'runbook'] }),
      ]);
      const failing = async (checkId: string) =>
        (await store.queryEntities(query({ failingCheck: checkId }))).items.map(
          i => i.entityRef,
        );
      expect(await failing('has-slo')).toEqual(['component:default/b']);
      expect(await failing('runbook')).toEqual(['component:default/a']);
      expect(await failing('two-replicas')).toEqual(['component:default/a']);
    });

    it('filters by owner, system, kind and level', async () => {
      await save([
        evaluation('a', 'bronze', { system: 'system:default/checkout' }),
        evaluation('b', 'gold', { owner: 'group:default/orders-team' }),
        evaluation('c', 'gold', {
          entityRef: 'api:default/c',
          kind: 'api',
        }),
      ]);
      const refs = async (q: Partial<EntityQuery>) =>
        (await store.queryEntities(query(q))).items.map(i => i.entityRef);
      expect(await refs({ owners: ['group:default/orders-team'] })).toEqual([
        'component:default/b',
      ]);
      expect(await refs({ system: 'system:default/checkout' })).toEqual([
        'component:default/a',
      ]);
      expect(await refs({ kind: 'api' })).toEqual(['api:default/c']);
      expect(await refs({ levels: ['gold'], kind: 'component' })).toEqual([
        'component:default/b',
      ]);
      expect(await refs({ levels: ['bronze', 'gold'] })).toHaveLength(3);
    });

    it('finds one team’s or several teams’ entities below a level, and counts only those', async () => {
      await save([
        evaluation('unleveled', 'none'),
        evaluation('bronzed', 'bronze'),
        evaluation('silvered', 'silver'),
        evaluation('golden', 'gold'),
        evaluation('orders-bronze', 'bronze', {
          owner: 'group:default/orders-team',
        }),
        evaluation('someone-elses', 'none', {
          owner: 'group:default/cards-squad',
        }),
      ]);
      const found = async (q: Partial<EntityQuery>) => {
        const { items, totalItems, levels } = await store.queryEntities(
          query({ sort: 'level', ...q }),
        );
        return {
          refs: items.map(i => i.entityRef.split('/')[1]),
          totalItems,
          levels,
        };
      };

      // Below silver: no level or bronze, in one query with the level counts.
      expect(
        await found({
          owners: ['group:default/payments-team'],
          belowLevel: 'silver',
        }),
      ).toEqual({
        refs: ['unleveled', 'bronzed'],
        totalItems: 2,
        levels: { none: 1, bronze: 1, silver: 0, gold: 0 },
      });
      expect((await found({ belowLevel: 'bronze' })).refs.sort()).toEqual([
        'someone-elses',
        'unleveled',
      ]);
      expect((await found({ belowLevel: 'gold' })).totalItems).toBe(5);

      // Several owners: any of them, in one request.
      expect(
        await found({
          owners: ['group:default/payments-team', 'group:default/orders-team'],
          belowLevel: 'silver',
        }),
      ).toEqual({
        refs: ['unleveled', 'bronzed', 'orders-bronze'],
        totalItems: 3,
        levels: { none: 1, bronze: 2, silver: 0, gold: 0 },
      });
      // No owner given is no entity, not every entity.
      expect(await found({ owners: [] })).toMatchObject({
        refs: [],
        totalItems: 0,
      });
    });

    it('sorts by level, name or failed checks, and pages', async () => {
      await save([
        evaluation('delta', 'gold'),
        evaluation('alpha', 'silver', { failing: ['x'] }),
        evaluation('charlie', 'none', { failing: ['x', 'y', 'z'] }),
        evaluation('bravo', 'silver', { failing: ['x', 'y'] }),
      ]);
      const names = async (q: Partial<EntityQuery>) =>
        (await store.queryEntities(query(q))).items.map(
          i => i.entityRef.split('/')[1],
        );
      expect(await names({ sort: 'level', order: 'asc' })).toEqual([
        'charlie',
        'alpha',
        'bravo',
        'delta',
      ]);
      expect(await names({ sort: 'level', order: 'desc' })).toEqual([
        'delta',
        'alpha',
        'bravo',
        'charlie',
      ]);
      expect(await names({ sort: 'failed', order: 'desc' })).toEqual([
        'charlie',
        'bravo',
        'alpha',
        'delta',
      ]);
      expect(await names({ sort: 'name', order: 'desc' })).toEqual([
        'delta',
        'charlie',
        'bravo',
        'alpha',
      ]);

      const page = await store.queryEntities(
        query({ sort: 'name', limit: 2, offset: 1 }),
      );
      expect(page.items.map(i => i.entityRef)).toEqual([
        'component:default/bravo',
        'component:default/charlie',
      ]);
      expect(page.totalItems).toBe(4);
      expect(page.levels).toEqual({ none: 1, bronze: 0, silver: 2, gold: 1 });
    });

    it('rolls up the entities of a group and all the groups below it', async () => {
      const tree = [
        ['engineering', 'engineering'],
        ['engineering', 'payments-team'],
        ['engineering', 'orders-team'],
        ['engineering', 'cards-squad'],
        ['payments-team', 'payments-team'],
        ['payments-team', 'cards-squad'],
        ['cards-squad', 'cards-squad'],
        ['orders-team', 'orders-team'],
      ].map(([ancestor, descendant]) => ({
        ancestor: `group:default/${ancestor}`,
        descendant: `group:default/${descendant}`,
      }));
      await store.replaceGroupTree(tree);
      await store.replaceGroupTree(tree); // unchanged: no duplicates
      expect(await store.isKnown('group:default/cards-squad')).toBe(true);
      expect(await store.isKnown('group:default/marketing')).toBe(false);
      await save(
        [
          evaluation('pay', 'gold'),
          evaluation('card', 'bronze', { owner: 'group:default/cards-squad' }),
          evaluation('order', 'silver', { owner: 'group:default/orders-team' }),
        ],
        '2026-03-09',
      );
      await save(
        [evaluation('card', 'silver', { owner: 'group:default/cards-squad' })],
        '2026-03-10',
      );

      expect(
        await store.groupWithDescendants('group:default/payments-team'),
      ).toEqual(['group:default/cards-squad', 'group:default/payments-team']);
      expect(await store.groupWithDescendants('group:default/nobody')).toEqual(
        [],
      );

      const payments = await store.queryEntities(
        query({ ownerGroup: 'group:default/payments-team' }),
      );
      expect(payments.items.map(i => i.entityRef)).toEqual([
        'component:default/card',
        'component:default/pay',
      ]);
      expect(payments.levels).toEqual({
        none: 0,
        bronze: 0,
        silver: 1,
        gold: 1,
      });
      expect(
        (
          await store.queryEntities(
            query({ ownerGroup: 'group:default/engineering' }),
          )
        ).totalItems,
      ).toBe(3);

      expect(
        await store.groupHistory('group:default/payments-team', '2026-03-01'),
      ).toEqual([
        {
          day: '2026-03-09',
          entities: 2,
          levels: { none: 0, bronze: 1, silver: 0, gold: 1 },
        },
        {
          day: '2026-03-10',
          entities: 1,
          levels: { none: 0, bronze: 0, silver: 1, gold: 0 },
        },
      ]);

      // cards-squad moves under orders-team.
      await store.replaceGroupTree(
        tree
          .filter(
            e =>
              !(
                e.ancestor === 'group:default/payments-team' &&
                e.descendant === 'group:default/cards-squad'
              ),
          )
          .concat({
            ancestor: 'group:default/orders-team',
            descendant: 'group:default/cards-squad',
          }),
      );
      expect(
        await store.groupWithDescendants('group:default/orders-team'),
      ).toEqual(['group:default/cards-squad', 'group:default/orders-team']);
    });

    it('records every waiver and its revocation, and knows which apply', async () => {
      const base = {
        entityRef: 'component:default/a',
        reason: 'Migrating',
        createdBy: 'user:default/bob',
      };
      await store.createWaiver({
        ...base,
        id: 'w1',
        checkId: 'two-replicas',
        expiresOn: '2026-03-20',
        createdAt: '2026-03-01T09:00:00.000Z',
      });
      await store.createWaiver({
        ...base,
        id: 'w2',
        checkId: 'has-slo',
        expiresOn: '2026-03-09',
        createdAt: '2026-03-02T09:00:00.000Z',
      });
      await store.createWaiver({
        ...base,
        id: 'w3',
        checkId: 'has-runbook',
        expiresOn: '2026-04-01',
        createdAt: '2026-03-03T09:00:00.000Z',
      });

      const revoked = await store.revokeWaiver({
        id: 'w3',
        revokedBy: 'user:default/alice',
        revokedAt: '2026-03-04T09:00:00.000Z',
      });
      expect(revoked).toMatchObject({
        id: 'w3',
        revokedBy: 'user:default/alice',
        revokedAt: '2026-03-04T09:00:00.000Z',
      });
      expect(
        await store.revokeWaiver({
          id: 'w3',
          revokedBy: 'user:default/bob',
          revokedAt: '2026-03-05T09:00:00.000Z',
        }),
      ).toBeUndefined();

      expect(
        (await store.listWaivers('component:default/a')).map(w => w.id),
      ).toEqual(['w3', 'w2', 'w1']);
      expect(await store.getWaiver('w1')).toEqual({
        ...base,
        id: 'w1',
        checkId: 'two-replicas',
        expiresOn: '2026-03-20',
        createdAt: '2026-03-01T09:00:00.000Z',
      });
      expect(
        (await store.activeWaivers({ today: '2026-03-09' })).map(w => w.id),
      ).toEqual(expect.arrayContaining(['w1', 'w2']));
      expect(
        (
          await store.activeWaivers({
            today: '2026-03-10',
            entityRefs: ['component:default/a'],
          })
        ).map(w => w.id),
      ).toEqual(['w1']);
      expect(
        await store.activeWaivers({
          today: '2026-03-10',
          entityRefs: ['component:default/b'],
        }),
      ).toEqual([]);
    });

    it('lets one replica claim the full run for a set of checks, again only when they change', async () => {
      const other = await DatabaseScorecardStore.create({
        database: mockServices.database({ knex }),
      });
      const claims = await Promise.all(
        [store, other, store].map(s => s.claimChecksRun('digest-a')),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      // A replica whose watcher fires after the run: nothing to claim.
      expect(await other.claimChecksRun('digest-a')).toBe(false);
      expect(await other.claimChecksRun('digest-b')).toBe(true);
      expect(await store.claimChecksRun('digest-a')).toBe(true);
    });

    it('keeps waivers with the entity they were made for, not with its ref', async () => {
      const ref = 'component:default/a';
      const record = (waiverId: string, entityUid?: string) => ({
        id: waiverId,
        entityRef: ref,
        ...(entityUid ? { entityUid } : {}),
        checkId: 'two-replicas',
        reason: 'Migrating',
        expiresOn: '2026-03-20',
        createdBy: 'user:default/bob',
        createdAt: `2026-03-0${waiverId.slice(1)}T09:00:00.000Z`,
      });
      // w1 from before uids were kept; w2 made for the entity with uid-1.
      await store.createWaiver(record('w1'));
      await store.createWaiver(record('w2', 'uid-1'));
      await save([evaluation('a', 'gold', { uid: 'uid-1' })]);
      await store.adoptWaivers(new Map([[ref, 'uid-1']]));
      expect(await store.getWaiver('w1')).toMatchObject({ entityUid: 'uid-1' });
      expect((await store.listWaivers(ref)).map(w => w.id)).toEqual([
        'w2',
        'w1',
      ]);

      // The entity is deleted and another registered under the same ref.
      await save([evaluation('a', 'bronze', { uid: 'uid-2' })], '2026-03-11');
      await store.adoptWaivers(new Map([[ref, 'uid-2']]));
      expect(await store.listWaivers(ref)).toEqual([]);
      expect(
        (await store.activeWaivers({ today: '2026-03-11', entityRefs: [ref] }))
          .map(w => w.entityUid)
          .sort(),
      ).toEqual(['uid-1', 'uid-1']);
    });

    it('migrates down and up again, and waivers from before uids take their entity’s uid at its next evaluation', async () => {
      const directory = resolvePackagePath(
        '@causeway/plugin-scorecard-backend',
        'migrations',
      );
      // Back to before waivers had uids (the last migration), with one.
      await knex.migrate.down({ directory });
      await knex('scorecard_waivers').insert({
        id: 'w-old',
        entity_ref: 'component:default/a',
        check_id: 'two-replicas',
        reason: 'Migrating',
        expires_on: '2026-03-20',
        created_by: 'user:default/bob',
        created_at: '2026-03-01T09:00:00.000Z',
      });
      await knex.migrate.latest({ directory });
      expect(await store.getWaiver('w-old')).not.toHaveProperty('entityUid');
      await store.adoptWaivers(new Map([['component:default/a', 'uid-1']]));
      expect(await store.getWaiver('w-old')).toMatchObject({
        entityUid: 'uid-1',
      });
    });

    it('grades an entity on request once per interval, on any replica', async () => {
      const other = await DatabaseScorecardStore.create({
        database: mockServices.database({ knex }),
      });
      const ref = 'component:default/a';
      const at = (time: string, sinceTime: string) => ({
        now: `2026-03-10T${time}.000Z`,
        since: `2026-03-10T${sinceTime}.000Z`,
      });
      const first = await Promise.all(
        [store, other, store].map(s =>
          s.claimEvaluation(ref, at('10:00:00', '09:59:00')),
        ),
      );
      expect(first.filter(Boolean)).toHaveLength(1);
      expect(await other.claimEvaluation(ref, at('10:00:59', '09:59:59'))).toBe(
        false,
      );
      expect(await other.claimEvaluation(ref, at('10:01:00', '10:00:00'))).toBe(
        true,
      );
      // Another entity is its own.
      expect(
        await store.claimEvaluation(
          'component:default/b',
          at('10:01:00', '10:00:00'),
        ),
      ).toBe(true);
    });

    it('counts each caller’s requests per window on all replicas together', async () => {
      const other = await DatabaseScorecardStore.create({
        database: mockServices.database({ knex }),
      });
      const minute = Date.parse('2026-03-10T10:00:00Z');
      const counts = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? store : other).countRequest(
            'evaluate:user:default/bob',
            minute,
          ),
        ),
      );
      expect(counts.map(c => c.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      expect(
        await store.countRequest('evaluate:user:default/alice', minute),
      ).toEqual({ count: 1, windowStart: minute });
      // A replica whose clock lags counts in the current window.
      expect(
        await other.countRequest('evaluate:user:default/bob', minute - 60_000),
      ).toEqual({ count: 13, windowStart: minute });
      // The next minute starts again.
      expect(
        await store.countRequest('evaluate:user:default/bob', minute + 60_000),
      ).toEqual({ count: 1, windowStart: minute + 60_000 });
    });

    it('limits lists and daily history to the entities a caller may see, however many', async () => {
      await save([
        evaluation('a', 'gold'),
        evaluation('b', 'bronze', { failing: ['two-replicas'] }),
        evaluation('c', 'silver'),
      ]);
      // More refs than either database binds in one statement.
      const visibleRefs = [
        'component:default/a',
        'component:default/c',
        ...Array.from({ length: 40_000 }, (_, i) => `component:default/x${i}`),
      ];
      const page = await store.queryEntities(query({ visibleRefs }));
      expect(page.items.map(i => i.entityRef)).toEqual([
        'component:default/a',
        'component:default/c',
      ]);
      expect(page.levels).toEqual({ none: 0, bronze: 0, silver: 1, gold: 1 });
      expect(
        (await store.queryEntities(query({ visibleRefs: [] }))).totalItems,
      ).toBe(0);
      // Everyone's counts are not what this caller saw.
      expect((await store.queryEntities(query())).totalItems).toBe(3);

      expect(
        await store.groupHistory(undefined, '2026-03-01', { visibleRefs }),
      ).toEqual([
        {
          day: '2026-03-10',
          entities: 2,
          levels: { none: 0, bronze: 0, silver: 1, gold: 1 },
        },
      ]);
    });

    it('keeps the level counts of a bounded number of filters', async () => {
      await save([evaluation('a', 'gold')]);
      for (let i = 0; i < 600; i++) {
        await store.queryEntities(query({ failingCheck: `check-${i}` }));
      }
      expect(store.keptLevelCounts).toBe(500);
    });

    it('remembers when the last full evaluation started', async () => {
      expect(await store.getLastFullRun()).toBeUndefined();
      await store.setLastFullRun('2026-03-10T10:00:00.000Z');
      await store.setLastFullRun('2026-03-10T10:10:00.000Z');
      expect(await store.getLastFullRun()).toBe('2026-03-10T10:10:00.000Z');
    });
  },
);
