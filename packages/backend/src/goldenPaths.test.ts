import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { apiClient, eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import { git as gitAsync } from './__testUtils__/gradedService';
import { signInAs } from './__testUtils__/testSignInProvider';
import {
  dryRun,
  GoldenPathName,
  goldenPathValues,
  loadTemplate,
  runTemplate,
  startGoldenPathBackend,
} from './__testUtils__/templates';
import { repoRoot } from './__testUtils__/startCausewayBackend';

jest.setTimeout(240_000);

/** What a golden path produces, as the tests below check it. */
type GoldenPath = {
  template: GoldenPathName;
  /** The catalog entity's spec.type. */
  type: 'service' | 'job';
  /** Skeleton files every run must write into the source repository. */
  sourceFiles: string[];
  /** The workload manifest in the GitOps folder, and what it must hold. */
  workload: { file: string; kind: string; spec?: object };
  /** The claimed infrastructure the values ask for (none or one). */
  claims: Array<{
    /** Its file in the owner's infrastructure folder. */
    file: string;
    /** The Resource it becomes in the catalog. */
    name: string;
    type: string;
    parameters: object;
  }>;
};

const goldenPaths: GoldenPath[] = [
  {
    template: 'service-nodejs',
    type: 'service',
    sourceFiles: ['package.json', 'src/server.ts', 'test/server.test.ts'],
    workload: { file: 'deployment.yaml', kind: 'Deployment' },
    claims: [
      {
        file: 'postgresqlinstance-refund-api-db.yaml',
        name: 'refund-api-db',
        type: 'database',
        parameters: { size: 'standard', storageGB: 20 },
      },
    ],
  },
  {
    template: 'service-python',
    type: 'service',
    sourceFiles: ['pyproject.toml', 'app/server.py', 'tests/test_server.py'],
    workload: { file: 'deployment.yaml', kind: 'Deployment' },
    claims: [
      {
        file: 'rediscache-payout-api-cache.yaml',
        name: 'payout-api-cache',
        type: 'cache',
        parameters: { memoryMB: 1024 },
      },
    ],
  },
  {
    template: 'service-go',
    type: 'service',
    sourceFiles: ['go.mod', 'server.go', 'server_test.go'],
    workload: { file: 'deployment.yaml', kind: 'Deployment' },
    claims: [],
  },
  {
    template: 'cron-job',
    type: 'job',
    sourceFiles: ['package.json', 'src/job.ts', 'test/job.test.ts'],
    workload: {
      file: 'cronjob.yaml',
      kind: 'CronJob',
      spec: { schedule: '30 2 * * 1-5', timeZone: 'Europe/London' },
    },
    claims: [],
  },
];

/**
 * What the form's "Docs and on-call" step asks for; jobs have no SLO (the
 * slo-defined check is for services).
 */
const operations = (type: GoldenPath['type']) => ({
  docsUrl: 'https://docs.example.com/payments',
  runbookUrl: 'https://runbooks.example.com/payments',
  onCall: 'payments-primary',
  ...(type === 'service'
    ? { slo: '99.9% of requests under 300 ms over 30 days' }
    : {}),
});

/** The gold checks those lift, each with the fact it reads. */
const operationsChecks = (type: GoldenPath['type']) => [
  ['docs-link', 'catalog.hasDocsLink'],
  ['runbook-link', 'catalog.hasRunbookLink'],
  ['on-call', 'catalog.hasOnCall'],
  ...(type === 'service' ? [['slo-defined', 'catalog.hasSlo']] : []),
];

/** The workload's first container: the one CI sets the image of. */
const firstContainer = (workload: any) =>
  (workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec : workload.spec)
    .template.spec.containers[0];

/*
 * The golden paths on the embedded default: a real backend with the
 * templates from templates/, the local git host and GitOps repository in a
 * private data folder, and the real catalog picking the results up.
 */
describe.each(backendDatabaseIds)('golden paths on %s', databaseId => {
  let stop: () => Promise<void>;
  let baseUrl: string;
  let gitopsPath: string;
  let reposPath: string;
  let asAlice: ReturnType<typeof apiClient>;
  let entity: (ref: string) => Promise<any>;
  const gitops = (...args: string[]) =>
    execFileSync('git', ['--git-dir', gitopsPath, ...args], {
      encoding: 'utf8',
    }).trim();

  beforeAll(async () => {
    const started = await startGoldenPathBackend(databaseId);
    ({ stop, asAlice, entity } = started);
    ({ baseUrl, gitopsPath, reposPath } = started.backend);
  });

  afterAll(async () => {
    await stop?.();
  });

  describe.each(goldenPaths)('$template', goldenPath => {
    const { template, type, sourceFiles, workload, claims } = goldenPath;
    const values = { ...goldenPathValues[template], ...operations(type) };
    const { name } = values;
    const dir = `apps/production/payments-team/${name}`;
    const claimFiles = claims.map(
      claim => `infrastructure/production/payments-team/${claim.file}`,
    );
    const dependsOn = claims.map(claim => `resource:default/${claim.name}`);

    it(`in a dry run renders the source and the manifests${
      claims.length ? ' and the claim' : ''
    }, and creates nothing`, async () => {
      const head = gitops('rev-parse', 'main');
      const run = await dryRun(asAlice, template, values);

      expect(run.error).toBeUndefined();
      expect(Object.keys(run.files)).toEqual(
        expect.arrayContaining(
          [
            'Dockerfile',
            'README.md',
            'catalog-info.yaml',
            '.github/workflows/ci.yaml',
            ...sourceFiles,
          ].map(file => `source/${file}`),
        ),
      );
      // Every template expression was rendered.
      expect(
        Object.keys(run.files).filter(file =>
          /\$\{\{\s*values\./.test(run.files[file]),
        ),
      ).toEqual([]);
      const catalogInfo = yaml.parse(run.files['source/catalog-info.yaml']);
      expect(catalogInfo).toMatchObject({
        kind: 'Component',
        metadata: {
          name,
          description: values.description,
          annotations: {
            'backstage.io/kubernetes-id': name,
            'backstage.io/kubernetes-namespace': 'payments-team',
            'causeway.dev/gitops-path': dir,
          },
        },
        spec: {
          type,
          owner: 'group:default/payments-team',
          system: 'system:default/checkout-system',
        },
      });
      expect(catalogInfo.spec.dependsOn ?? []).toEqual(dependsOn);
      // Docs and on-call, written the way the gold checks read them.
      expect(catalogInfo.metadata.links).toEqual([
        { url: values.docsUrl, title: 'Documentation', type: 'docs' },
        { url: values.runbookUrl, title: 'Runbook', type: 'runbook' },
      ]);
      expect(catalogInfo.metadata.annotations).toMatchObject({
        'causeway.dev/on-call': values.onCall,
        ...(type === 'service'
          ? { 'causeway.dev/slo': operations(type).slo }
          : {}),
      });

      // CI: the scorecard release gate runs before every deploy.
      const ci = yaml.parse(run.files['source/.github/workflows/ci.yaml']);
      expect(ci.jobs.deploy.needs).toEqual(['build-and-push', 'release-gate']);
      const gate = ci.jobs['release-gate'].steps.find(
        (s: { name?: string }) => s.name === 'Scorecard release gate',
      );
      // The entity ref comes from the workflow's own variable for the name.
      const variable = /"component:default\/\$(\w+)"/.exec(gate.run)![1];
      expect(ci.env[variable]).toBe(name);
      expect(gate.run).toContain('--min-level "$MIN_LEVEL"');

      const manifest = yaml.parse(run.files[`gitops/${dir}/${workload.file}`]);
      expect(manifest).toMatchObject({
        kind: workload.kind,
        spec: workload.spec ?? {},
      });
      const container = firstContainer(manifest);
      expect(container.image).toBe(
        `registry.causeway.internal/${name}:bootstrap`,
      );
      expect(container.envFrom ?? []).toEqual(
        claims.map(claim => ({
          secretRef: { name: `${claim.name}-connection` },
        })),
      );
      expect(Object.keys(run.files)).toEqual(
        expect.arrayContaining(claimFiles.map(file => `gitops/${file}`)),
      );
      expect(
        claimFiles.map(
          file => yaml.parse(run.files[`gitops/${file}`]).spec.parameters,
        ),
      ).toMatchObject(claims.map(claim => claim.parameters));
      // Nothing is claimed unless the values ask for it.
      expect(
        Object.keys(run.files).some(file =>
          file.startsWith('gitops/infrastructure/'),
        ),
      ).toBe(claims.length > 0);
      // A team's first workload, a service or a job, writes its namespace;
      // later ones leave it as it is.
      const namespaceDir = 'apps/production/payments-team/_namespace';
      expect(`gitops/${namespaceDir}/namespace.yaml` in run.files).toBe(
        gitops('ls-tree', '--name-only', 'main', `${namespaceDir}/`) === '',
      );
      expect(run.log).toContain(`${name} is free in the catalog`);
      expect(run.log).toContain('Dry run: would create file://');
      expect(gitops('rev-parse', 'main')).toBe(head);
      expect(fs.existsSync(path.join(reposPath, `${name}.git`))).toBe(false);
    });

    it('in a dry run without the optional values leaves them out', async () => {
      const {
        system,
        description,
        timeZone,
        docsUrl,
        runbookUrl,
        onCall,
        slo,
        ...required
      } = values as Record<string, string>;
      const run = await dryRun(asAlice, template, required);

      expect(run.error).toBeUndefined();
      const catalogInfo = yaml.parse(run.files['source/catalog-info.yaml']);
      expect(catalogInfo.metadata.description).toMatch(
        new RegExp(`^The ${name} (service|scheduled job)$`),
      );
      expect(catalogInfo.spec.system).toBeUndefined();
      // No README on the local git host's web side to default the docs to.
      expect(catalogInfo.metadata.links).toBeUndefined();
      expect(
        Object.keys(catalogInfo.metadata.annotations).filter(key =>
          ['causeway.dev/on-call', 'causeway.dev/slo'].includes(key),
        ),
      ).toEqual([]);
      const manifest = yaml.parse(run.files[`gitops/${dir}/${workload.file}`]);
      // Part of no system: of itself.
      expect(manifest.metadata.labels['app.kubernetes.io/part-of']).toBe(name);
      expect(manifest.spec.timeZone).toBeUndefined();
    });

    it('creates the source repository, the GitOps commit and the catalog entity with its relations', async () => {
      const run = await runTemplate(
        asAlice,
        `template:default/${template}`,
        values,
      );
      expect(run.log).not.toContain('failed');
      expect(run.status).toBe('completed');

      // The source repository, as one commit by Alice.
      const repo = path.join(reposPath, `${name}.git`);
      const git = (...args: string[]) =>
        execFileSync('git', ['--git-dir', repo, ...args], {
          encoding: 'utf8',
        }).trim();
      expect(git('log', '--format=%an|%s', 'main')).toBe(
        `Alice Anderson|Create ${name} from the ${template} golden path`,
      );
      expect(git('ls-tree', '-r', '--name-only', 'main').split('\n')).toEqual(
        expect.arrayContaining([
          'catalog-info.yaml',
          'Dockerfile',
          ...sourceFiles,
        ]),
      );

      // The GitOps commit: the workload, its Application and any claim, by Alice.
      expect(gitops('log', '-1', '--format=%an|%s', 'main')).toBe(
        `Alice Anderson|Add ${name} (${template}) for payments-team`,
      );
      const committed = gitops(
        'show',
        '--name-only',
        '--format=',
        'main',
      ).split('\n');
      expect(committed).toEqual(
        expect.arrayContaining([
          `${dir}/${workload.file}`,
          `${dir}/argocd-application.yaml`,
          ...claimFiles,
        ]),
      );
      expect(committed.some(file => file.startsWith('infrastructure/'))).toBe(
        claims.length > 0,
      );

      // The catalog: in it when the run ends (causeway:catalog:wait), with
      // its owner, system and any claimed infrastructure.
      expect(run.output.links).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            title: 'Open in catalog',
            entityRef: `component:default/${name}`,
          }),
        ]),
      );
      const expected = [
        'ownedBy group:default/payments-team',
        'partOf system:default/checkout-system',
        ...dependsOn.map(ref => `dependsOn ${ref}`),
      ];
      const component = await eventually(async () => {
        const found = await entity(`component:default/${name}`);
        const relations: string[] = (found?.relations ?? []).map(
          (r: { type: string; targetRef: string }) =>
            `${r.type} ${r.targetRef}`,
        );
        return expected.every(relation => relations.includes(relation))
          ? found
          : undefined;
      }, `${name} with its relations`);
      expect(component.spec.type).toBe(type);
      const resources = await Promise.all(
        dependsOn.map(ref =>
          eventually(() => entity(ref), `the claimed ${ref} in the catalog`),
        ),
      );
      expect(resources.map(resource => resource.spec)).toMatchObject(
        claims.map(claim => ({
          type: claim.type,
          owner: 'group:default/payments-team',
        })),
      );

      // Given docs, runbook, on-call (and an SLO), it passes those gold
      // checks from its first evaluation.
      const evaluated = await asAlice(
        'POST',
        `/api/scorecard/entities/component/default/${name}/evaluate`,
      );
      expect(evaluated.status).toBe(200);
      const results = evaluated.body.results.filter((r: any) =>
        operationsChecks(type).some(([id]) => id === r.checkId),
      );
      expect(results.map((r: any) => [r.checkId, r.status, r.values])).toEqual(
        operationsChecks(type).map(([id, fact]) => [
          id,
          'pass',
          { [fact]: true },
        ]),
      );
    });
  });

  const values = goldenPathValues['service-nodejs'];

  it('refuses documentation and runbook links that are not http(s) before the run starts, and the preflight refuses them too', async () => {
    const head = gitops('rev-parse', 'main');
    const res = await asAlice('POST', '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/service-nodejs',
      values: {
        ...values,
        name: 'phish-api',
        docsUrl: 'data:text/html,<script>alert(document.cookie)</script>',
        runbookUrl: 'file:///etc/passwd',
      },
    });
    expect(res.status).toBe(400);
    expect(
      res.body.errors.map((e: { property: string }) => e.property).sort(),
    ).toEqual(['instance.docsUrl', 'instance.runbookUrl']);

    // A template registered without the form's pattern is stopped by the
    // preflight, before anything is created.
    const { template, directoryContents } = loadTemplate('service-nodejs');
    const operationsPage = template.spec.parameters.find(
      (page: { properties: object }) => 'docsUrl' in page.properties,
    );
    delete operationsPage.properties.docsUrl.pattern;
    const dry = await asAlice('POST', '/api/scaffolder/v2/dry-run', {
      template,
      directoryContents,
      values: {
        ...values,
        name: 'phish-api',
        docsUrl: 'data:text/html,<script>alert(1)</script>',
      },
      secrets: {},
    });
    expect(JSON.stringify(dry.body)).toContain(
      'docsUrl: must be a link starting with http:// or https://',
    );
    expect(gitops('rev-parse', 'main')).toBe(head);
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
    // The task log says what was wrong; the stack, with the server's paths,
    // stays in the server log.
    expect(run.log).not.toContain('    at ');
    expect(run.log).not.toContain(repoRoot);
    expect(gitops('rev-parse', 'main')).toBe(head);
    expect(fs.existsSync(path.join(reposPath, 'payment-service.git'))).toBe(
      false,
    );
  });

  it('refuses a description longer than one line before the run starts', async () => {
    const head = gitops('rev-parse', 'main');
    const res = await asAlice('POST', '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/service-nodejs',
      values: {
        ...values,
        name: 'essay-api',
        description: 'x'.repeat(10_000),
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        property: 'instance.description',
        message: 'does not meet maximum length of 200',
      }),
    ]);
    expect(gitops('rev-parse', 'main')).toBe(head);
  });

  it('refuses a service owned by a team the user is not in, before creating anything', async () => {
    const head = gitops('rev-parse', 'main');
    // Dave is in orders-team only.
    const asDave = apiClient(baseUrl, await signInAs(baseUrl, 'dave'));

    const run = await runTemplate(asDave, 'template:default/service-go', {
      ...goldenPathValues['service-go'],
      name: 'skim-api',
    });

    expect(run.status).toBe('failed');
    expect(run.failedStep).toBe('preflight');
    expect(run.log).toContain(
      'owner: you may create workloads only for your own teams, and you are not a member of group:default/payments-team; a platform admin may create it for that team',
    );
    expect(gitops('rev-parse', 'main')).toBe(head);
    expect(fs.existsSync(path.join(reposPath, 'skim-api.git'))).toBe(false);
    expect(await entity('component:default/skim-api')).toBeUndefined();
  });

  it("lets a member create a service for their team, and leaves the team's namespace folder as it was reviewed", async () => {
    // The quota payments-team's namespace was given in review, in git.
    const quotaFile =
      'apps/production/payments-team/_namespace/resourcequota.yaml';
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-clone-'));
    await gitAsync(clone, 'clone', '--quiet', gitopsPath, '.');
    const quota = yaml.parse(
      fs.readFileSync(path.join(clone, quotaFile), 'utf8'),
    );
    quota.spec.hard['requests.cpu'] = '24';
    fs.writeFileSync(path.join(clone, quotaFile), yaml.stringify(quota));
    await gitAsync(
      clone,
      'commit',
      '--quiet',
      '-am',
      'payments-team needs more CPU',
    );
    await gitAsync(clone, 'push', '--quiet', 'origin', 'HEAD:main');
    fs.rmSync(clone, { recursive: true, force: true });
    const reviewed = gitops('show', `main:${quotaFile}`);
    // Bob is in payments-team.
    const asBob = apiClient(baseUrl, await signInAs(baseUrl, 'bob'));

    const run = await runTemplate(asBob, 'template:default/service-go', {
      ...goldenPathValues['service-go'],
      name: 'dispute-api',
    });

    expect(run.log).not.toContain('failed');
    expect(run.status).toBe('completed');
    expect(gitops('log', '-1', '--format=%an|%s', 'main')).toBe(
      'Bob Brown|Add dispute-api (service-go) for payments-team',
    );
    expect(
      gitops('show', '--name-only', '--format=', 'main')
        .split('\n')
        .filter(file => file.includes('/_namespace/')),
    ).toEqual([]);
    expect(gitops('show', `main:${quotaFile}`)).toBe(reviewed);
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
