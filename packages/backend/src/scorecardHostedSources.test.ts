import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  DatabaseChangeIndex,
  DatabaseFactCache,
  DatabaseHostedHeadStore,
  SourceFactProvider,
} from '@causeway/plugin-scorecard-backend-module-gitops';
import { LocalGitHost } from '@causeway/plugin-gitops-node';
import {
  pushToStandIn,
  StandInGitHub,
  startStandInGitHub,
} from './__testUtils__/standInGitHub';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const ORG = 'acme';
/** More than a re-evaluation of a few entities: the hourly rule applies. */
const REPOSITORIES = 25;
const HOUR = 60 * 60 * 1000;

describe('hosted source facts with several replicas (stand-in GitHub)', () => {
  let standIn: StandInGitHub;
  let scratch: string;
  let entities: Entity[];
  /** A clone that pushes to the stand-in's repositories. */
  let workTree: string;

  beforeAll(async () => {
    standIn = await startStandInGitHub({ organizations: [ORG] });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hosted-sources-'));
    const work = path.join(scratch, 'work');
    workTree = work;
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', work, ...args], { stdio: 'pipe' });
    fs.mkdirSync(work);
    git('init', '--quiet', '--initial-branch=main');
    fs.writeFileSync(path.join(work, 'README.md'), '# A service\n');
    git('add', '.');
    git(
      '-c',
      'user.name=Bob',
      '-c',
      'user.email=bob@example.com',
      'commit',
      '--quiet',
      '-m',
      'Start',
    );
    entities = [];
    for (let i = 0; i < REPOSITORIES; i++) {
      const name = `svc-${i}`;
      standIn.addRepository(ORG, name);
      await pushToStandIn(standIn, work, ORG, name);
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          namespace: 'default',
          annotations: {
            'backstage.io/source-location': `url:https://${standIn.host}/${ORG}/${name}/tree/main/`,
          },
        },
        spec: { type: 'service', owner: 'group:default/payments-team' },
      });
    }
  });
  afterAll(async () => {
    await standIn?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it.each(databases.eachSupportedId())(
    'asks GitHub about each repository at most hourly across replicas, not once per replica (%p)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex } as DatabaseService;
      const config = new ConfigReader({
        integrations: { github: [standIn.integration] },
      });
      const logger = mockServices.logger.mock();
      let now = Date.parse('2026-03-10T10:00:00Z');
      // One replica's provider: its own memory, the shared database.
      const replica = async () =>
        new SourceFactProvider({
          host: new LocalGitHost({ root: path.join(scratch, 'local') }),
          logger,
          urlReader: UrlReaders.default({ config, logger }),
          integrations: ScmIntegrations.fromConfig(config),
          cache: await DatabaseFactCache.create({ database }),
          changeIndex: await DatabaseChangeIndex.create({ database }),
          clock: () => now,
        });
      const callsDuring = async (work: () => Promise<unknown>) => {
        const from = standIn.requests.length;
        await work();
        return standIn.requests
          .slice(from)
          .filter(r => r.kind === 'api')
          .map(r => r.route);
      };

      const a = await replica();
      const first = await callsDuring(() => a.collect(entities, { all: true }));
      expect(first.filter(r => r?.endsWith('/tarball/{ref}'))).toHaveLength(
        REPOSITORIES,
      );

      // Ten minutes later the scheduler runs the full evaluation on B.
      now += 10 * 60 * 1000;
      const b = await replica();
      let facts = new Map();
      expect(
        await callsDuring(async () => {
          facts = await b.collect(entities, { all: true });
        }),
      ).toEqual([]);
      expect(facts.get('component:default/svc-0')).toMatchObject({
        'source.readable': true,
        'source.hasReadme': true,
      });

      // An hour after A asked, C asks once per repository: the branch has
      // not moved, so no archive is downloaded.
      now += HOUR;
      const c = await replica();
      const later = await callsDuring(() => c.collect(entities, { all: true }));
      expect(later).toHaveLength(REPOSITORIES);
      expect(later.filter(r => r?.endsWith('/tarball/{ref}'))).toEqual([]);
      // And A, back on duty ten minutes later, takes C's check into account.
      now += 10 * 60 * 1000;
      expect(
        await callsDuring(() => a.collect(entities, { all: true })),
      ).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    "tells a hosted repository's revision from the heads pushes were seen at, and asks GitHub only when the head moved (%p)",
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex } as DatabaseService;
      const config = new ConfigReader({
        integrations: { github: [standIn.integration] },
      });
      const logger = mockServices.logger.mock();
      const heads = await DatabaseHostedHeadStore.create({ database });
      const provider = new SourceFactProvider({
        host: new LocalGitHost({ root: path.join(scratch, 'local') }),
        logger,
        urlReader: UrlReaders.default({ config, logger }),
        integrations: ScmIntegrations.fromConfig(config),
        cache: await DatabaseFactCache.create({ database }),
        changeIndex: await DatabaseChangeIndex.create({ database }),
        hostedHeads: heads,
      });
      const apiCallsDuring = async (action: () => Promise<unknown>) => {
        const from = standIn.requests.length;
        await action();
        return standIn.requests.slice(from).filter(r => r.kind === 'api');
      };
      // A re-grade of a few entities, as the gate makes.
      const few = entities.slice(0, 3);
      const url = (e: Entity) =>
        e.metadata.annotations!['backstage.io/source-location'].slice(4);
      const head = await promisify(execFile)('git', [
        '-C',
        workTree,
        'rev-parse',
        'HEAD',
      ]).then(r => r.stdout.trim());

      const graded = new Map();
      await provider.collect(few, { revisions: graded });
      expect(graded.get('component:default/svc-0')).toEqual({
        source: { commit: head },
      });
      // The current revisions come without a call.
      let told = new Map();
      expect(
        await apiCallsDuring(async () => {
          told = await provider.revisions(few);
        }),
      ).toEqual([]);
      expect(told).toEqual(graded);

      // Within the hour, with no push seen, a re-grade of these few (a
      // user asking to evaluate them) asks GitHub nothing: users cannot
      // spend the portal's token faster than the hourly rule.
      expect(await apiCallsDuring(() => provider.collect(few))).toEqual([]);

      // A push seen at the commit read: a re-grade asks nothing.
      // (Each repository's own head: an earlier run may have moved svc-0.)
      for (const e of few) {
        await heads.record(
          url(e),
          graded.get(`component:default/${e.metadata.name}`).source.commit,
        );
      }
      expect(await apiCallsDuring(() => provider.collect(few))).toEqual([]);

      // A push to svc-0, seen by webhook or poll: svc-0's revision moves
      // at once, and only svc-0 is asked about (and its archive read).
      fs.writeFileSync(
        path.join(workTree, 'README.md'),
        `# Moved on ${databaseId}\n`,
      );
      execFileSync(
        'git',
        ['-C', workTree, 'commit', '--quiet', '-am', 'Move'],
        {
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 'Bob',
            GIT_AUTHOR_EMAIL: 'bob@example.com',
            GIT_COMMITTER_NAME: 'Bob',
            GIT_COMMITTER_EMAIL: 'bob@example.com',
          },
        },
      );
      const moved = execFileSync('git', ['-C', workTree, 'rev-parse', 'HEAD'], {
        encoding: 'utf8',
      }).trim();
      await pushToStandIn(standIn, workTree, ORG, 'svc-0');
      await heads.record(url(few[0]), moved);
      expect(
        await apiCallsDuring(async () => {
          told = await provider.revisions(few);
        }),
      ).toEqual([]);
      expect(told.get('component:default/svc-0')).toEqual({
        source: { commit: moved },
      });
      expect(told.get('component:default/svc-1')).toEqual(
        graded.get('component:default/svc-1'),
      );
      const regraded = new Map();
      const calls = await apiCallsDuring(() =>
        provider.collect(few, { revisions: regraded }),
      );
      expect(calls.map(c => c.path).every(p => p.includes('/svc-0/'))).toBe(
        true,
      );
      expect(calls.map(c => c.route)).toContain(
        'GET /repos/{owner}/{repo}/tarball/{ref}',
      );
      expect(regraded).toEqual(told);
    },
  );
});
