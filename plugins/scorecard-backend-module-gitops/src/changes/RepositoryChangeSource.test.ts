import path from 'node:path';
import { PlatformApi } from '@causeway/plugin-gitops-common';
import {
  GITOPS_CHANGED_TOPIC,
  LocalGitHost,
  SOURCE_REPOSITORY_CREATED_TOPIC,
  SOURCE_REPOSITORY_PUSHED_TOPIC,
} from '@causeway/plugin-gitops-node';
import { mockServices } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import knexFactory from 'knex';
import {
  createGitOpsRepository,
  createSourceRepository,
  goldenPathDatabase,
  goldenPathManifests,
  loadRepositoryPlatformApis,
  logger,
  serviceEntity,
  tempDir,
  createChangeIndex,
} from '../__testUtils__/repositories';
import { GitOpsFactProvider } from '../gitops/GitOpsFactProvider';
import { SourceFactProvider } from '../source/SourceFactProvider';
import { DatabaseChangeIndex } from './ChangeIndex';
import { RepositoryChangeSource } from './RepositoryChangeSource';
import { GitOpsHeadTracker } from './GitOpsHeadTracker';
import { DatabaseHostedHeadStore } from './HostedHeadStore';
import { GITHUB_PUSH_TOPIC } from './githubPush';

jest.setTimeout(60_000);

describe('RepositoryChangeSource', () => {
  let scratch: ReturnType<typeof tempDir>;
  let apis: PlatformApi[];
  let host: LocalGitHost;
  let gitops: Awaited<ReturnType<typeof createGitOpsRepository>>;
  let changes: RepositoryChangeSource;
  let heard: string[][];

  const entity = (name: string, namespace = 'payments') =>
    serviceEntity(name, {
      'causeway.dev/gitops-path': `apps/production/${namespace}/${name}`,
      'backstage.io/source-location': `url:${host.url(name)}`,
    });

  beforeAll(async () => {
    scratch = tempDir('scorecard-changes-');
    apis = await loadRepositoryPlatformApis();
    host = new LocalGitHost({ root: path.join(scratch.dir, 'repos') });
    gitops = await createGitOpsRepository(scratch.dir);
    await gitops.publish([
      ...goldenPathManifests(),
      ...goldenPathManifests({ name: 'refund-service' }),
      ...goldenPathManifests({ name: 'ledger', namespace: 'finance' }),
    ]);
    await createSourceRepository(host, scratch.dir, 'payment-service');
  });
  afterAll(() => scratch.remove());

  let changeIndex: DatabaseChangeIndex;

  beforeEach(async () => {
    changeIndex = await createChangeIndex();
    const gitopsFacts = new GitOpsFactProvider({
      repository: gitops.repository,
      platformApis: apis,
      logger,
      changeIndex,
    });
    const sourceFacts = new SourceFactProvider({ host, logger, changeIndex });
    const entities = ['payment-service', 'refund-service']
      .map(name => entity(name))
      .concat(entity('ledger', 'finance'));
    await gitopsFacts.collect(entities);
    await sourceFacts.collect(entities);
    changes = new RepositoryChangeSource({
      gitops: gitopsFacts,
      source: sourceFacts,
      host,
      logger,
    });
    heard = [];
    changes.subscribe(refs => heard.push(refs));
  });

  it('re-grades the services whose GitOps folder a commit wrote to', async () => {
    const result = await gitops.publish(
      goldenPathManifests({ replicas: { min: 3, max: 5 } }).slice(0, 1),
    );
    await changes.onEvent({
      topic: GITOPS_CHANGED_TOPIC,
      eventPayload: {
        commitSha: result.commitSha,
        branch: 'main',
        files: result.files,
      },
    });
    expect(heard).toEqual([['component:default/payment-service']]);
  });

  it('re-grades on a replica that collected nothing itself (just restarted), from the shared index', async () => {
    const restarted = new RepositoryChangeSource({
      gitops: new GitOpsFactProvider({
        repository: gitops.repository,
        platformApis: apis,
        logger,
        changeIndex,
      }),
      source: new SourceFactProvider({ host, logger, changeIndex }),
      host,
      logger,
    });
    const heardThere: string[][] = [];
    restarted.subscribe(refs => heardThere.push(refs));
    await restarted.onEvent({
      topic: GITOPS_CHANGED_TOPIC,
      eventPayload: {
        commitSha: 'x',
        branch: 'main',
        files: ['apps/production/finance/ledger/deployment.yaml'],
      },
    });
    expect(heardThere).toEqual([['component:default/ledger']]);
  });

  it('re-grades every service of the namespace when a claim there changes', async () => {
    const files = goldenPathDatabase(apis, 'refund-service').map(f => f.path);
    await changes.onEvent({
      topic: GITOPS_CHANGED_TOPIC,
      eventPayload: { commitSha: 'x', branch: 'main', files },
    });
    expect(heard.map(refs => [...refs].sort())).toEqual([
      ['component:default/payment-service', 'component:default/refund-service'],
    ]);
  });

  it('says nothing for a commit that no known entity reads', async () => {
    await changes.onEvent({
      topic: GITOPS_CHANGED_TOPIC,
      eventPayload: {
        commitSha: 'x',
        branch: 'main',
        files: ['apps/production/other/new-service/deployment.yaml'],
      },
    });
    await changes.onEvent({ topic: 'something.else', eventPayload: {} });
    expect(heard).toEqual([]);
  });

  it('re-grades the entity of a new source repository: known ones from the last collect, new ones from their catalog-info.yaml', async () => {
    await changes.onEvent({
      topic: SOURCE_REPOSITORY_CREATED_TOPIC,
      eventPayload: {
        name: 'payment-service',
        url: host.url('payment-service'),
      },
    });
    const created = await createSourceRepository(
      host,
      scratch.dir,
      'checkout-service',
    );
    await changes.onEvent({
      topic: SOURCE_REPOSITORY_CREATED_TOPIC,
      eventPayload: { name: created.name, url: created.url },
    });
    await changes.onEvent({
      topic: SOURCE_REPOSITORY_CREATED_TOPIC,
      eventPayload: { name: 'never-created', url: host.url('never-created') },
    });

    expect(heard).toEqual([
      ['component:default/payment-service'],
      ['component:default/checkout-service'],
    ]);
  });
  it('re-grades what a push someone else made touched: a local source repository by name, a hosted one by URL from a GitHub push webhook, and a GitOps remote on GitHub by the files the push changed', async () => {
    const hostedHeads = await DatabaseHostedHeadStore.create({
      database: mockServices.database({
        knex: knexFactory({
          client: 'better-sqlite3',
          connection: ':memory:',
          useNullAsDefault: true,
        }),
      }),
    });
    const events = DefaultEventsService.create({ logger }).forPlugin(
      'scorecard',
    );
    const gitopsHeads = new GitOpsHeadTracker({
      repository: gitops.repository,
      branch: 'main',
      heads: hostedHeads,
      events,
      logger,
    });
    // What the source provider records for a hosted source-location.
    await changeIndex.record('source-repository', {
      entityRefs: ['component:default/hosted-service'],
      entries: [
        {
          key: 'url:https://github.com/acme/hosted-service/tree/main/',
          entityRef: 'component:default/hosted-service',
        },
      ],
      all: false,
    });
    const withPushes = new RepositoryChangeSource({
      gitops: new GitOpsFactProvider({
        repository: gitops.repository,
        platformApis: apis,
        logger,
        changeIndex,
      }),
      source: new SourceFactProvider({ host, logger, changeIndex }),
      host,
      logger,
      pushes: {
        gitopsHeads,
        gitopsUrl: 'https://github.com/acme/gitops.git',
        hostedHeads,
        changeIndex,
      },
    });
    const sha = 'c'.repeat(40);
    const push = (overrides: Record<string, unknown> = {}) => ({
      topic: GITHUB_PUSH_TOPIC,
      eventPayload: {
        ref: 'refs/heads/main',
        before: 'b'.repeat(40),
        after: sha,
        repository: {
          html_url: 'https://github.com/Acme/hosted-service',
          default_branch: 'main',
        },
        ...overrides,
      },
    });

    expect(
      await withPushes.entitiesFor({
        topic: SOURCE_REPOSITORY_PUSHED_TOPIC,
        eventPayload: {
          name: 'payment-service',
          url: host.url('payment-service'),
          branch: 'main',
          commitSha: sha,
        },
      }),
    ).toEqual(['component:default/payment-service']);
    expect(await withPushes.entitiesFor(push())).toEqual([
      'component:default/hosted-service',
    ]);
    const url = 'https://github.com/acme/hosted-service';
    expect((await hostedHeads.heads([url])).get(url)?.sha).toBe(sha);

    // A push to the GitOps repository's remote: fetched, and announced as
    // the files it changed (heard again as GITOPS_CHANGED_TOPIC).
    const announced: unknown[] = [];
    await events.subscribe({
      id: 'test',
      topics: [GITOPS_CHANGED_TOPIC],
      onEvent: async event => {
        announced.push(event.eventPayload);
      },
    });
    const before = await gitops.repository.head();
    const commit = await gitops.publish(
      goldenPathManifests({ replicas: { min: 4, max: 6 } }).slice(0, 1),
    );
    expect(
      await withPushes.entitiesFor(
        push({
          before,
          after: commit.commitSha,
          repository: {
            html_url: 'https://github.com/acme/gitops',
            default_branch: 'main',
          },
        }),
      ),
    ).toEqual([]);
    expect(announced).toEqual([
      { commitSha: commit.commitSha, branch: 'main', files: commit.files },
    ]);

    // Another branch, a malformed body, an unknown repository: nothing.
    expect(
      await withPushes.entitiesFor(push({ ref: 'refs/heads/feature' })),
    ).toEqual([]);
    expect(await withPushes.entitiesFor(push({ after: '$(id)' }))).toEqual([]);
    expect(
      await withPushes.entitiesFor(
        push({
          repository: {
            html_url: 'https://github.com/acme/unknown',
            default_branch: 'main',
          },
        }),
      ),
    ).toEqual([]);
  });
});
