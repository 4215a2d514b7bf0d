import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/frontend-test-utils';
import { GitOpsClient } from './GitOpsClient';

type Reply = { status: number; body?: unknown; statusText?: string };

function client(...replies: Reply[]) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) => {
    const {
      status,
      body,
      statusText = '',
    } = replies.shift() ?? {
      status: 200,
      body: {},
    };
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(body === undefined ? null : text, {
      status,
      statusText,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  return {
    fetch,
    api: new GitOpsClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage:7007' }),
      fetchApi: { fetch: fetch as unknown as typeof window.fetch },
    }),
  };
}

const BASE = 'http://backstage:7007/api/gitops';
const PAYMENTS = {
  kind: 'Component',
  namespace: 'default',
  name: 'payments-api',
};

describe('GitOpsClient', () => {
  it('reads the GitOps view by namespace, kind and name', async () => {
    const view = { entityRef: 'component:default/payments-api', files: [] };
    const { api, fetch } = client({ status: 200, body: view });

    await expect(api.getGitOpsView(PAYMENTS)).resolves.toEqual(view);
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${BASE}/entities/default/Component/payments-api/gitops`,
    ]);
  });

  it('reads the infrastructure view, encoding each path segment', async () => {
    const view = { entityRef: 'resource:team-a/orders-db', claims: [] };
    const { api, fetch } = client({ status: 200, body: view });

    await expect(
      api.getInfrastructureView({
        kind: 'Resource',
        namespace: 'team a',
        name: 'orders/db',
      }),
    ).resolves.toEqual(view);
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${BASE}/entities/team%20a/Resource/orders%2Fdb/infrastructure`,
    ]);
  });

  it('fails with the status and the server’s own error', async () => {
    const { api } = client({
      status: 404,
      statusText: 'Not Found',
      body: {
        error: {
          name: 'NotFoundError',
          message: 'No entity component:default/ghost',
        },
        response: { statusCode: 404 },
      },
    });

    const error = await api.getGitOpsView({ ...PAYMENTS, name: 'ghost' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({
      statusCode: 404,
      message: 'Request failed with 404 Not Found',
      cause: {
        name: 'NotFoundError',
        message: 'No entity component:default/ghost',
      },
    });
  });
});
