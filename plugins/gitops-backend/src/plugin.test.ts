import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { gitopsPlugin } from './plugin';

// A remote URL: the plugin creates no local repository for it.
const repository = { url: 'https://git.example.com/acme/gitops.git' };

async function startGitopsBackend(gitops: Record<string, unknown> = {}) {
  const { server } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({
        data: { gitops: { repository, ...gitops } },
      }),
      // Requests without a token stay anonymous, as in production.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return (path: string, headers: Record<string, string> = {}) =>
    fetch(`http://localhost:${port}/api/gitops${path}`, { headers });
}

describe('GET /api/gitops/tiers', () => {
  it('serves every tier of the platform policy, with the configured descriptions', async () => {
    const get = await startGitopsBackend({
      tiers: {
        critical: {
          description: 'Paged at night; talk to the SRE team first.',
          replicas: { min: 4, max: 12 },
        },
      },
    });

    const res = await get('/tiers', {
      Authorization: mockCredentials.user.header(),
    });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      tiers: [
        {
          id: 'critical',
          description: 'Paged at night; talk to the SRE team first.',
          replicas: { min: 4, max: 12 },
          requests: { cpu: '500m', memory: '512Mi' },
          limits: { cpu: '1', memory: '1Gi' },
        },
        {
          id: 'standard',
          description: 'Most services: 2 to 5 replicas, 1 always up.',
          replicas: { min: 2, max: 5 },
          requests: { cpu: '250m', memory: '256Mi' },
          limits: { cpu: '500m', memory: '512Mi' },
        },
        {
          id: 'batch',
          description:
            'Internal or batch work: 1 to 3 replicas, may pause during rollouts.',
          replicas: { min: 1, max: 3 },
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { cpu: '500m', memory: '256Mi' },
        },
      ],
    });
  });

  it('requires a signed-in user', async () => {
    const get = await startGitopsBackend();

    const res = await get('/tiers');

    expect(res.status).toBe(401);
  });

  it('leaves the health check open', async () => {
    const get = await startGitopsBackend();

    const res = await get('/health');

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
