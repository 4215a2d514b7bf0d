import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { apiClient, eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import { git } from './__testUtils__/gradedService';
import { startCausewayBackend } from './__testUtils__/startCausewayBackend';
import {
  authModuleTestSignIn,
  signInAs,
} from './__testUtils__/testSignInProvider';

jest.setTimeout(180_000);

/** A git host's web server as the catalog reads it: path -> file. */
async function startFileServer(files: Map<string, string>) {
  const server = http.createServer((req, res) => {
    const content = files.get(req.url ?? '');
    res.writeHead(content === undefined ? 404 : 200).end(content);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

const component = (
  name: string,
  owner: string,
  annotations: Record<string, string>,
) =>
  yaml.stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
  });

const claim = (name: string, parameters: string) =>
  `apiVersion: platform.causeway.dev/v1alpha1\nkind: RedisCache\nmetadata:\n  name: ${name}\n  namespace: orders-team\n  labels: {causeway.dev/owner: orders-team}\nspec:\n  parameters:\n${parameters}\n`;

/** A billion laughs: 9^9 copies of `x` once its aliases are expanded. */
const ALIAS_BOMB = `    a: &a [x, x, x, x, x, x, x, x, x]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
    i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]`;

/*
 * What the catalog takes from what users register (every signed-in user may
 * register a location) and from the GitOps repository: real tokens, a real
 * catalog reading catalog files from a web server, claims pushed with git.
 * alice is in platform-admins, bob in payments-team, dave in orders-team.
 */
describe.each(backendDatabaseIds)('catalog trust on %s', databaseId => {
  const files = new Map<string, string>();
  let server: Awaited<ReturnType<typeof startFileServer>>;
  let started: Awaited<ReturnType<typeof startCausewayBackend>>;
  let as: Record<'alice' | 'bob' | 'dave', ReturnType<typeof apiClient>>;
  const catalogFile = (repository: string) =>
    `/${repository}/blob/main/catalog-info.yaml`;
  const entity = async (ref: string) => {
    const [kind, rest] = ref.split(':');
    const res = await as.alice(
      'GET',
      `/api/catalog/entities/by-name/${kind}/${rest}`,
    );
    return res.status === 200 ? res.body : undefined;
  };
  /**
   * A component's processing errors, as the unprocessed entities page lists
   * them (pending: it never made it into the catalog).
   */
  const failure = async (name: string) => {
    const res = await as.alice(
      'GET',
      '/api/catalog/entities/unprocessed/pending',
    );
    const found = res.body.entities?.find(
      (e: any) =>
        e.unprocessed_entity?.kind === 'Component' &&
        e.unprocessed_entity?.metadata?.name === name,
    );
    return found?.errors?.length ? JSON.stringify(found.errors) : undefined;
  };

  beforeAll(async () => {
    server = await startFileServer(files);
    started = await startCausewayBackend({
      database: databaseId,
      extraFeatures: [authModuleTestSignIn],
      config: {
        auth: { providers: { test: {} } },
        backend: { reading: { allow: [{ host: server.host }] } },
      },
    });
    const { baseUrl } = started.backend;
    const token = (name: string) =>
      eventually(() => signInAs(baseUrl, name), `${name} in the catalog`);
    as = {
      alice: apiClient(baseUrl, await token('alice')),
      bob: apiClient(baseUrl, await token('bob')),
      dave: apiClient(baseUrl, await token('dave')),
    };
  });

  afterAll(async () => {
    await started?.stop();
    await server?.close();
  });

  it("refuses a user-registered service that names another team's GitOps folder or a selector matching every workload, and says why", async () => {
    const url = (repository: string) =>
      `http://${server.host}${catalogFile(repository)}`;
    files.set(
      catalogFile('orders-team/checkout-api'),
      component('checkout-api', 'orders-team', {
        'causeway.dev/gitops-path':
          'apps/production/payments-team/payment-service',
      }),
    );
    files.set(
      catalogFile('orders-team/all-pods'),
      component('all-pods', 'orders-team', {
        // An existence selector: every workload that has the label.
        'backstage.io/kubernetes-label-selector': 'app.kubernetes.io/name',
      }),
    );
    // What a golden path registers from the repository it created.
    files.set(
      catalogFile('payments-team/refund-api'),
      component('refund-api', 'payments-team', {
        'backstage.io/kubernetes-id': 'refund-api',
        'backstage.io/kubernetes-namespace': 'payments-team',
        'backstage.io/source-location': `url:http://${server.host}/payments-team/refund-api`,
        'causeway.dev/gitops-path': 'apps/production/payments-team/refund-api',
      }),
    );

    // The import page's analysis names the annotation, why, and what is allowed.
    const analysed = await as.dave(
      'POST',
      '/api/catalog/locations?dryRun=true',
      {
        type: 'url',
        target: url('orders-team/checkout-api'),
      },
    );
    expect(analysed.status).toBe(400);
    expect(analysed.body.error.message).toContain(
      `component:default/checkout-api was registered from url:${url(
        'orders-team/checkout-api',
      )}, not by the platform, so Causeway refuses these annotations on it: causeway.dev/gitops-path:`,
    );
    expect(analysed.body.error.message).toContain(
      'causeway.dev/gitops-path annotation "apps/production/payments-team/payment-service" is not its folder: checkout-api, owned by orders-team, lives in apps/production/orders-team/checkout-api',
    );

    for (const [user, repository] of [
      ['dave', 'orders-team/checkout-api'],
      ['dave', 'orders-team/all-pods'],
      ['bob', 'payments-team/refund-api'],
    ] as const) {
      const registered = await as[user]('POST', '/api/catalog/locations', {
        type: 'url',
        target: url(repository),
      });
      expect(registered.status).toBe(201);
    }

    expect(
      await eventually(
        () => failure('checkout-api'),
        'checkout-api to fail processing',
      ),
    ).toContain('causeway.dev/gitops-path');
    expect(
      await eventually(
        () => failure('all-pods'),
        'all-pods to fail processing',
      ),
    ).toContain(
      "backstage.io/kubernetes-label-selector: a selector can match other teams' workloads",
    );
    expect(await entity('component:default/checkout-api')).toBeUndefined();
    expect(await entity('component:default/all-pods')).toBeUndefined();

    // The golden path's shape enters the catalog as written.
    const refund = await eventually(
      () => entity('component:default/refund-api'),
      'refund-api in the catalog',
    );
    expect(refund.metadata.annotations).toMatchObject({
      'causeway.dev/gitops-path': 'apps/production/payments-team/refund-api',
      'backstage.io/kubernetes-namespace': 'payments-team',
    });
  });

  it('keeps the other claims updating when one claim file in infrastructure/ is an alias bomb', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-claims-'));
    try {
      const work = path.join(scratch, 'gitops');
      await git(scratch, 'clone', '--quiet', started.backend.gitopsPath, work);
      const folder = path.join(work, 'infrastructure/production/orders-team');
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(
        path.join(folder, 'rediscache-bomb.yaml'),
        claim('bomb', ALIAS_BOMB),
      );
      fs.writeFileSync(
        path.join(folder, 'rediscache-cart-cache.yaml'),
        claim('cart-cache', '    memoryMB: 512'),
      );
      await git(work, 'add', '--all');
      await git(work, 'commit', '--quiet', '-m', 'Two Redis caches');
      await git(work, 'push', '--quiet', 'origin', 'HEAD:main');

      const cache = await eventually(
        () => entity('resource:default/cart-cache'),
        'the cart cache claim as a Resource',
      );
      expect(cache.spec.owner).toBe('group:default/orders-team');
      expect(await entity('resource:default/bomb')).toBeUndefined();
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
