/**
 * The git repositories Causeway writes, for backend plugins and modules: the
 * GitOps repository and the local git host of new services' source.
 *
 * @packageDocumentation
 */
export { GitOpsRepository } from './GitOpsRepository';
export { GitOpsReader } from './GitOpsReader';
export { GitOpsWriter } from './GitOpsWriter';
export {
  messageTrailers,
  REVERTS_TRAILER,
  STEP_TRAILER,
  TASK_TRAILER,
} from './taskCommits';
export type { TaskCommit } from './taskCommits';
export { commitMessage } from './gitObjects';
export {
  localRepositoryOrigin,
  localRepositoryTask,
  removeLocalRepository,
} from './localRepositoryTask';
export {
  pauseForTest,
  resumedRun,
  TEST_PAUSE_SECRET,
  withTestPauses,
} from './resumedRun';
export { GitObjectReader } from './GitObjectReader';
export type { GitObject } from './GitObjectReader';
export type {
  GitOpsChange,
  GitOpsCommit,
  GitOpsCredentials,
  GitOpsFile,
  GitOpsPublishListener,
  GitOpsPublishResult,
  GitOpsRepositoryOptions,
  GitOpsRevert,
  GitOpsSnapshot,
  GitOpsTree,
  GitOpsUnfollowed,
  GitTreeEntry,
} from './GitOpsRepository';
export { repositoryPathProblem } from './paths';
export type { GitIdentity } from './git';
export { ensureLocalRepository } from './ensureLocalRepository';
export { localRepositoryPath } from './localRepositoryPath';
export { GitOpsConfigError, gitopsRepositoryUrl } from './gitopsRepositoryUrl';
export { usesLocalGitHost } from './sourceHostType';
export {
  gitopsRepositoryFromConfig,
  gitopsRepositoryRootServiceRef,
  gitopsRepositoryServiceRef,
} from './gitopsRepositoryServiceRef';
export { LocalGitHost } from './LocalGitHost';
export type { LocalRepositoryCreated } from './LocalGitHost';
export {
  localGitHostFromConfig,
  localGitHostServiceRef,
} from './localGitHostServiceRef';
export {
  GITOPS_CHANGED_TOPIC,
  SOURCE_REPOSITORY_CREATED_TOPIC,
  SOURCE_REPOSITORY_PUSHED_TOPIC,
} from './events';
export type {
  GitOpsChangedEvent,
  SourceRepositoryCreatedEvent,
  SourceRepositoryPushedEvent,
} from './events';
export {
  HOOK_SECRET_HEADER,
  hookSecret,
  installLocalHooks,
  isHookSecret,
  isNullSha,
  parseRefUpdates,
  useLocalHooks,
} from './localGitHooks';
export type { RefUpdate } from './localGitHooks';
export { platformPolicyFromConfig } from './platformPolicyFromConfig';
export { loadPlatformApis } from './loadPlatformApis';
export { commitAuthor } from './commitAuthor';
export type { TaskUser } from './commitAuthor';
export { readClusterConfigs } from './cluster/readClusterConfigs';
export type { ClusterConfig } from './cluster/readClusterConfigs';
export { KubernetesClusters } from './cluster/KubernetesClusters';
export type {
  ClusterAnswer,
  KubernetesClustersOptions,
  ObjectToGet,
  ResourceType,
} from './cluster/KubernetesClusters';
export { listCommitFiles, readBranchHead } from './gitTreeChanges';
export type { GitTreeChange } from './gitTreeChanges';
