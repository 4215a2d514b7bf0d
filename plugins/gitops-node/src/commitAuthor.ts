import { GitIdentity } from './git';

/** The part of a scaffolder task's user that names a commit's author. */
export type TaskUser = {
  ref?: string;
  entity?: { spec?: { profile?: { displayName?: string; email?: string } } };
};

/** The git identity of the user who ran a template, from their catalog profile. */
export function commitAuthor(user: TaskUser | undefined): GitIdentity {
  const profile = user?.entity?.spec?.profile;
  const ref = user?.ref ?? 'user:default/unknown';
  return {
    name: profile?.displayName ?? ref,
    email:
      profile?.email ??
      `${ref.replace(/[^a-z0-9.-]+/gi, '.')}@causeway.invalid`,
  };
}
