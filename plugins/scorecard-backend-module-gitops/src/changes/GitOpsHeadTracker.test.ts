import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  DefaultEventsService,
  EventParams,
} from '@backstage/plugin-events-node';
import { GITOPS_CHANGED_TOPIC } from '@causeway/plugin-gitops-node';
import {
  createGitOpsRepository,
  goldenPathManifests,
  logger,
  tempDir,
} from '../__testUtils__/repositories';
import { GitOpsHeadTracker } from './GitOpsHeadTracker';
import { DatabaseHostedHeadStore } from './HostedHeadStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('GitOpsHeadTracker on %p', id => {
  it('announces the files a push no one reported changed, once, from the head recorded in the database', async () => {
    const scratch = tempDir('head-tracker-');
    try {
      const knex = await databases.init(id);
      const database = { getClient: async () => knex } as DatabaseService;
      const gitops = await createGitOpsRepository(scratch.dir);
      const events = DefaultEventsService.create({ logger }).forPlugin(
        'scorecard',
      );
      const heard: EventParams[] = [];
      await events.subscribe({
        id: 'test',
        topics: [GITOPS_CHANGED_TOPIC],
        onEvent: async event => {
          heard.push(event);
        },
      });
      // Two replicas' trackers on one database.
      const tracker = async () =>
        new GitOpsHeadTracker({
          repository: gitops.repository,
          branch: 'main',
          heads: await DatabaseHostedHeadStore.create({ database }),
          events,
          logger,
        });
      const a = await tracker();
      const b = await tracker();

      // The first poll only records where the branch is.
      await a.poll();
      expect(heard).toEqual([]);

      // The portal's own commit, already announced: the poll stays quiet.
      const own = await gitops.publish(goldenPathManifests().slice(0, 1));
      await a.seen('main', own.commitSha);
      await b.poll();
      expect(heard).toEqual([]);

      // A commit nobody reported (update-ref runs no hook).
      const other = await gitops.publish(
        goldenPathManifests({ name: 'ledger', namespace: 'finance' }).slice(
          0,
          2,
        ),
      );
      await b.poll();
      await a.poll();
      expect(heard).toHaveLength(1);
      expect(heard[0].eventPayload).toEqual({
        commitSha: other.commitSha,
        branch: 'main',
        files: [...other.files].sort(),
      });

      // A push from a commit this cache never had: every file, graded again.
      await a.moved('b'.repeat(40), other.commitSha);
      const all = (heard[1].eventPayload as { files: string[] }).files;
      expect(all).toEqual(
        expect.arrayContaining([...other.files, 'README.md']),
      );
    } finally {
      scratch.remove();
    }
  });
});
