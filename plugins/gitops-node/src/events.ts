/**
 * Events other plugins react to (catalog providers, the scorecard), sent on
 * the backend's events service. Each subscription id gets an event once, on
 * one replica (usually the one that published it): a handler must find what
 * it needs in the database or the git host, not in its process's memory.
 */

/** Someone pushed to the GitOps repository through Causeway. */
export const GITOPS_CHANGED_TOPIC = 'causeway.gitops.changed';
export type GitOpsChangedEvent = {
  commitSha: string;
  branch: string;
  /** The repository paths the commit wrote. */
  files: string[];
};

/** A source repository was created on the local git host. */
export const SOURCE_REPOSITORY_CREATED_TOPIC =
  'causeway.source-repository.created';
export type SourceRepositoryCreatedEvent = { name: string; url: string };

/**
 * Someone pushed to the default branch of a service's source repository:
 * one on the local git host (`name` set; its hook told the portal) or a
 * hosted one (`url` only; a webhook or the head poll found it).
 */
export const SOURCE_REPOSITORY_PUSHED_TOPIC =
  'causeway.source-repository.pushed';
export type SourceRepositoryPushedEvent = {
  url: string;
  name?: string;
  branch: string;
  commitSha: string;
};
