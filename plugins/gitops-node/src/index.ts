/**
 * The GitOps repository, for backend plugins and modules.
 *
 * @packageDocumentation
 */
export { GitOpsRepository } from './GitOpsRepository';
export type {
  GitOpsChange,
  GitOpsCredentials,
  GitOpsFile,
  GitOpsPublishResult,
  GitOpsRepositoryOptions,
} from './GitOpsRepository';
export type { GitIdentity } from './git';
export { ensureLocalRepository } from './ensureLocalRepository';
export { localRepositoryPath } from './localRepositoryPath';
export {
  gitopsRepositoryFromConfig,
  gitopsRepositoryServiceRef,
} from './gitopsRepositoryServiceRef';
export { platformPolicyFromConfig } from './platformPolicyFromConfig';
