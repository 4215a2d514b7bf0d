import { apiClient, eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import { startCausewayBackend } from './__testUtils__/startCausewayBackend';
import {
  authModuleTestSignIn,
  signInAs,
} from './__testUtils__/testSignInProvider';

jest.setTimeout(180_000);

/*
 * The permission policy as users meet it: real tokens from the auth backend
 * for demo users (examples/org.yaml), real requests to the real plugins.
 * alice is in platform-admins, bob in payments-team, dave in orders-team.
 */
describe.each(backendDatabaseIds)('permission policy on %s', databaseId => {
  let stop: () => Promise<void>;
  let as: Record<'alice' | 'bob' | 'dave', ReturnType<typeof apiClient>>;

  const uidOf = async (name: string) => {
    const res = await as.alice(
      'GET',
      `/api/catalog/entities/by-name/component/default/${name}`,
    );
    return res.body.metadata.uid as string;
  };

  beforeAll(async () => {
    const started = await startCausewayBackend({
      database: databaseId,
      extraFeatures: [authModuleTestSignIn],
      config: { auth: { providers: { test: {} } } },
    });
    stop = started.stop;
    const { baseUrl } = started.backend;

    // Users are looked up in the catalog at sign-in: wait for the demo org
    // and the components the tests act on.
    await eventually(async () => {
      const token = await signInAs(baseUrl, 'alice');
      const res = await apiClient(baseUrl, token)(
        'GET',
        '/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name',
      );
      // The ten demo components (examples/ and the portal's own entry).
      return res.body.totalItems >= 10 ? true : undefined;
    }, 'the demo catalog');

    as = {
      alice: apiClient(baseUrl, await signInAs(baseUrl, 'alice')),
      bob: apiClient(baseUrl, await signInAs(baseUrl, 'bob')),
      dave: apiClient(baseUrl, await signInAs(baseUrl, 'dave')),
    };
  });

  afterAll(async () => {
    await stop?.();
  });

  it('lets a product team member read every team’s services', async () => {
    const res = await as.bob(
      'GET',
      '/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name,spec.owner&limit=100',
    );
    const owners = new Set(res.body.items.map((e: any) => e.spec.owner));
    expect(owners).toEqual(
      new Set([
        'payments-team',
        'orders-team',
        'group:default/platform-admins',
      ]),
    );
  });

  it('lets a member refresh what their team owns, and not what another team owns', async () => {
    const own = await as.bob('POST', '/api/catalog/refresh', {
      entityRef: 'component:default/payment-service',
    });
    expect(own.status).toBe(200);
    const other = await as.bob('POST', '/api/catalog/refresh', {
      entityRef: 'component:default/order-service',
    });
    expect(other.status).toBe(403);
  });

  it('lets a member unregister their team’s service but not another team’s; admins may unregister any', async () => {
    const orderService = await uidOf('order-service');
    expect(
      (await as.bob('DELETE', `/api/catalog/entities/by-uid/${orderService}`))
        .status,
    ).toBe(403);
    expect(
      (await as.alice('DELETE', `/api/catalog/entities/by-uid/${orderService}`))
        .status,
    ).toBe(204);

    const fraudDetector = await uidOf('fraud-detector');
    expect(
      (await as.dave('DELETE', `/api/catalog/entities/by-uid/${fraudDetector}`))
        .status,
    ).toBe(403);
    expect(
      (await as.bob('DELETE', `/api/catalog/entities/by-uid/${fraudDetector}`))
        .status,
    ).toBe(204);
  });

  it('lets anyone register a location but only platform admins delete one', async () => {
    const created = await as.bob('POST', '/api/catalog/locations', {
      type: 'url',
      target:
        'https://git.example.invalid/payments/ledger-tools/blob/main/catalog-info.yaml',
    });
    expect(created.status).toBe(201);
    const id = created.body.location.id;
    expect(
      (await as.bob('DELETE', `/api/catalog/locations/${id}`)).status,
    ).toBe(403);
    expect(
      (await as.alice('DELETE', `/api/catalog/locations/${id}`)).status,
    ).toBe(204);
  });

  it('lets anyone run a template and see their own task, but not another user’s', async () => {
    const form = await as.bob(
      'GET',
      '/api/scaffolder/v2/templates/default/template/service-nodejs/parameter-schema',
    );
    expect(form.status).toBe(200);

    const task = await as.bob('POST', '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/service-nodejs',
      values: {
        name: 'permission-test',
        owner: 'group:default/payments-team',
        tier: 'standard',
        infrastructure: 'none',
      },
    });
    expect(task.status).toBe(201);
    expect(
      (await as.bob('GET', `/api/scaffolder/v2/tasks/${task.body.id}`)).status,
    ).toBe(200);
    expect(
      (await as.dave('GET', `/api/scaffolder/v2/tasks/${task.body.id}`)).status,
    ).toBe(403);

    // Let the run end, so no task is still at work when the backend stops.
    await eventually(async () => {
      const res = await as.bob(
        'GET',
        `/api/scaffolder/v2/tasks/${task.body.id}`,
      );
      return ['completed', 'failed', 'cancelled'].includes(res.body.status)
        ? true
        : undefined;
    }, 'the template run to end');
  });

  it('keeps the template editor dry-run and the Kubernetes proxy to platform admins', async () => {
    const dryRun = {
      template: {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name: 'dry-run-check' },
        spec: {
          type: 'service',
          steps: [{ id: 'log', action: 'debug:log', input: { message: 'hi' } }],
        },
      },
      values: {},
      secrets: {},
      directoryContents: [],
    };
    expect(
      (await as.bob('POST', '/api/scaffolder/v2/dry-run', dryRun)).status,
    ).toBe(403);
    expect(
      (await as.alice('POST', '/api/scaffolder/v2/dry-run', dryRun)).status,
    ).toBe(200);

    const proxy = (user: 'alice' | 'bob') =>
      as[user]('GET', '/api/kubernetes/proxy/api/v1/namespaces');
    expect((await proxy('bob')).status).toBe(403);
    expect((await proxy('alice')).status).not.toBe(403);
  });
});
