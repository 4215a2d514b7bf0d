/**
 * Events other plugins react to (catalog providers, the scorecard), sent on
 * the backend's events service so they also reach other replicas when the
 * events backend relays them.
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
