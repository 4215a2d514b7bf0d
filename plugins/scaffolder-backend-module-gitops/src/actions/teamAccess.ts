import {
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  mayWriteForAnyTeam,
  mayWriteForTeam,
  teamOfPath,
} from '@causeway/plugin-gitops-common';

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
  if (
    !(await mayWriteForTeam(team, await ctx.getInitiatorCredentials(), access))
  ) {
    throw new NotAllowedError(
      `${what}: you may not write ${owner}'s files in the GitOps repository: you are not a member of ${team}, and only platform admins may write for any team`,
    );
  }
}

/**
 * Refuses a commit with a file outside the caller's teams' folders
 * (apps/ENV/TEAM/..., infrastructure/ENV/TEAM/...), or outside every team's
 * folder, unless they are a platform admin: gitops:publish commits whatever
 * a template put in the workspace, so it decides itself whose files those are.
 */
export async function assertMayWritePaths(
  access: TeamAccess,
  ctx: { getInitiatorCredentials(): Promise<BackstageCredentials> },
  paths: string[],
): Promise<void> {
  const credentials = await ctx.getInitiatorCredentials();
  // One check per team (undefined: outside every team's folder), naming
  // the first of its paths.
  const byTeam = new Map<string | undefined, string>();
  for (const p of paths) {
    const team = teamOfPath(p);
    if (!byTeam.has(team)) byTeam.set(team, p);
  }
  for (const [team, example] of byTeam) {
    const allowed = team
      ? await mayWriteForTeam(`group:default/${team}`, credentials, access)
      : await mayWriteForAnyTeam(credentials, access);
    if (!allowed) {
      throw new NotAllowedError(
        team
          ? `Refusing to commit ${example}: it is in ${team}'s folder of the GitOps repository, and you are not a member of group:default/${team} (only platform admins may write for any team)`
          : `Refusing to commit ${example}: it is outside every team's folder of the GitOps repository (apps/ENV/TEAM, infrastructure/ENV/TEAM), which only platform admins may change`,
      );
    }
  }
}
