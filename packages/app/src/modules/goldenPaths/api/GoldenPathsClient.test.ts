import { mockApis } from '@backstage/frontend-test-utils';
import { GoldenPathsClient } from './GoldenPathsClient';

const tiers = [
  {
    id: 'batch',
    description: 'Internal or batch work.',
    replicas: { min: 1, max: 3 },
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  },
];

function client(response: { ok: boolean; status?: number; body?: unknown }) {
  const fetch = jest.fn(async (_url: string) => ({
    ok: response.ok,
    status: response.status ?? 200,
    statusText: response.ok ? 'OK' : 'Unauthorized',
    json: async () => response.body,
  }));
  return {
    fetch,
    client: new GoldenPathsClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage:7007' }),
      fetchApi: { fetch: fetch as unknown as typeof window.fetch },
    }),
  };
}

describe('GoldenPathsClient', () => {
  it("reads the tiers from the gitops backend's /tiers", async () => {
    const { client: api, fetch } = client({ ok: true, body: { tiers } });

    await expect(api.getTiers()).resolves.toEqual(tiers);
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage:7007/api/gitops/tiers',
    );
  });

  it('fails with the status of a failed request', async () => {
    const { client: api } = client({ ok: false, status: 401 });

    await expect(api.getTiers()).rejects.toThrow(
      'GET http://backstage:7007/api/gitops/tiers answered 401 Unauthorized',
    );
  });
});
