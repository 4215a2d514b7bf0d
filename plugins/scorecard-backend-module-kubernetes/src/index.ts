/**
 * Scorecard fact provider for the live cluster: what the configured
 * Kubernetes clusters say about a service's Deployments and Pods.
 *
 * @packageDocumentation
 */
export { scorecardModuleKubernetes as default } from './module';
export { CLUSTER_FACTS, ClusterFactProvider } from './ClusterFactProvider';
