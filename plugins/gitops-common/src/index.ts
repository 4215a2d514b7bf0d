/**
 * The desired state in GitOps of a service or a scheduled job, shared by the
 * scaffolder actions, the scorecard and the Kubernetes view: builders,
 * validation and layout.
 *
 * @packageDocumentation
 */
export {
  CLAIM_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  gitopsLayout,
  OWNER_LABEL,
  parseServiceDir,
  teamOfPath,
} from './layout';
export { assertFolderOwnedBy, serviceFolderOf } from './service/serviceFolder';
export type { ServiceFolder } from './service/serviceFolder';
export { manifestFileContents } from './yaml';
export {
  defaultPlatformPolicy,
  parseCpu,
  parseMemory,
  TIERS,
} from './service/platformPolicy';
export type {
  PlatformPolicy,
  ResourceAmounts,
  Tier,
  TierPreset,
} from './service/platformPolicy';
export {
  IMAGE_BY_DIGEST,
  KUBERNETES_NAME,
  makeServiceSpecSchema,
  parseServiceSpec,
  serviceSpecSchema,
} from './service/serviceSpec';
export type { ServiceSpec, ServiceSpecInput } from './service/serviceSpec';
export {
  buildServiceManifests,
  KUBERNETES_ID_LABEL,
} from './service/buildServiceManifests';
export type {
  BuildServiceOptions,
  KubernetesObject,
  ManifestFile,
} from './service/buildServiceManifests';
export {
  CONCURRENCY_POLICIES,
  jobSpecSchema,
  makeJobSpecSchema,
  parseJobSpec,
} from './job/jobSpec';
export type { JobSpec, JobSpecInput } from './job/jobSpec';
export { buildJobManifests } from './job/buildJobManifests';
export type { BuildJobOptions } from './job/buildJobManifests';
export {
  findManifestProblems,
  validateManifests,
} from './validation/validateManifests';
export type { ManifestProblem } from './validation/validateManifests';
export { parsePlatformApi } from './claims/platformApi';
export type { PlatformApi } from './claims/platformApi';
export { buildClaim } from './claims/buildClaim';
export type { ClaimRequest } from './claims/buildClaim';
export { argoApplication } from './argoApplication';
export type { GitOpsSource } from './argoApplication';
export {
  isManifestPath,
  parseManifestFile,
  parseManifestFiles,
} from './parse/parseManifests';
export type {
  ManifestParseProblem,
  ManifestSourceFile,
  ParsedManifestFile,
  ParsedManifests,
  ParsedObject,
} from './parse/parseManifests';
export {
  apiGroup,
  emptyManifestView,
  OTHER_KNOWN_KINDS,
  viewManifests,
  WORKLOAD_KINDS,
} from './parse/manifestView';
export type {
  ApplicationView,
  ClaimView,
  ContainerView,
  ExternalSecretView,
  HorizontalPodAutoscalerView,
  ManifestView,
  MonitorView,
  NetworkPolicyView,
  PodDisruptionBudgetView,
  ResourceQuantities,
  SecretView,
  ServiceView,
  WorkloadKind,
  WorkloadView,
} from './parse/manifestView';
export { computeDrift } from './drift/computeDrift';
export {
  gitopsAnyTeamWritePermission,
  gitopsServiceUpdatePermission,
  kubernetesEntityObjectsReadPermission,
  mayWriteForAnyTeam,
  mayWriteForTeam,
} from './permissions';
export { NO_CLUSTER_MESSAGE } from './api';
export type {
  ClaimClusterState,
  ClaimConditionView,
  ClaimInfrastructureView,
  ClusterDriftView,
  ClusterError,
  ClusterErrorReason,
  ClustersState,
  DriftDifference,
  DriftStatus,
  DriftSummary,
  GitOpsCommitView,
  GitOpsFileView,
  GitOpsView,
  InfrastructureView,
  ObjectDrift,
  ObjectRef,
} from './api';
