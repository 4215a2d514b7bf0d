import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { apiClient, eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import { startCausewayBackend } from './__testUtils__/startCausewayBackend';
import { dryRun, runTemplate } from './__testUtils__/templates';
import {
  authModuleTestSignIn,
  signInAs,
} from './__testUtils__/testSignInProvider';

jest.setTimeout(240_000);

/*
 * The golden paths on the embedded default: a real backend with the
 * templates from templates/, the local git host and GitOps repository in a
 * private data folder, and the real catalog picking the results up.
 */
describe.each(backendDatabaseIds)('golden paths on %s', databaseId => {
  let stop: () => Promise<void>;
  let gitopsPath: string;
  let reposPath: string;
  let asAlice: ReturnType<typeof apiClient>;
  const gitops = (...args: string[]) =>
    execFileSync('git', ['--git-dir', gitopsPath, ...args], {
      encoding: 'utf8',
    }).trim();
  const entity = async (ref: string) => {
    const [kind, rest] = ref.split(':');
    const res = await asAlice(
      'GET',
      `/api/catalog/entities/by-name/${kind}/${rest}`,
    );
    return res.status === 200 ? res.body : undefined;
  };

  beforeAll(async () => {
    const started = await startCausewayBackend({
      database: databaseId,
      extraFeatures: [authModuleTestSignIn],
      config: { auth: { providers: { test: {} } } },
    });
    stop = started.stop;
    ({ gitopsPath, reposPath } = started.backend);
    const { baseUrl } = started.backend;
    // Alice can sign in once the catalog has loaded her.
    asAlice = apiClient(
      baseUrl,
      await eventually(
        () => signInAs(baseUrl, 'alice'),
        'alice in the catalog',
      ),
    );
    await eventually(
      async () =>
        (await entity('template:default/service-nodejs')) &&
        (await entity('system:default/checkout-system')) &&
        (await entity('group:default/payments-team')),
      'the templates and the demo organisation in the catalog',
    );
  });

  afterAll(async () => {
    await stop?.();
  });

  const values = {
    name: 'refund-api',
    description: 'Refunds card payments',
    owner: 'group:default/payments-team',
    system: 'system:default/checkout-system',
    tier: 'standard',
    infrastructure: 'PostgreSQLInstance',
  };

  it('service-nodejs in a dry run renders the source, the manifests and the claim, and creates nothing', async () => {
    const head = gitops('rev-parse', 'main');
    const run = await dryRun(asAlice, 'service-nodejs', values);

    expect(run.error).toBeUndefined();
    const catalogInfo = yaml.parse(run.files['source/catalog-info.yaml']);
    expect(catalogInfo).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'refund-api',
        description: 'Refunds card payments',
        annotations: {
          'backstage.io/kubernetes-id': 'refund-api',
          'backstage.io/kubernetes-namespace': 'payments-team',
          'causeway.dev/gitops-path':
            'apps/production/payments-team/refund-api',
        },
      },
      spec: {
        type: 'service',
        owner: 'group:default/payments-team',
        system: 'system:default/checkout-system',
        dependsOn: ['resource:default/refund-api-db'],
      },
    });
    const deployment = yaml.parse(
      run.files[
        'gitops/apps/production/payments-team/refund-api/deployment.yaml'
      ],
    );
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe(
      'registry.causeway.internal/refund-api:bootstrap',
    );
    expect(container.envFrom).toEqual([
      { secretRef: { name: 'refund-api-db-connection' } },
    ]);
    expect(
      yaml.parse(
        run.files[
          'gitops/infrastructure/production/payments-team/postgresqlinstance-refund-api-db.yaml'
        ],
      ).spec.parameters,
    ).toMatchObject({ size: 'standard', storageGB: 20 });
    expect(Object.keys(run.files)).toEqual(
      expect.arrayContaining([
        'source/Dockerfile',
        'source/.github/workflows/ci.yaml',
        'source/src/server.ts',
        'gitops/apps/production/payments-team/_namespace/namespace.yaml',
      ]),
    );
    expect(run.log).toContain('refund-api is free in the catalog');
    expect(run.log).toContain('Dry run: would create file://');
    expect(gitops('rev-parse', 'main')).toBe(head);
    expect(fs.existsSync(reposPath) ? fs.readdirSync(reposPath) : []).toEqual(
      [],
    );
  });

  it('service-nodejs creates the source repository, the GitOps commit and the catalog entity with its relations', async () => {
    const run = await runTemplate(
      asAlice,
      'template:default/service-nodejs',
      values,
    );
    expect(run.log).not.toContain('failed');
    expect(run.status).toBe('completed');

    // The source repository, as one commit by Alice.
    const repo = path.join(reposPath, 'refund-api.git');
    const git = (...args: string[]) =>
      execFileSync('git', ['--git-dir', repo, ...args], {
        encoding: 'utf8',
      }).trim();
    expect(git('log', '--format=%an|%s', 'main')).toBe(
      'Alice Anderson|Create refund-api from the service-nodejs golden path',
    );
    expect(git('ls-tree', '-r', '--name-only', 'main').split('\n')).toEqual(
      expect.arrayContaining([
        'catalog-info.yaml',
        'Dockerfile',
        'src/server.ts',
      ]),
    );

    // The GitOps commit: the service, its namespace and its claim, by Alice.
    expect(gitops('log', '-1', '--format=%an|%s', 'main')).toBe(
      'Alice Anderson|Add refund-api (service-nodejs) for payments-team',
    );
    const committed = gitops('show', '--name-only', '--format=', 'main').split(
      '\n',
    );
    expect(committed).toEqual(
      expect.arrayContaining([
        'apps/production/payments-team/refund-api/deployment.yaml',
        'apps/production/payments-team/refund-api/argocd-application.yaml',
        'infrastructure/production/payments-team/postgresqlinstance-refund-api-db.yaml',
      ]),
    );

    // The catalog: in it when the run ends (causeway:catalog:wait), with
    // its owner, system and the claimed database.
    expect(run.output.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          title: 'Open in catalog',
          entityRef: 'component:default/refund-api',
        }),
      ]),
    );
    const component = await eventually(async () => {
      const found = await entity('component:default/refund-api');
      const relations = (found?.relations ?? []).map(
        (r: { type: string; targetRef: string }) => `${r.type} ${r.targetRef}`,
      );
      return relations.includes('dependsOn resource:default/refund-api-db')
        ? relations
        : undefined;
    }, 'refund-api with its relations');
    expect(component).toEqual(
      expect.arrayContaining([
        'ownedBy group:default/payments-team',
        'partOf system:default/checkout-system',
      ]),
    );
    const database = await eventually(
      () => entity('resource:default/refund-api-db'),
      'the claimed database as a Resource',
    );
    expect(database.spec).toMatchObject({
      type: 'database',
      owner: 'group:default/payments-team',
    });
  });

  it('refuses a taken name, an owner that is not a group and an unknown system before creating anything', async () => {
    const head = gitops('rev-parse', 'main');
    const run = await runTemplate(asAlice, 'template:default/service-nodejs', {
      ...values,
      name: 'payment-service',
      owner: 'user:default/alice',
      system: 'system:default/no-such-system',
    });

    expect(run.status).toBe('failed');
    expect(run.failedStep).toBe('preflight');
    expect(run.log).toContain(
      'owner: user:default/alice is not a group in the catalog',
    );
    expect(run.log).toContain(
      'system: system:default/no-such-system is not a system in the catalog',
    );
    expect(run.log).toContain(
      'name: payment-service is taken in the catalog by component:default/payment-service, owned by group:default/payments-team',
    );
    expect(gitops('rev-parse', 'main')).toBe(head);
    expect(fs.existsSync(path.join(reposPath, 'payment-service.git'))).toBe(
      false,
    );
  });

  it('leaves no GitOps files and no catalog entry when the last step fails, and says which step and why', async () => {
    // Something in the way of the repository (as a disk fault would be):
    // the preflight passes, creating the repository fails.
    fs.mkdirSync(reposPath, { recursive: true });
    fs.writeFileSync(path.join(reposPath, 'chargeback-api.git'), 'in the way');
    const before = gitops('rev-parse', 'main');

    const run = await runTemplate(asAlice, 'template:default/service-nodejs', {
      ...values,
      name: 'chargeback-api',
    });

    expect(run.status).toBe('failed');
    expect(run.failedStep).toBe('publish-source');
    expect(run.log).toMatch(
      /the GitOps commit [0-9a-f]{40} was reverted by [0-9a-f]{40}/,
    );
    expect(gitops('log', '-1', '--format=%s', 'main')).toBe(
      'Revert the GitOps files of chargeback-api: its source repository could not be created',
    );
    expect(gitops('diff', '--stat', before, 'main', '--', '.')).toBe('');
    expect(gitops('ls-tree', '-r', '--name-only', 'main')).not.toContain(
      'chargeback-api',
    );
    // The claim's Resource came and went with the commit and its revert.
    await eventually(
      async () =>
        (await entity('resource:default/chargeback-api-db')) ? undefined : true,
      'the reverted claim to leave the catalog',
    );
    expect(await entity('component:default/chargeback-api')).toBeUndefined();
  });
});
