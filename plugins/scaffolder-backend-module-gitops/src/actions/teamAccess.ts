import {
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { mayWriteForTeam } from '@causeway/plugin-gitops-common';

/** What the actions ask to decide who may write a team's GitOps files. */
export type TeamAccess = {
  userInfo: UserInfoService;
  permissions: PermissionsService;
};

/**
 * Refuses to write a team's GitOps files for a caller who is not one of its
 * members (platform admins excepted), and anywhere but the team's own
 * namespace: every action that writes into the GitOps repository checks it
 * itself, whatever template calls it.
 */
export async function assertMayWriteForTeam(
  access: TeamAccess,
  ctx: { getInitiatorCredentials(): Promise<BackstageCredentials> },
  target: { owner: string; namespace: string; what: string },
): Promise<void> {
  const { owner, namespace, what } = target;
  if (namespace !== owner) {
    throw new InputError(
      `${what}: namespace ${JSON.stringify(
        namespace,
      )} is not ${owner}'s: a team's workloads and claims go in the namespace named after it`,
    );
  }
  const team = `group:default/${owner}`;
  if (!(await mayWriteForTeam(team, await ctx.getInitiatorCredentials(), access))) {
    throw new NotAllowedError(
      `${what}: you may not write ${owner}'s files in the GitOps repository: you are not a member of ${team}, and only platform admins may write for any team`,
    );
  }
}
