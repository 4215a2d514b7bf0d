import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseFactCache } from './FactCache';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('DatabaseFactCache on %p', id => {
  it('keeps entries by kind and key, replaces them, and forgets those not kept', async () => {
    const knex = await databases.init(id);
    const database = { getClient: async () => knex } as DatabaseService;
    const cache = await DatabaseFactCache.create({ database });
    const folder = (n: number) => `apps/production/payments/service-${n}`;

    // More entries than one statement holds.
    await cache.save(
      'gitops-folder',
      Array.from({ length: 250 }, (_, n) => ({
        key: folder(n),
        digest: `d${n}`,
        value: {
          facts: { 'gitops.replicas': n, 'gitops.hpaMaxReplicas': null },
        },
      })),
    );
    await cache.save('source-repository', [
      {
        key: 'payment-service',
        digest: 'abc',
        value: { 'source.readable': true },
      },
    ]);
    await cache.save('gitops-folder', [
      { key: folder(7), digest: 'changed', value: { facts: {} } },
    ]);

    // A second cache on the same database: what a restarted backend reads.
    const again = await DatabaseFactCache.create({ database });
    const folders = await again.load('gitops-folder');
    expect(folders.size).toBe(250);
    expect(folders.get(folder(3))).toEqual({
      digest: 'd3',
      value: { facts: { 'gitops.replicas': 3, 'gitops.hpaMaxReplicas': null } },
    });
    expect(folders.get(folder(7))).toEqual({
      digest: 'changed',
      value: { facts: {} },
    });

    await again.retain('gitops-folder', new Set([folder(1), folder(2)]));
    expect([...(await again.load('gitops-folder')).keys()].sort()).toEqual([
      folder(1),
      folder(2),
    ]);
    expect((await again.load('source-repository')).size).toBe(1);
  });
});
