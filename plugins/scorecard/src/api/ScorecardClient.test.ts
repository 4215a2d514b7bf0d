import { mockApis } from '@backstage/frontend-test-utils';
import { ScorecardClient } from './ScorecardClient';

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
    });
  });
  return {
    fetch,
    api: new ScorecardClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage:7007' }),
      fetchApi: { fetch: fetch as unknown as typeof window.fetch },
    }),
  };
}

const BASE = 'http://backstage:7007/api/scorecard';
const requested = (fetch: jest.Mock) =>
  fetch.mock.calls.map(([url, init]) => `${init?.method ?? 'GET'} ${url}`);

describe('ScorecardClient', () => {
  it('reads an entity’s scorecard by kind, namespace and name', async () => {
    const scorecard = { entityRef: 'component:default/payments-api' };
    const { api, fetch } = client({ status: 200, body: scorecard });

    await expect(
      api.getEntityScorecard('Component:default/payments-api'),
    ).resolves.toEqual(scorecard);
    expect(requested(fetch)).toEqual([
      `GET ${BASE}/entities/component/default/payments-api`,
    ]);
  });

  it('answers undefined for an entity never evaluated (404)', async () => {
    const { api } = client({
      status: 404,
      body: { error: { name: 'NotFoundError', message: 'not evaluated' } },
    });

    await expect(
      api.getEntityScorecard('component:default/new-service'),
    ).resolves.toBeUndefined();
  });

  it('builds each route the backend serves', async () => {
    const { api, fetch } = client();
    const entity = 'component:team-a/payments-api';

    await api.evaluateEntity(entity);
    await api.getEntityHistory(entity, { days: 90 });
    await api.getGroupRollup('group:default/payments');
    await api.getHistory({ groupRef: 'group:default/payments', days: 30 });
    await api.getHistory({ days: 90 });
    await api.getChecks();
    await api.getWaivers(entity);
    await api.revokeWaiver(entity, 'w/1');
    await api.getOverview({
      owner: 'group:default/payments',
      level: 'none',
      failingCheck: 'two-replicas',
      system: undefined,
      sort: 'failed',
      order: 'desc',
      limit: 25,
      offset: 50,
    });
    await api.getOverview({
      owner: ['user:default/jane', 'group:default/payments'],
      below: 'silver',
    });

    expect(requested(fetch)).toEqual([
      `POST ${BASE}/entities/component/team-a/payments-api/evaluate`,
      `GET ${BASE}/entities/component/team-a/payments-api/history?days=90`,
      `GET ${BASE}/groups/default/payments/rollup`,
      `GET ${BASE}/groups/default/payments/history?days=30`,
      `GET ${BASE}/history?days=90`,
      `GET ${BASE}/checks`,
      `GET ${BASE}/entities/component/team-a/payments-api/waivers`,
      `DELETE ${BASE}/entities/component/team-a/payments-api/waivers/w%2F1`,
      `GET ${BASE}/overview?owner=group%3Adefault%2Fpayments&level=none&failingCheck=two-replicas&sort=failed&order=desc&limit=25&offset=50`,
      `GET ${BASE}/overview?owner=user%3Adefault%2Fjane%2Cgroup%3Adefault%2Fpayments&below=silver`,
    ]);
  });

  it('reads lists whether bare or under items', async () => {
    const point = { day: '2026-03-01', level: 'gold', passed: 9, failed: 0 };
    const { api } = client(
      { status: 200, body: [point] },
      {
        status: 200,
        body: { entityRef: 'component:default/a', items: [point] },
      },
    );

    await expect(api.getEntityHistory('component:default/a')).resolves.toEqual([
      point,
    ]);
    await expect(api.getEntityHistory('component:default/a')).resolves.toEqual([
      point,
    ]);
  });

  it('posts a waiver as JSON', async () => {
    const { api, fetch } = client({ status: 201, body: { id: 'w1' } });
    const waiver = {
      checkId: 'two-replicas',
      reason: 'Scaling up in Q2.',
      expiresOn: '2099-06-30',
    };

    await expect(
      api.createWaiver('component:default/payments-api', waiver),
    ).resolves.toEqual({ id: 'w1' });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${BASE}/entities/component/default/payments-api/waivers`);
    expect(init).toMatchObject({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(JSON.parse(init!.body as string)).toEqual(waiver);
  });

  it('fails with the server’s own message', async () => {
    const { api } = client({
      status: 400,
      body: {
        error: {
          name: 'InputError',
          message: 'expiresOn must be a day after today',
        },
      },
    });

    await expect(
      api.createWaiver('component:default/payments-api', {
        checkId: 'two-replicas',
        reason: 'r',
        expiresOn: '2020-01-01',
      }),
    ).rejects.toThrow(/^expiresOn must be a day after today$/);
  });

  it('fails with the status when the body says nothing', async () => {
    const { api } = client({
      status: 502,
      statusText: 'Bad Gateway',
      body: '<html>proxy error</html>',
    });

    await expect(api.getChecks()).rejects.toThrow(
      `GET ${BASE}/checks answered 502 Bad Gateway`,
    );
  });
});
