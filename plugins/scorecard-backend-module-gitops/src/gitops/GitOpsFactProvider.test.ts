import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { PlatformApi } from '@causeway/plugin-gitops-common';
import { DatabaseFactCache } from '../cache/FactCache';
import { DatabaseChangeIndex } from '../changes/ChangeIndex';
import {
  createGitOpsRepository,
  goldenPathDatabase,
  goldenPathManifests,
  loadRepositoryPlatformApis,
  logger,
  serviceEntity,
  tempDir,
  createChangeIndex,
} from '../__testUtils__/repositories';
import { GitOpsFactProvider } from './GitOpsFactProvider';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const gitopsPath = (name: string, namespace = 'payments') => ({
  'causeway.dev/gitops-path': `apps/production/${namespace}/${name}`,
});

const legacyDir = 'apps/production/payments/legacy-service';
/** Manifests written by hand, with what the golden path would not write. */
const legacyFiles = [
  {
    path: `${legacyDir}/deployment.yaml`,
    content: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy-service
  namespace: payments
spec:
  replicas: 1
  selector:
    matchLabels: { app: legacy-service }
  template:
    metadata:
      labels: { app: legacy-service }
    spec:
      containers:
        - name: legacy-service
          image: registry.example.com/legacy-service:1.4.2
          resources:
            requests: { cpu: 100m, memory: 128Mi }
          env:
            - name: DB_PASSWORD
              value: hunter2
            - name: LOG_LEVEL
              value: debug
`,
  },
  {
    path: `${legacyDir}/secret.yaml`,
    content: `apiVersion: v1
kind: Secret
metadata:
  name: legacy-service-api
  namespace: payments
stringData:
  token: s3cr3t
---
apiVersion: example.com/v1
kind: FeatureFlags
metadata:
  name: legacy-service
`,
  },
  {
    path: `${legacyDir}/broken.yaml`,
    content: 'kind: ConfigMap\nmetadata: [\n',
  },
  { path: `${legacyDir}/README.md`, content: '# Not a manifest\n' },
  {
    path: 'infrastructure/production/payments/postgresqlinstance-legacy-db.yaml',
    content: `apiVersion: platform.causeway.dev/v1alpha1
kind: PostgreSQLInstance
metadata:
  name: legacy-db
  namespace: payments
  labels:
    app.kubernetes.io/part-of: legacy-service
spec:
  parameters:
    size: small
    storageGB: 10
    deletionProtection: false
    backupRetentionDays: 0
`,
  },
];

describe('GitOpsFactProvider', () => {
  let scratch: ReturnType<typeof tempDir>;
  let apis: PlatformApi[];
  let gitops: Awaited<ReturnType<typeof createGitOpsRepository>>;
  let provider: GitOpsFactProvider;

  const entities = [
    serviceEntity('payment-service', gitopsPath('payment-service')),
    serviceEntity('legacy-service', gitopsPath('legacy-service')),
    serviceEntity(
      'invoice-export',
      gitopsPath('invoice-export', 'billing'),
      'job',
    ),
    serviceEntity('not-deployed', gitopsPath('not-deployed')),
    serviceEntity('website'),
  ];

  beforeAll(async () => {
    scratch = tempDir('scorecard-gitops-');
    apis = await loadRepositoryPlatformApis();
    gitops = await createGitOpsRepository(scratch.dir);
    await gitops.publish([
      ...goldenPathManifests(),
      ...goldenPathDatabase(apis, 'payment-service'),
      ...legacyFiles,
      {
        path: 'apps/production/billing/invoice-export/cronjob.yaml',
        content: `apiVersion: batch/v1
kind: CronJob
metadata: { name: invoice-export, namespace: billing }
spec:
  schedule: "30 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          securityContext: { runAsNonRoot: true }
          containers:
            - name: invoice-export
              image: registry.example.com/invoice-export@sha256:${'f6'.repeat(
                32,
              )}
              resources:
                requests: { cpu: 100m, memory: 128Mi }
                limits: { cpu: 500m, memory: 256Mi }
`,
      },
    ]);
  });
  afterAll(() => scratch.remove());
  beforeEach(async () => {
    provider = new GitOpsFactProvider({
      repository: gitops.repository,
      platformApis: apis,
      logger,
      changeIndex: await createChangeIndex(),
    });
  });

  it('reports the facts of a golden-path service and its database: every practice in place', async () => {
    const facts = await provider.collect(entities);

    expect(facts.get('component:default/payment-service')).toEqual({
      'gitops.hasManifests': true,
      'gitops.objectKinds': [
        'Application',
        'Deployment',
        'ExternalSecret',
        'HorizontalPodAutoscaler',
        'Kustomization',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Service',
        'ServiceMonitor',
      ],
      'gitops.replicas': 2,
      'gitops.hpaMinReplicas': 2,
      'gitops.hpaMaxReplicas': 5,
      'gitops.hasPodDisruptionBudget': true,
      'gitops.hasNetworkPolicy': true,
      'gitops.hasServiceMonitor': true,
      'gitops.hasArgoApplication': true,
      'gitops.imagesPinnedByDigest': true,
      'gitops.unpinnedImageCount': 0,
      'gitops.containersWithoutRequests': 0,
      'gitops.containersWithoutLimits': 0,
      'gitops.containersWithoutReadinessProbe': 0,
      'gitops.containersWithoutLivenessProbe': 0,
      'gitops.runsAsNonRoot': true,
      'gitops.readOnlyRootFilesystem': true,
      'gitops.dropsAllCapabilities': true,
      'gitops.privilegeEscalationDisabled': true,
      'gitops.plainSecretCount': 0,
      'gitops.externalSecretCount': 1,
      'gitops.databaseClaimCount': 1,
      'gitops.databaseClaimsWithoutDeletionProtection': 0,
      'gitops.databaseClaimsWithoutBackups': 0,
      'gitops.unknownObjectCount': 0,
      'gitops.manifestProblemCount': 0,
    });
  });

  it('reports what hand-written manifests get wrong: one replica, no probes, an image by tag, plain secrets, an unprotected database', async () => {
    const facts = await provider.collect(entities);

    expect(facts.get('component:default/legacy-service')).toEqual({
      'gitops.hasManifests': true,
      'gitops.objectKinds': ['Deployment', 'FeatureFlags', 'Secret'],
      'gitops.replicas': 1,
      'gitops.hpaMinReplicas': null,
      'gitops.hpaMaxReplicas': null,
      'gitops.hasPodDisruptionBudget': false,
      'gitops.hasNetworkPolicy': false,
      'gitops.hasServiceMonitor': false,
      'gitops.hasArgoApplication': false,
      'gitops.imagesPinnedByDigest': false,
      'gitops.unpinnedImageCount': 1,
      'gitops.containersWithoutRequests': 0,
      'gitops.containersWithoutLimits': 1,
      'gitops.containersWithoutReadinessProbe': 1,
      'gitops.containersWithoutLivenessProbe': 1,
      'gitops.runsAsNonRoot': false,
      'gitops.readOnlyRootFilesystem': false,
      'gitops.dropsAllCapabilities': false,
      'gitops.privilegeEscalationDisabled': false,
      // The Secret object, and DB_PASSWORD set in the Deployment.
      'gitops.plainSecretCount': 2,
      'gitops.externalSecretCount': 0,
      'gitops.databaseClaimCount': 1,
      'gitops.databaseClaimsWithoutDeletionProtection': 1,
      'gitops.databaseClaimsWithoutBackups': 1,
      'gitops.unknownObjectCount': 1,
      'gitops.manifestProblemCount': 1,
    });
  });

  it('reports a CronJob without replicas or probes, and an entity without a folder or annotation as having no manifests', async () => {
    const facts = await provider.collect(entities);

    expect(facts.get('component:default/invoice-export')).toMatchObject({
      'gitops.hasManifests': true,
      'gitops.objectKinds': ['CronJob'],
      'gitops.replicas': null,
      'gitops.containersWithoutReadinessProbe': null,
      'gitops.containersWithoutLivenessProbe': null,
      'gitops.imagesPinnedByDigest': true,
      'gitops.runsAsNonRoot': true,
      'gitops.readOnlyRootFilesystem': false,
      'gitops.databaseClaimCount': 0,
    });
    expect(facts.get('component:default/not-deployed')).toEqual({
      'gitops.hasManifests': false,
      'gitops.objectKinds': [],
      'gitops.manifestProblemCount': 0,
      'gitops.databaseClaimCount': 0,
      'gitops.databaseClaimsWithoutDeletionProtection': 0,
      'gitops.databaseClaimsWithoutBackups': 0,
    });
    expect(facts.get('component:default/website')).toEqual({
      'gitops.hasManifests': false,
    });
    expect(facts.size).toBe(entities.length);
  });

  it('reads the repository once per call and parses only files it has not seen', async () => {
    const tree = jest.spyOn(gitops.repository, 'tree');
    const readBlobs = jest.spyOn(gitops.repository, 'readBlobs');

    const first = await provider.collect(entities);
    expect(provider.lastCollect).toMatchObject({
      entities: 5,
      filesParsed: 16,
      filesRead: 16,
    });
    expect(tree).toHaveBeenCalledTimes(1);
    expect(readBlobs).toHaveBeenCalledTimes(1);

    const second = await provider.collect(entities);
    expect(second).toEqual(first);
    expect(provider.lastCollect).toMatchObject({
      filesParsed: 0,
      filesRead: 0,
      foldersEvaluated: 0,
    });
    expect(tree).toHaveBeenCalledTimes(2);
    expect(readBlobs).toHaveBeenLastCalledWith([]);

    // One file changes: only it is parsed, only its folder evaluated again.
    const [deployment] = goldenPathManifests({ replicas: { min: 3, max: 6 } });
    await gitops.publish([deployment]);
    const third = await provider.collect(entities);
    expect(provider.lastCollect).toMatchObject({
      filesParsed: 1,
      foldersEvaluated: 1,
    });
    expect(third.get('component:default/payment-service')).toMatchObject({
      'gitops.replicas': 3,
      'gitops.hpaMinReplicas': 2,
    });
    expect(third.get('component:default/legacy-service')).toEqual(
      first.get('component:default/legacy-service'),
    );
    await gitops.publish([goldenPathManifests()[0]]);
    tree.mockRestore();
    readBlobs.mockRestore();
  });

  it("tells each entity's revision: the commit, and its folders' content, which only a change to them moves", async () => {
    const payment = 'component:default/payment-service';
    const legacy = 'component:default/legacy-service';
    const graded = new Map();
    await provider.collect(entities, { revisions: graded });
    const before = await provider.revisions(entities);
    const head = await gitops.repository.head();
    expect(before.get(payment)).toEqual({
      gitops: {
        commit: head,
        content: expect.stringMatching(/^[0-9a-f]{40}$/),
      },
    });
    // What collect graded is what revisions() tells without collecting.
    expect(graded).toEqual(before);
    // No folder, no revision.
    expect(before.has('component:default/website')).toBe(false);
    expect(before.get(legacy)!.gitops.content).not.toBe(
      before.get(payment)!.gitops.content,
    );

    // A commit to another service's folder: a new commit, the same content.
    await gitops.publish([
      { path: `${legacyDir}/broken.yaml`, content: 'kind: ConfigMap\n' },
    ]);
    const afterOther = await provider.revisions(entities);
    expect(afterOther.get(payment)!.gitops).toEqual({
      commit: await gitops.repository.head(),
      content: before.get(payment)!.gitops.content,
    });
    expect(afterOther.get(legacy)!.gitops.content).not.toBe(
      before.get(legacy)!.gitops.content,
    );

    // A claim in the namespace's infrastructure folder moves the services
    // of that namespace.
    await gitops.publish(
      goldenPathDatabase(apis, 'payment-service', 'payments', {
        storageGB: 40,
      }),
    );
    const afterClaim = await provider.revisions(entities);
    expect(afterClaim.get(payment)!.gitops.content).not.toBe(
      before.get(payment)!.gitops.content,
    );
    // As it was, for the tests after this one.
    await gitops.publish([
      ...goldenPathDatabase(apis, 'payment-service'),
      legacyFiles[2],
    ]);
  });

  describe.each(databases.eachSupportedId())(
    'with its facts kept in %p',
    databaseId => {
      it('starts again without parsing what did not change, and reads again only what did', async () => {
        const knex = await databases.init(databaseId);
        const database = { getClient: async () => knex } as DatabaseService;
        const cache = await DatabaseFactCache.create({ database });
        const changeIndex = await DatabaseChangeIndex.create({ database });
        const started = (platformApis = apis) =>
          new GitOpsFactProvider({
            repository: gitops.repository,
            platformApis,
            logger,
            changeIndex,
            cache,
          });
        const before = started();
        const first = await before.collect(entities);
        const folders = before.lastCollect!.foldersEvaluated;
        expect(before.lastCollect).toMatchObject({
          filesParsed: 16,
          foldersRestored: 0,
        });

        // A restart: a new provider on the same database.
        const restarted = started();
        expect(await restarted.collect(entities)).toEqual(first);
        expect(restarted.lastCollect).toMatchObject({
          filesRead: 0,
          filesParsed: 0,
          foldersEvaluated: 0,
          foldersRestored: folders,
        });

        // A commit while the backend was down: only its folder is read.
        const [deployment] = goldenPathManifests({
          replicas: { min: 3, max: 6 },
        });
        await gitops.publish([deployment]);
        const afterCommit = started();
        const facts = await afterCommit.collect(entities);
        expect(afterCommit.lastCollect).toMatchObject({
          foldersEvaluated: 1,
          foldersRestored: folders - 1,
        });
        expect(facts.get('component:default/payment-service')).toMatchObject({
          'gitops.replicas': 3,
        });
        await gitops.publish([goldenPathManifests()[0]]);

        // Other platform APIs (a claim's defaults may differ): nothing kept holds.
        const otherApis = started(apis.slice(1));
        await otherApis.collect(entities);
        expect(otherApis.lastCollect).toMatchObject({
          foldersEvaluated: folders,
          foldersRestored: 0,
        });
      });
    },
  );

  it('maps changed files to the entities whose folder, or namespace’s infrastructure, holds them', async () => {
    expect(
      await provider.entitiesForPaths([`${legacyDir}/deployment.yaml`]),
    ).toEqual([]);
    await provider.collect(entities, { all: true });

    expect(
      await provider.entitiesForPaths([`${legacyDir}/deployment.yaml`]),
    ).toEqual(['component:default/legacy-service']);
    expect(
      await provider.entitiesForPaths([
        'infrastructure/production/payments/postgresqlinstance-new-db.yaml',
      ]),
    ).toEqual([
      'component:default/legacy-service',
      'component:default/not-deployed',
      'component:default/payment-service',
    ]);
    expect(
      await provider.entitiesForPaths([
        'apps/production/billing/invoice-export/cronjob.yaml',
        'apps/production/other/thing/deployment.yaml',
        'README.md',
      ]),
    ).toEqual(['component:default/invoice-export']);

    // A re-evaluation of one entity keeps what the others read.
    await provider.collect([entities[0]]);
    expect(
      await provider.entitiesForPaths([`${legacyDir}/secret.yaml`]),
    ).toEqual(['component:default/legacy-service']);

    // A full run without an entity forgets what it read.
    await provider.collect(
      entities.filter(e => e.metadata.name !== 'legacy-service'),
      { all: true },
    );
    expect(
      await provider.entitiesForPaths([`${legacyDir}/deployment.yaml`]),
    ).toEqual([]);
  });
});
