/**
 * GitOps and Infrastructure tabs on a service's page: its files and commits
 * in the GitOps repository, its Crossplane claims' state, and where the
 * clusters and git disagree.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export { gitopsApiRef, GitOpsClient } from './api/GitOpsClient';
export type { GitOpsApi } from './api/GitOpsClient';
