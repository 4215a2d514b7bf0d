import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { apiClient, eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import { signInAs } from './__testUtils__/testSignInProvider';
import {
  dryRun,
  goldenPathValues,
  loadTemplate,
  runTemplate,
  startGoldenPathBackend,
} from './__testUtils__/templates';

jest.setTimeout(240_000);

/** The service the claims are for, created first by service-nodejs. */
const service = {
  ...goldenPathValues['service-nodejs'],
  name: 'merchant-api',
  description: 'Onboards merchants',
  infrastructure: 'none',
};
const serviceRef = `component:default/${service.name}`;
const serviceDir = `apps/production/payments-team/${service.name}`;
const infrastructureDir = 'infrastructure/production/payments-team';

/** Each claim golden path, the values it is run with and what it makes. */
const claimPaths = [
  {
    template: 'postgres-database',
    kind: 'PostgreSQLInstance',
    name: 'merchant-api-db',
    label: 'PostgreSQL database',
    type: 'database',
    parameters: { size: 'small', storageGB: 50, highAvailability: true },
  },
  {
    template: 'redis-cache',
    kind: 'RedisCache',
    name: 'merchant-api-cache',
    label: 'Redis cache',
    type: 'cache',
    parameters: { memoryMB: 2048, evictionPolicy: 'volatile-lru' },
  },
  {
    template: 'kafka-topic',
    kind: 'KafkaTopic',
    name: 'merchant-events',
    label: 'Kafka topic',
    type: 'kafka-topic',
    parameters: { partitions: 12, cleanupPolicy: 'compact' },
  },
  {
    template: 'object-bucket',
    kind: 'ObjectBucket',
    name: 'merchant-api-files',
    label: 'object bucket',
    type: 'object-bucket',
    parameters: { versioning: false, expireAfterDays: 90 },
  },
];
const claimFile = (claim: (typeof claimPaths)[number]) =>
  `${infrastructureDir}/${claim.kind.toLowerCase()}-${claim.name}.yaml`;
const values = (claim: (typeof claimPaths)[number]) => ({
  service: serviceRef,
  name: claim.name,
  parameters: claim.parameters,
});

/**
 * A decoy on the local git host: a Component orders-team owns (so its
 * members may change it) whose gitops-path annotation names payments-team's
 * service folder. Any repository there with a catalog-info.yaml is read into
 * the catalog; this one is there before the backend starts.
 */
const decoyRef = 'component:default/decoy-api';
function localHostWithDecoy(): string {
  const reposPath = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-repos-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-decoy-'));
  const git = (cwd: string, ...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=Dave', '-c', 'user.email=dave@example.com', ...args],
      { cwd },
    );
  git(work, 'init', '--quiet', '--initial-branch=main');
  fs.writeFileSync(
    path.join(work, 'catalog-info.yaml'),
    yaml.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'decoy-api',
        annotations: { 'causeway.dev/gitops-path': serviceDir },
      },
      // Not a service, so the claim templates' picker does not list it; the
      // scaffolder API takes any entity ref.
      spec: {
        type: 'website',
        lifecycle: 'experimental',
        owner: 'orders-team',
      },
    }),
  );
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '-m', 'Add decoy-api');
  git(reposPath, 'clone', '--quiet', '--bare', work, 'decoy-api.git');
  fs.rmSync(work, { recursive: true, force: true });
  return reposPath;
}

/*
 * The claim golden paths on the embedded default: a service made by
 * service-nodejs, then each claim template run against it through the real
 * scaffolder, GitOps repository and catalog.
 */
describe.each(backendDatabaseIds)('claim golden paths on %s', databaseId => {
  let started: Awaited<ReturnType<typeof startGoldenPathBackend>>;
  let reposPath: string;
  const gitops = (...args: string[]) =>
    execFileSync('git', ['--git-dir', started.backend.gitopsPath, ...args], {
      encoding: 'utf8',
    }).trim();
  const signedIn = async (user: string) =>
    apiClient(
      started.backend.baseUrl,
      await signInAs(started.backend.baseUrl, user),
    );
  const containerOf = (deploymentYaml: string) =>
    yaml.parse(deploymentYaml).spec.template.spec.containers[0];

  beforeAll(async () => {
    reposPath = localHostWithDecoy();
    started = await startGoldenPathBackend(databaseId, {
      config: { goldenPaths: { sourceHost: { path: reposPath } } },
    });
    await eventually(
      () => started.entity(decoyRef),
      'the decoy in the catalog',
    );
    await eventually(
      async () =>
        (
          await Promise.all(
            claimPaths.map(c =>
              started.entity(`template:default/${c.template}`),
            ),
          )
        ).every(Boolean) || undefined,
      'the claim templates in the catalog',
    );
    const created = await runTemplate(
      started.asAlice,
      'template:default/service-nodejs',
      service,
    );
    if (created.status !== 'completed') {
      throw new Error(
        `service-nodejs did not create ${service.name}:\n${created.log}`,
      );
    }
  });

  afterAll(async () => {
    await started?.stop();
    fs.rmSync(reposPath, { recursive: true, force: true });
  });

  it.each(claimPaths)(
    "$template's service picker offers the services with a GitOps folder",
    async ({ template }) => {
      // The catalog query the EntityPicker makes of its catalogFilter.
      const [filter] =
        loadTemplate(template).template.spec.parameters[0].properties.service[
          'ui:options'
        ].catalogFilter;
      const query = Object.entries(filter)
        .map(([key, value]) =>
          typeof value === 'object' ? key : `${key}=${value}`,
        )
        .join(',');

      const res = await started.asAlice(
        'GET',
        `/api/catalog/entities/by-query?filter=${encodeURIComponent(query)}`,
      );

      expect(res.status).toBe(200);
      expect(
        res.body.items.map(
          (e: { metadata: { name: string } }) => e.metadata.name,
        ),
      ).toEqual([service.name]);
    },
  );

  it('in a dry run renders the claim and the connected Deployment, and commits nothing', async () => {
    const head = gitops('rev-parse', 'main');
    const [postgres] = claimPaths;

    const run = await dryRun(
      started.asAlice,
      postgres.template,
      values(postgres),
    );

    expect(run.error).toBeUndefined();
    const claim = yaml.parse(run.files[`gitops/${claimFile(postgres)}`]);
    expect(claim.spec.parameters).toEqual({
      ...postgres.parameters,
      version: '16',
      deletionProtection: true,
      backupRetentionDays: 7,
    });
    expect(
      containerOf(run.files[`gitops/${serviceDir}/deployment.yaml`]).envFrom,
    ).toEqual([{ secretRef: { name: 'merchant-api-db-connection' } }]);
    expect(run.log).toContain('merchant-api-db is free in the catalog');
    expect(run.log).toContain('Dry run: would commit 3 files');
    expect(gitops('rev-parse', 'main')).toBe(head);
  });

  it.each(claimPaths)(
    '$template claims $kind $name for the service, which loads its connection Secret, and the catalog shows it',
    async claim => {
      const run = await runTemplate(
        started.asAlice,
        `template:default/${claim.template}`,
        values(claim),
      );
      expect(run.log).not.toContain('failed');
      expect(run.status).toBe('completed');

      // One GitOps commit by Alice: the claim, and the service loading its
      // connection details.
      expect(gitops('log', '-1', '--format=%an|%s', 'main')).toBe(
        `Alice Anderson|Add ${claim.label} ${claim.name} for merchant-api`,
      );
      expect(
        gitops('show', '--name-only', '--format=', 'main').split('\n'),
      ).toEqual(
        expect.arrayContaining([
          claimFile(claim),
          `${serviceDir}/deployment.yaml`,
        ]),
      );
      const committed = yaml.parse(gitops('show', `main:${claimFile(claim)}`));
      expect(committed).toMatchObject({
        kind: claim.kind,
        metadata: {
          name: claim.name,
          namespace: 'payments-team',
          labels: {
            'causeway.dev/owner': 'payments-team',
            'causeway.dev/environment': 'production',
            'app.kubernetes.io/part-of': 'merchant-api',
          },
        },
        spec: { parameters: claim.parameters },
      });
      expect(
        containerOf(gitops('show', `main:${serviceDir}/deployment.yaml`))
          .envFrom,
      ).toContainEqual({ secretRef: { name: `${claim.name}-connection` } });

      expect(run.output.links).toEqual([
        expect.objectContaining({
          entityRef: `resource:default/${claim.name}`,
        }),
        expect.objectContaining({ entityRef: serviceRef }),
        expect.objectContaining({
          title: 'GitOps commit',
          url: expect.stringContaining(gitops('rev-parse', 'main')),
        }),
      ]);

      // In the catalog when the run ends, owned by the service's team, and a
      // dependency of the service.
      const resource = await started.entity(`resource:default/${claim.name}`);
      expect(resource.spec).toMatchObject({
        type: claim.type,
        owner: 'group:default/payments-team',
      });
      await eventually(async () => {
        const found = await started.entity(serviceRef);
        return (found?.relations ?? []).some(
          (r: { type: string; targetRef: string }) =>
            r.type === 'dependsOn' &&
            r.targetRef === `resource:default/${claim.name}`,
        )
          ? true
          : undefined;
      }, `${service.name} depending on ${claim.name}`);
    },
  );

  it('refuses a claim name that is taken in the preflight, before anything is written', async () => {
    const head = gitops('rev-parse', 'main');
    const [postgres] = claimPaths;

    const run = await runTemplate(
      started.asAlice,
      'template:default/postgres-database',
      { ...values(postgres), name: 'payment-service' },
    );

    expect(run.status).toBe('failed');
    expect(run.failedStep).toBe('preflight');
    expect(run.log).toContain(
      'name: payment-service is taken in the catalog by component:default/payment-service, owned by group:default/payments-team',
    );
    expect(gitops('rev-parse', 'main')).toBe(head);
  });

  it('refuses to change a service of another team, before anything is written', async () => {
    const head = gitops('rev-parse', 'main');
    const [postgres] = claimPaths;
    // Dave is in orders-team; the service belongs to payments-team.
    const asDave = await signedIn('dave');

    const run = await runTemplate(
      asDave,
      'template:default/postgres-database',
      {
        ...values(postgres),
        name: 'not-my-db',
      },
    );

    expect(run.status).toBe('failed');
    expect(run.failedStep).toBe('preflight');
    expect(run.log).toContain(
      `changes: you may not change component:default/${service.name}: only its owners and platform admins may`,
    );
    expect(gitops('rev-parse', 'main')).toBe(head);
  });

  it("refuses a claim on an entity whose gitops-path annotation names another team's service, naming the folder it would have, and writes nothing", async () => {
    const head = gitops('rev-parse', 'main');
    const deployment = gitops('show', `main:${serviceDir}/deployment.yaml`);
    const [postgres] = claimPaths;
    // Dave is in orders-team, which owns the decoy.
    const asDave = await signedIn('dave');

    const run = await runTemplate(
      asDave,
      'template:default/postgres-database',
      { service: decoyRef, name: 'decoy-db', parameters: postgres.parameters },
    );

    expect(run.status).toBe('failed');
    expect(run.failedStep).toBe('preflight');
    expect(run.log).toContain(
      `changes: ${decoyRef}: its causeway.dev/gitops-path annotation "${serviceDir}" is not its folder: decoy-api, owned by orders-team, lives in apps/production/orders-team/decoy-api`,
    );
    expect(gitops('rev-parse', 'main')).toBe(head);
    expect(gitops('show', `main:${serviceDir}/deployment.yaml`)).toBe(
      deployment,
    );
    expect(await started.entity('resource:default/decoy-db')).toBeUndefined();
  });

  it("refuses a parameter out of the XRD's bounds at the claim step, naming it, with no GitOps commit", async () => {
    const head = gitops('rev-parse', 'main');

    const run = await runTemplate(
      started.asAlice,
      'template:default/redis-cache',
      {
        service: serviceRef,
        name: 'merchant-api-sessions',
        parameters: { memoryMB: 100 },
      },
    );

    expect(run.status).toBe('failed');
    expect(run.failedStep).toBe('claim');
    expect(run.log).toContain(
      'Invalid claim RedisCache payments-team/merchant-api-sessions (schema from xrediscaches.platform.causeway.dev): /spec/parameters/memoryMB must be >= 256',
    );
    expect(gitops('rev-parse', 'main')).toBe(head);
    expect(
      await started.entity('resource:default/merchant-api-sessions'),
    ).toBeUndefined();
  });
});
