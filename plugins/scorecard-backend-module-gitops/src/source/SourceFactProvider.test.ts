import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { LocalGitHost } from '@causeway/plugin-gitops-node';
import { DatabaseFactCache } from '../cache/FactCache';
import { DatabaseChangeIndex } from '../changes/ChangeIndex';
import {
  createSourceRepository,
  logger,
  serviceEntity,
  tempDir,
  createChangeIndex,
} from '../__testUtils__/repositories';
import { SourceFactProvider } from './SourceFactProvider';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const GOLDEN_PATH_SOURCE = {
  'source.readable': true,
  'source.hasCiWorkflow': true,
  'source.ciRunsSecurityScan': true,
  'source.ciDeploysByDigest': true,
  'source.ciCallsReleaseGate': true,
  'source.hasDockerfile': true,
  'source.dockerfileRunsAsNonRoot': true,
  'source.dockerfileBaseImagesPinned': true,
  'source.hasReadme': true,
  'source.hasTests': true,
};

describe('SourceFactProvider', () => {
  let scratch: ReturnType<typeof tempDir>;
  let host: LocalGitHost;
  let provider: SourceFactProvider;
  const located = (name: string, url = host.url(name)) =>
    serviceEntity(name, { 'backstage.io/source-location': `url:${url}` });

  beforeAll(async () => {
    scratch = tempDir('scorecard-source-');
    host = new LocalGitHost({ root: path.join(scratch.dir, 'repos') });
    await createSourceRepository(host, scratch.dir, 'payment-service');
    // What a team changes after the golden path: a gate, and some regressions.
    await createSourceRepository(host, scratch.dir, 'gated-service', {
      '.github/workflows/gate.yml': `name: gate
on: [push]
jobs:
  gate:
    runs-on: ubuntu-latest
    steps:
      - run: npx @causeway/scorecard-gate component:default/gated-service --min-level silver
        env:
          CAUSEWAY_URL: https://portal.example.com
`,
    });
    await createSourceRepository(host, scratch.dir, 'legacy-service', {
      '.github': null,
      test: null,
      'README.md': null,
      Dockerfile: `# trivy would be nice
FROM node:22 AS build
RUN npm ci
FROM node:22-slim
COPY --from=build /app /app
USER root
CMD ["node", "/app/main.js"]
`,
    });
    await createSourceRepository(host, scratch.dir, 'no-docker', {
      Dockerfile: null,
    });
  });
  afterAll(() => scratch.remove());
  beforeEach(async () => {
    provider = new SourceFactProvider({
      host,
      logger,
      changeIndex: await createChangeIndex(),
    });
  });

  it('reports what the service-nodejs skeleton gives a service: CI that scans, passes the release gate and deploys by digest, a pinned non-root image, tests and a README', async () => {
    const facts = await provider.collect([located('payment-service')]);
    expect(facts.get('component:default/payment-service')).toEqual(
      GOLDEN_PATH_SOURCE,
    );
  });

  it('finds a release gate step, and what a repository without CI, tests, README or a good Dockerfile lacks', async () => {
    const facts = await provider.collect([
      located('gated-service'),
      located('legacy-service'),
      located('no-docker'),
    ]);

    expect(facts.get('component:default/gated-service')).toEqual({
      ...GOLDEN_PATH_SOURCE,
      'source.ciCallsReleaseGate': true,
    });
    expect(facts.get('component:default/legacy-service')).toEqual({
      'source.readable': true,
      'source.hasCiWorkflow': false,
      'source.ciRunsSecurityScan': false,
      'source.ciDeploysByDigest': false,
      'source.ciCallsReleaseGate': false,
      'source.hasDockerfile': true,
      'source.dockerfileRunsAsNonRoot': false,
      'source.dockerfileBaseImagesPinned': false,
      'source.hasReadme': false,
      'source.hasTests': false,
    });
    expect(facts.get('component:default/no-docker')).toMatchObject({
      'source.hasDockerfile': false,
      'source.dockerfileRunsAsNonRoot': null,
      'source.dockerfileBaseImagesPinned': null,
    });
  });

  it('reports only source.readable false for sources it cannot read', async () => {
    const facts = await provider.collect([
      located('missing-service'),
      located('elsewhere', 'https://github.com/example/elsewhere'),
      located('outside', `file://${scratch.dir}/other/outside.git`),
      serviceEntity('no-location'),
    ]);
    expect([...facts.values()]).toEqual(
      Array(4).fill({ 'source.readable': false }),
    );
  });

  it.each(databases.eachSupportedId())(
    'keeps what it read of local repositories across a restart (%p)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex } as DatabaseService;
      const cache = await DatabaseFactCache.create({ database });
      const changeIndex = await DatabaseChangeIndex.create({ database });
      const entities = [located('payment-service'), located('no-docker')];
      const before = new SourceFactProvider({
        host,
        logger,
        cache,
        changeIndex,
      });
      const first = await before.collect(entities);
      expect(before.repositoriesRead).toBe(2);

      // Another replica, or this one restarted: it knows which entities a
      // push to a repository re-grades before collecting anything.
      const restarted = new SourceFactProvider({
        host,
        logger,
        cache,
        changeIndex,
      });
      expect(await restarted.entitiesForRepository('no-docker')).toEqual([
        'component:default/no-docker',
      ]);
      expect(await restarted.collect(entities)).toEqual(first);
      expect(restarted.repositoriesRead).toBe(0);

      // Kept at a commit the branch has moved from: read again.
      await cache.save('source-repository', [
        {
          key: 'local:no-docker',
          digest: `1:${'f'.repeat(40)}`,
          value: { 'source.readable': false },
        },
      ]);
      const afterPush = new SourceFactProvider({
        host,
        logger,
        cache,
        changeIndex,
      });
      expect(await afterPush.collect(entities)).toEqual(first);
      expect(afterPush.repositoriesRead).toBe(1);
    },
  );

  it('reads a repository again only when its branch moved', async () => {
    const entities = [located('payment-service'), located('legacy-service')];
    const graded = new Map();
    const first = await provider.collect(entities, { revisions: graded });
    expect(provider.repositoriesRead).toBe(2);
    const headOf = (name: string) =>
      execFileSync('git', ['rev-parse', 'main'], {
        cwd: host.repositoryPath(name),
        encoding: 'utf8',
      }).trim();
    const legacyRef = 'component:default/legacy-service';
    // What collect graded, and what revisions() tells without reading.
    expect(graded.get(legacyRef)).toEqual({
      source: { commit: headOf('legacy-service') },
    });
    expect(await provider.revisions(entities)).toEqual(graded);

    const second = await provider.collect(entities);
    expect(second).toEqual(first);
    expect(provider.repositoriesRead).toBe(0);
    expect(await provider.entitiesForRepository('legacy-service')).toEqual([
      'component:default/legacy-service',
    ]);

    // The team fixes its Dockerfile; git packs the refs meanwhile.
    const work = path.join(scratch.dir, 'legacy-work');
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: work,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'Bob',
          GIT_AUTHOR_EMAIL: 'bob@example.com',
          GIT_COMMITTER_NAME: 'Bob',
          GIT_COMMITTER_EMAIL: 'bob@example.com',
        },
      });
    execFileSync('git', ['clone', '-q', host.url('legacy-service'), work]);
    fs.writeFileSync(
      path.join(work, 'Dockerfile'),
      `FROM gcr.io/distroless/nodejs22-debian12@sha256:${'a'.repeat(
        64,
      )}\nUSER 65532\n`,
    );
    git('commit', '-qam', 'Pin and drop root');
    git('push', '-q', 'origin', 'HEAD:main');
    execFileSync('git', ['pack-refs', '--all'], {
      cwd: host.repositoryPath('legacy-service'),
    });

    // The new head is told before anything is read again.
    expect((await provider.revisions(entities)).get(legacyRef)).toEqual({
      source: { commit: headOf('legacy-service') },
    });
    expect(headOf('legacy-service')).not.toBe(
      graded.get(legacyRef).source.commit,
    );
    const third = await provider.collect(entities);
    expect(provider.repositoriesRead).toBe(1);
    expect(third.get('component:default/legacy-service')).toMatchObject({
      'source.dockerfileRunsAsNonRoot': true,
      'source.dockerfileBaseImagesPinned': true,
    });
    expect(third.get('component:default/payment-service')).toEqual(
      first.get('component:default/payment-service'),
    );
  });
});
