/**
 * Scorecard fact providers for what Causeway's git repositories say about a
 * service: its manifests and claims in the GitOps repository, and its source
 * repository's CI workflow and Dockerfile.
 *
 * @packageDocumentation
 */
export { scorecardModuleGitops as default } from './module';
export { GitOpsFactProvider } from './gitops/GitOpsFactProvider';
export { DatabaseChangeIndex } from './changes/ChangeIndex';
export { DatabaseFactCache } from './cache/FactCache';
export { DatabaseHostedHeadStore } from './changes/HostedHeadStore';
export type { GitOpsCollectStats } from './gitops/GitOpsFactProvider';
export {
  claimFacts,
  folderFacts,
  GITOPS_FACTS,
  summarizeFile,
} from './gitops/gitopsFacts';
export { SourceFactProvider } from './source/SourceFactProvider';
export { SOURCE_FACTS } from './source/sourceFacts';
