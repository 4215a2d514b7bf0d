/**
 * A stand-in for a Kubernetes API server in tests and benchmarks, where no
 * cluster can run: plain HTTP that answers the REST reads Causeway and the
 * Kubernetes plugin make, with objects shaped as a real API server returns
 * them.
 *
 * @packageDocumentation
 */
export { startStandInApiServer } from './startStandInApiServer';
export type {
  RecordedRequest,
  StandInApiServer,
  StandInFaults,
  StandInOptions,
} from './startStandInApiServer';
export {
  apiVersionOf,
  BUILT_IN_RESOURCES,
  CROSSPLANE_CLAIMS,
  EXTERNAL_SECRET,
  POD_METRICS,
  resourceName,
  SERVICE_MONITOR,
} from './resourceTypes';
export type { ResourceDefinition } from './resourceTypes';
export {
  configMap,
  deployment,
  horizontalPodAutoscaler,
  pod,
  replicaSet,
  service,
  templateHash,
} from './objects';
export type { WorkloadOptions } from './objects';
export {
  claim,
  externalSecret,
  podMetrics,
  serviceMonitor,
} from './customObjects';
export { parseLabelSelector } from './labelSelector';
export type { KubernetesObject, ObjectMeta, ObjectReference } from './types';
export { applied } from './applied';
export type { AppliedOptions } from './applied';
