import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  DatabaseHostedHeadStore,
  hostedRepositoryKey,
} from './HostedHeadStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const sha = (c: string) => c.repeat(40);

describe.each(databases.eachSupportedId())(
  'DatabaseHostedHeadStore on %p',
  id => {
    it('keeps the latest head of each repository, and when it was first seen', async () => {
      const knex = await databases.init(id);
      const database = { getClient: async () => knex } as DatabaseService;
      const store = await DatabaseHostedHeadStore.create({ database });

      await store.record('https://github.com/acme/payment-service', sha('a'));
      const first = (
        await store.heads(['https://github.com/acme/payment-service'])
      ).get('https://github.com/acme/payment-service')!;
      expect(first.sha).toBe(sha('a'));

      // The same head again (a poll after the webhook) keeps its time.
      await new Promise(resolve => setTimeout(resolve, 5));
      await store.record(
        'https://github.com/acme/payment-service.git',
        sha('a'),
      );
      // Another replica's store on the same database reads it.
      const again = await DatabaseHostedHeadStore.create({ database });
      const url = 'url:https://github.com/Acme/payment-service/tree/main/';
      expect((await again.heads([url])).get(url)).toEqual(first);

      await new Promise(resolve => setTimeout(resolve, 5));
      await again.record('https://github.com/acme/payment-service', sha('b'));
      const moved = (await store.heads([url])).get(url)!;
      expect(moved.sha).toBe(sha('b'));
      expect(moved.seenAt.getTime()).toBeGreaterThan(first.seenAt.getTime());

      expect(
        (await store.heads(['https://github.com/acme/unknown'])).size,
      ).toBe(0);
      await expect(
        store.record('https://github.com/acme/x', 'main; rm -rf /'),
      ).rejects.toThrow(TypeError);
    });
  },
);

describe('hostedRepositoryKey', () => {
  it('names a repository the same from its page, clone and source-location URLs', () => {
    const key = 'https://github.com/acme/payment-service';
    expect(hostedRepositoryKey('https://github.com/acme/payment-service')).toBe(
      key,
    );
    expect(
      hostedRepositoryKey('https://GitHub.com/Acme/payment-service.git'),
    ).toBe(key);
    expect(
      hostedRepositoryKey(
        'url:https://github.com/acme/payment-service/tree/main/',
      ),
    ).toBe(key);
    expect(hostedRepositoryKey('not a url')).toBe('not a url');
  });
});
