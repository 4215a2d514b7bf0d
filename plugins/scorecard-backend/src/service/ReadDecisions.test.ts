import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { scorecardReadPermission } from '@causeway/plugin-scorecard-common';
import { ReadDecisions } from './ReadDecisions';

describe('ReadDecisions', () => {
  let now = 0;
  let answer: AuthorizeResult.ALLOW | AuthorizeResult.DENY =
    AuthorizeResult.ALLOW;
  let failNext = false;
  const asked: string[] = [];
  const who = (credentials: { principal: unknown }) =>
    (credentials.principal as { userEntityRef?: string; subject?: string })
      .userEntityRef ?? (credentials.principal as { subject: string }).subject;
  const permissions = mockServices.permissions.mock({
    async authorize(requests, { credentials }) {
      asked.push(`${who(credentials)} ${requests[0].permission.name}`);
      if (failNext) {
        failNext = false;
        throw new Error('permission backend unavailable');
      }
      return requests.map(() => ({ result: answer }));
    },
    async authorizeConditional(requests, { credentials }) {
      asked.push(`${who(credentials)} ${requests[0].permission.name}`);
      return requests.map(() => ({ result: answer }));
    },
  });
  const decisions = (ttlMs = 10_000) =>
    new ReadDecisions({
      permissions,
      auth: mockServices.auth(),
      ttlMs,
      clock: () => now,
    });
  const bob = mockCredentials.user('user:default/bob');
  const alice = mockCredentials.user('user:default/alice');

  beforeEach(() => {
    now = 0;
    answer = AuthorizeResult.ALLOW;
    asked.length = 0;
  });

  it("keeps a user's decision for the time configured, per user and permission", async () => {
    const kept = decisions();
    await kept.authorize(bob, scorecardReadPermission);
    await kept.authorize(bob, scorecardReadPermission);
    await kept.authorizeConditional(bob, catalogEntityReadPermission);
    await kept.authorize(alice, scorecardReadPermission);
    expect(asked).toEqual([
      'user:default/bob scorecard.read',
      'user:default/bob catalog.entity.read',
      'user:default/alice scorecard.read',
    ]);

    // The policy now denies: kept decisions hold until they are 10 s old.
    answer = AuthorizeResult.DENY;
    now = 9_999;
    expect(await kept.authorize(bob, scorecardReadPermission)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    now = 10_000;
    expect(await kept.authorize(bob, scorecardReadPermission)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(asked).toHaveLength(4);
  });

  it('shares one call among reads that arrive together, and keeps no failure', async () => {
    const kept = decisions();
    failNext = true;
    const together = await Promise.allSettled([
      kept.authorize(bob, scorecardReadPermission),
      kept.authorize(bob, scorecardReadPermission),
    ]);
    expect(together.map(r => r.status)).toEqual(['rejected', 'rejected']);
    expect(asked).toHaveLength(1);

    expect(await kept.authorize(bob, scorecardReadPermission)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(asked).toHaveLength(2);
  });

  it("asks every time for a service's decisions, and for everyone's when the time is 0", async () => {
    const kept = decisions();
    const ci = mockCredentials.service('external:ci');
    await kept.authorize(ci, scorecardReadPermission);
    await kept.authorize(ci, scorecardReadPermission);

    const none = decisions(0);
    await none.authorize(bob, scorecardReadPermission);
    await none.authorize(bob, scorecardReadPermission);
    expect(asked).toEqual([
      'external:ci scorecard.read',
      'external:ci scorecard.read',
      'user:default/bob scorecard.read',
      'user:default/bob scorecard.read',
    ]);
  });
});
