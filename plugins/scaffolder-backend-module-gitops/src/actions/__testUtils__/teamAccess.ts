import { mockServices } from '@backstage/backend-test-utils';
import { TeamAccess } from '../teamAccess';

/**
 * What the actions ask about the mock user of createMockActionContext: a
 * member of these teams, and a platform admin (who holds
 * gitops.anyTeam.write) or not.
 */
export function teamAccess(options: {
  teams: string[];
  admin?: boolean;
}): TeamAccess {
  return {
    userInfo: mockServices.userInfo({
      ownershipEntityRefs: [
        'user:default/mock',
        ...options.teams.map(team => `group:default/${team}`),
      ],
    }),
    // AuthorizeResult's values: this package needs no permission-common.
    permissions: mockServices.permissions({
      result: (options.admin ? 'ALLOW' : 'DENY') as any,
    }),
  };
}
