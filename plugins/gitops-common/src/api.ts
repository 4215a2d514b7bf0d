/*
 * What the GitOps backend answers the entity page's GitOps and
 * Infrastructure views (GET /api/gitops/entities/:namespace/:kind/:name/...):
 * the contract shared by the backend's router and the frontend's client.
 */

/** Why one cluster gave no answer; the other clusters' answers still count. */
export type ClusterErrorReason =
  | 'unauthorized' // 401: the service account token was refused
  | 'forbidden' // 403: the token may not list or get these objects
  | 'timeout' // no answer in time
  | 'unreachable' // connection refused, DNS, TLS
  | 'error'; // any other failure (5xx, a body that is not JSON)

export type ClusterError = {
  reason: ClusterErrorReason;
  /** One sentence for the user: what failed, never a token. */
  message: string;
};

/**
 * The clusters part of a view. With none configured (the embedded default)
 * `configured` is false and `message` says how to add one.
 */
export type ClustersState = {
  configured: boolean;
  message?: string;
  /** The user may not read cluster objects (kubernetes.resources.read). */
  denied?: boolean;
};

/** A Kubernetes object's identity. */
export type ObjectRef = {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
};

/** A file of the service's GitOps folder, and the objects it holds. */
export type GitOpsFileView = {
  path: string;
  /** Link to the file at the commit shown, when the repository has a web UI. */
  url?: string;
  objects: Array<ObjectRef & { known: boolean }>;
  /** Documents that did not parse, with their line (1-based). */
  problems: Array<{ line: number; message: string }>;
};

/** A commit that touched the service's files. */
export type GitOpsCommitView = {
  sha: string;
  author: string;
  /** ISO 8601. */
  time: string;
  /** The first line of the message. */
  message: string;
  url?: string;
};

/** A field that matters, as git and the cluster have it (JSON values; undefined when absent). */
export type DriftDifference = {
  /** e.g. spec.replicas, containers[app].image, parameters.storageGB */
  field: string;
  git: unknown;
  cluster: unknown;
};

export type DriftStatus =
  | 'in-sync'
  | 'missing-in-cluster' // in git, not in the cluster
  | 'not-in-git' // in the cluster (with the service's label), not in git
  | 'different'; // in both; the fields that matter differ

export type ObjectDrift = ObjectRef & {
  status: DriftStatus;
  /** The git file that declares it. */
  path?: string;
  /** Whether the parsers have a view of this kind; unknown kinds are compared by presence only. */
  known: boolean;
  /** For `different`: each field that differs. Empty otherwise. */
  differences: DriftDifference[];
};

export type DriftSummary = Record<DriftStatus, number>;

/** One cluster's drift report for the service. */
export type ClusterDriftView = {
  cluster: string;
  error?: ClusterError;
  /** Empty when the cluster gave no answer. */
  objects: ObjectDrift[];
  summary: DriftSummary;
};

/** GET /entities/:namespace/:kind/:name/gitops */
export type GitOpsView = {
  entityRef: string;
  /** The causeway.dev/gitops-path folder; absent when the entity has none. */
  path?: string;
  /** The GitOps repository commit read. */
  commit?: { sha: string; url?: string };
  files: GitOpsFileView[];
  /** Newest first; at most 20. */
  commits: GitOpsCommitView[];
  clusters: ClustersState;
  drift: ClusterDriftView[];
};

/** A claim's condition (Ready, Synced) as the cluster reports it. */
export type ClaimConditionView = {
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
};

/** What one cluster says about a claim. */
export type ClaimClusterState = {
  cluster: string;
  error?: ClusterError;
  /** False when the cluster answered and has no such claim. */
  found: boolean;
  ready?: ClaimConditionView;
  synced?: ClaimConditionView;
  /** spec.writeConnectionSecretToRef.name as the cluster has it. */
  connectionSecret?: string;
  /** The latest lastTransitionTime of its conditions. */
  lastTransitionTime?: string;
};

export type ClaimInfrastructureView = ObjectRef & {
  /** The git file that declares it. */
  path: string;
  /** spec.parameters with the API's defaults, as git declares them. */
  parameters: Record<string, unknown>;
  connectionSecret?: string;
  /** 'service': part of this service; 'dependency': a Resource it depends on. */
  via: 'service' | 'dependency';
  /** The catalog Resource of the claim, when there is one. */
  resourceRef?: string;
  clusters: ClaimClusterState[];
};

/** GET /entities/:namespace/:kind/:name/infrastructure */
export type InfrastructureView = {
  entityRef: string;
  claims: ClaimInfrastructureView[];
  clusters: ClustersState;
};

/** The sentence the views show when no cluster is configured. */
export const NO_CLUSTER_MESSAGE =
  'No Kubernetes cluster is configured: add one under kubernetes.clusterLocatorMethods in app-config.yaml (type config, authProvider serviceAccount), as the README\u2019s "Add a cluster" section shows.';
