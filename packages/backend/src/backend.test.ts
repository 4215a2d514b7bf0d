import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiClient, eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import { startCausewayBackend } from './__testUtils__/startCausewayBackend';

jest.setTimeout(180_000);

describe.each(backendDatabaseIds)('Causeway backend on %s', databaseId => {
  let stop: () => Promise<void>;
  let baseUrl: string;
  let token: string;
  let scratch: string;
  let gitopsPath: string;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-backend-'));
    // A folder a team registered: one good entity, one that breaks the
    // entity schema and one that is not even YAML.
    fs.writeFileSync(
      path.join(scratch, 'good.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata: { name: well-formed-service }',
        'spec: { type: service, lifecycle: production, owner: group:default/payments-team }',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(scratch, 'bad-name.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata: { name: "Not a valid name!" }',
        'spec: { type: service, lifecycle: production, owner: payments-team }',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(scratch, 'not-yaml.yaml'), 'kind: [unclosed\n');

    const started = await startCausewayBackend({
      database: databaseId,
      extraLocations: ['good.yaml', 'bad-name.yaml', 'not-yaml.yaml'].map(
        file => ({ type: 'file', target: path.join(scratch, file) }),
      ),
    });
    stop = started.stop;
    baseUrl = started.backend.baseUrl;
    gitopsPath = started.backend.gitopsPath;

    // Sign-in looks the guest up in the catalog: until the demo org is in,
    // the token carries no group memberships, so sign in again until it does.
    token = await eventually(async () => {
      const signIn = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      const candidate = (await signIn.json()).backstageIdentity.token;
      const info = await apiClient(baseUrl, candidate)(
        'GET',
        '/api/auth/v1/userinfo',
      );
      return info.body.claims.ent.length > 1 ? candidate : undefined;
    }, 'a guest token with group memberships');
  });

  afterAll(async () => {
    await stop?.();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('signs the guest in as the demo user from the catalog', async () => {
    const api = apiClient(baseUrl, token);
    const { body } = await api('GET', '/api/auth/v1/userinfo');
    expect(body.claims.sub).toBe('user:default/guest');
    expect(body.claims.ent).toEqual(
      expect.arrayContaining([
        'group:default/platform-admins',
        'group:default/payments-team',
      ]),
    );
  });

  it('serves the demo catalog with owners, systems, APIs and dependencies', async () => {
    const api = apiClient(baseUrl, token);
    const entity = await eventually(async () => {
      const res = await api(
        'GET',
        '/api/catalog/entities/by-name/component/default/payment-service',
      );
      return res.status === 200 && res.body.relations?.length
        ? res.body
        : undefined;
    }, 'payment-service with its relations');

    const relations = entity.relations.map(
      (r: { type: string; targetRef: string }) => `${r.type} ${r.targetRef}`,
    );
    expect(relations).toEqual(
      expect.arrayContaining([
        'ownedBy group:default/payments-team',
        'partOf system:default/checkout-system',
        'providesApi api:default/payment-api',
        'dependsOn resource:default/payments-db',
        'dependsOn component:default/order-service',
      ]),
    );

    // Every demo service and the portal itself, once the catalog has
    // processed them all.
    const demo = [
      'causeway',
      'checkout-web',
      'fraud-detector',
      'inventory-service',
      'ledger-service',
      'notification-service',
      'order-service',
      'payment-service',
      'refund-worker',
      'shipping-service',
    ];
    const names = await eventually(async () => {
      const res = await api(
        'GET',
        '/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name&limit=100',
      );
      const found: string[] = res.body.items.map((e: any) => e.metadata.name);
      return demo.every(name => found.includes(name)) ? found : undefined;
    }, 'all demo components');
    expect(names).toEqual(expect.arrayContaining(demo));
  });

  it('rejects catalog reads without a token', async () => {
    const res = await apiClient(baseUrl)('GET', '/api/catalog/entities');
    expect(res.status).toBe(401);
  });

  it('loads the good entity of a folder and reports the broken files as catalog errors', async () => {
    const api = apiClient(baseUrl, token);
    await eventually(async () => {
      const res = await api(
        'GET',
        '/api/catalog/entities/by-name/component/default/well-formed-service',
      );
      return res.status === 200 ? true : undefined;
    }, 'the well-formed entity next to broken ones');

    // An entity that breaks the schema, and a file that is not YAML, never
    // reach the catalog; each is listed with the reason among the entities
    // that could not be processed (the catalog's "Unprocessed entities"
    // page), while their neighbours load.
    const errorFor = (target: string) =>
      eventually(async () => {
        const res = await api(
          'GET',
          '/api/catalog/entities/unprocessed/pending',
        );
        const entry = (res.body.entities ?? []).find(
          (e: {
            unprocessed_entity: {
              metadata: { name: string; annotations: Record<string, string> };
            };
          }) =>
            target === e.unprocessed_entity.metadata.name ||
            target ===
              e.unprocessed_entity.metadata.annotations[
                'backstage.io/managed-by-location'
              ],
        );
        return entry?.errors?.[0]?.message as string | undefined;
      }, `the processing error of ${target}`);

    expect(await errorFor('Not a valid name!')).toMatch(
      /"metadata.name" is not valid/,
    );
    expect(
      await errorFor(`file:${path.join(scratch, 'not-yaml.yaml')}`),
    ).toMatch(/YAML error at file:.*not-yaml\.yaml.*line 2, column 1/s);
  });

  it('finds demo services through search', async () => {
    const api = apiClient(baseUrl, token);
    const results = await eventually(async () => {
      const res = await api('GET', '/api/search/query?term=payment');
      const titles = (res.body.results ?? []).map(
        (r: { document: { title: string } }) => r.document.title,
      );
      if (!titles.includes('payment-service')) {
        throw new Error(`found only ${JSON.stringify(titles)}`);
      }
      return titles;
    }, 'payment-service in search results');
    expect(results).toContain('payment-service');
  });

  it('lets a user read a template form through the scaffolder', async () => {
    const api = apiClient(baseUrl, token);
    const schema = await eventually(async () => {
      const res = await api(
        'GET',
        '/api/scaffolder/v2/templates/default/template/service-nodejs/parameter-schema',
      );
      return res.status === 200 ? res.body : undefined;
    }, 'the service-nodejs template parameter schema');
    expect(schema.title).toBeTruthy();
    expect(schema.steps.length).toBeGreaterThan(0);

    const actions = await api('GET', '/api/scaffolder/v2/actions');
    expect(actions.body.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining([
        'fetch:template',
        'catalog:register',
        'publish:github',
      ]),
    );
  });

  it('answers the Kubernetes view with no clusters configured', async () => {
    const res = await apiClient(baseUrl, token)(
      'GET',
      '/api/kubernetes/clusters',
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });

  it('creates the local GitOps repository with an initial commit on first start', async () => {
    const log = execFileSync(
      'git',
      ['--git-dir', gitopsPath, 'log', '--format=%s', 'main'],
      {
        encoding: 'utf8',
      },
    );
    expect(log.trim()).toBe('Initial layout');
    const files = execFileSync(
      'git',
      ['--git-dir', gitopsPath, 'ls-tree', '-r', '--name-only', 'main'],
      { encoding: 'utf8' },
    );
    expect(files.split('\n')).toEqual(
      expect.arrayContaining([
        'README.md',
        'apps/.gitkeep',
        'infrastructure/.gitkeep',
      ]),
    );
    const health = await apiClient(baseUrl)('GET', '/api/gitops/health');
    expect(health.body).toEqual({ status: 'ok' });
  });
});
