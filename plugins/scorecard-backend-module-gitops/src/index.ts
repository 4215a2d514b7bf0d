/**
 * Scorecard fact providers for what Causeway's git repositories say about a
 * service: its manifests and claims in the GitOps repository, and its source
 * repository's CI workflow and Dockerfile.
 *
 * @packageDocumentation
 */
export { scorecardModuleGitops as default } from './module';
export { GitOpsFactProvider } from './gitops/GitOpsFactProvider';
export type { GitOpsCollectStats } from './gitops/GitOpsFactProvider';
export { GITOPS_FACTS } from './gitops/gitopsFacts';
export { SourceFactProvider } from './source/SourceFactProvider';
export { SOURCE_FACTS } from './source/sourceFacts';
