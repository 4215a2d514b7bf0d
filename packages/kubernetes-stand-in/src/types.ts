/** An object's metadata, as far as the stand-in reads it. */
export type ObjectMeta = {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
};

/** A Kubernetes object as stored and as a GET returns it. */
export type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
};

/** Which object: its type and its name (and namespace, unless cluster-scoped). */
export type ObjectReference = {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
};
