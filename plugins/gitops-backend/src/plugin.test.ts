import { join, resolve } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { gitopsPlugin } from './plugin';

// A remote URL: the plugin creates no local repository for it.
const repository = { url: 'https://git.example.com/acme/gitops.git' };
// The repository's own platform APIs.
const platformApis = resolve(__dirname, '../../../platform/apis');

async function startGitopsBackend(gitops: Record<string, unknown> = {}) {
  const { server } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({
        data: { gitops: { repository, platformApis, ...gitops } },
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

describe('GET /api/gitops/platform-apis', () => {
  it("serves each platform API with its parameters' schema from the XRD", async () => {
    const get = await startGitopsBackend();

    const res = await get('/platform-apis', {
      Authorization: mockCredentials.user.header(),
    });

    expect(res.status).toBe(200);
    const { items } = await res.json();
    expect(items.map((api: { kind: string }) => api.kind)).toEqual([
      'KafkaTopic',
      'ObjectBucket',
      'PostgreSQLInstance',
      'RedisCache',
    ]);
    expect(items[2]).toEqual({
      kind: 'PostgreSQLInstance',
      apiVersion: 'platform.causeway.dev/v1alpha1',
      resourceType: 'database',
      title: 'PostgreSQLInstance',
      description: 'What the service needs from its database.',
      parameters: expect.objectContaining({
        type: 'object',
        required: ['size', 'storageGB'],
        additionalProperties: false,
      }),
    });
    expect(items[2].parameters.properties.storageGB).toEqual({
      type: 'integer',
      description: 'Disk size in GB.',
      minimum: 10,
      maximum: 1000,
      default: 20,
    });
    expect(items[2].parameters.properties.size.enum).toEqual([
      'small',
      'standard',
      'large',
    ]);
  });

  it('serves no APIs, rather than failing, when the folder has none', async () => {
    const get = await startGitopsBackend({
      platformApis: join(platformApis, 'no-such-folder'),
    });

    const res = await get('/platform-apis', {
      Authorization: mockCredentials.user.header(),
    });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [] });
  });

  it('requires a signed-in user', async () => {
    const get = await startGitopsBackend();

    const res = await get('/platform-apis');

    expect(res.status).toBe(401);
  });
});
