import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import {
  buildClaim,
  manifestFileContents,
} from '@causeway/plugin-gitops-common';
import { loadPlatformApis } from '@causeway/plugin-gitops-node';
import { claimResources } from './claimResources';

const platformApis = path.resolve(__dirname, '../../../../platform/apis');

describe('claimResources', () => {
  it('turns each claim written by gitops:claim:render into a Resource owned by its team that its service depends on', async () => {
    const apis = await loadPlatformApis(
      platformApis,
      mockServices.logger.mock(),
    );
    const files = manifestFileContents(
      buildClaim(
        {
          kind: 'PostgreSQLInstance',
          name: 'refund-api-db',
          namespace: 'payments-team',
          environment: 'production',
          owner: 'payments-team',
          service: 'refund-api',
          parameters: { size: 'small', storageGB: 20 },
        },
        apis,
        { gitops: { repoURL: 'file:///gitops.git', branch: 'main' } },
      ),
    );

    const { entities, problems } = claimResources(
      files,
      apis,
      'file:///gitops.git',
    );

    expect(problems).toEqual([]);
    // The Argo CD Application beside the claim is not a Resource.
    expect(entities).toHaveLength(1);
    expect(entities[0]).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: 'refund-api-db',
        annotations: {
          'causeway.dev/gitops-path':
            'infrastructure/production/payments-team/postgresqlinstance-refund-api-db.yaml',
          'causeway.dev/connection-secret': 'refund-api-db-connection',
          'backstage.io/kubernetes-namespace': 'payments-team',
        },
      },
      spec: {
        type: 'database',
        owner: 'group:default/payments-team',
        dependencyOf: ['component:default/refund-api'],
      },
    });
    expect(entities[0].metadata.description).toContain('size "small"');
  });

  it('reports a broken file and a claim without owner, and still reads the others', async () => {
    const apis = await loadPlatformApis(
      platformApis,
      mockServices.logger.mock(),
    );
    const claim = (name: string, labels: string) =>
      `apiVersion: platform.causeway.dev/v1alpha1\nkind: RedisCache\nmetadata:\n  name: ${name}\n  labels: {${labels}}\nspec:\n  parameters: { memoryMB: 512 }\n`;

    const { entities, problems } = claimResources(
      [
        { path: 'infrastructure/p/a/broken.yaml', content: 'kind: [' },
        {
          path: 'infrastructure/p/a/orphan.yaml',
          content: claim('orphan', ''),
        },
        {
          path: 'infrastructure/p/a/cache.yaml',
          content: claim('cart-cache', 'causeway.dev/owner: orders-team'),
        },
      ],
      apis,
      'file:///gitops.git',
    );

    expect(entities.map(e => e.metadata.name)).toEqual(['cart-cache']);
    expect(problems).toEqual([
      expect.stringMatching(
        /^infrastructure\/p\/a\/broken.yaml:1: not valid YAML: /,
      ),
      'infrastructure/p/a/orphan.yaml: RedisCache orphan has no causeway.dev/owner label',
    ]);
  });
});
