import { createHash } from 'node:crypto';
import { KubernetesObject } from './types';

/** When the factories' objects were created, unless told otherwise. */
export const CREATED = '2026-11-20T09:12:44Z';
/** When their pods started and their conditions last changed. */
export const STARTED = '2026-11-24T08:00:40Z';

const hash = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * A UUID as kube-apiserver assigns, but derived from the object's identity
 * so that owner references between factory objects agree.
 */
export function uidOf(
  kind: string,
  namespace: string | undefined,
  name: string,
) {
  const h = hash(`${kind}/${namespace ?? ''}/${name}`);
  const variant = '89ab'[parseInt(h[16], 16) % 4];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(
    13,
    16,
  )}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The alphabet of generated name suffixes (no vowels, as in Kubernetes). */
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** A pod-template-hash or generateName suffix, stable for the same seed. */
export function nameSuffix(seed: string, length: number): string {
  const h = hash(seed);
  let suffix = '';
  for (let i = 0; i < length; i++) {
    suffix += SAFE[parseInt(h.slice(i * 2, i * 2 + 2), 16) % SAFE.length];
  }
  return suffix;
}

/** managedFields' fieldsV1: the fields a manager set, as `f:<name>` keys. */
function fieldsOf(value: unknown, depth: number): Record<string, unknown> {
  if (
    depth === 0 ||
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value)
  ) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [`f:${k}`, fieldsOf(v, depth - 1)]),
  );
}

export type ObjectOptions = {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generateName?: string;
  ownerReferences?: unknown[];
  finalizers?: string[];
  /** Workloads and custom resources have one; pods, services, config maps do not. */
  generation?: number;
  creationTimestamp?: string;
  /** Who wrote the object: argocd-controller for what GitOps applies. */
  manager: string;
  /** Who writes its status: kube-controller-manager, kubelet, crossplane. */
  statusManager?: string;
  /** Everything but metadata and status: spec, data, ... */
  body: Record<string, unknown>;
  status?: Record<string, unknown>;
};

/**
 * An object with the metadata kube-apiserver adds: uid, resourceVersion
 * (the stand-in's store assigns the real one), creationTimestamp and the
 * managedFields of server-side field tracking, in the API server's order.
 */
export function buildObject(options: ObjectOptions): KubernetesObject {
  const created = options.creationTimestamp ?? CREATED;
  const managedFields: unknown[] = [
    {
      manager: options.manager,
      operation: 'Update',
      apiVersion: options.apiVersion,
      time: created,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': fieldsOf(
          {
            ...(options.labels ? { labels: options.labels } : {}),
            ...(options.annotations
              ? { annotations: options.annotations }
              : {}),
            ...(options.ownerReferences ? { ownerReferences: {} } : {}),
          },
          2,
        ),
        ...fieldsOf(options.body, 3),
      },
    },
  ];
  if (options.status && options.statusManager) {
    managedFields.push({
      manager: options.statusManager,
      operation: 'Update',
      apiVersion: options.apiVersion,
      time: STARTED,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': fieldsOf(options.status, 2) },
      subresource: 'status',
    });
  }
  return {
    apiVersion: options.apiVersion,
    kind: options.kind,
    metadata: {
      name: options.name,
      ...(options.generateName ? { generateName: options.generateName } : {}),
      ...(options.namespace ? { namespace: options.namespace } : {}),
      uid: uidOf(options.kind, options.namespace, options.name),
      resourceVersion: '1',
      ...(options.generation ? { generation: options.generation } : {}),
      creationTimestamp: created,
      ...(options.labels ? { labels: options.labels } : {}),
      ...(options.annotations ? { annotations: options.annotations } : {}),
      ...(options.ownerReferences
        ? { ownerReferences: options.ownerReferences }
        : {}),
      ...(options.finalizers ? { finalizers: options.finalizers } : {}),
      managedFields,
    },
    ...options.body,
    ...(options.status ? { status: options.status } : {}),
  };
}
