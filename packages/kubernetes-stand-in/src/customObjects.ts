import { buildObject, nameSuffix, STARTED } from './objectMeta';
import { templateHash } from './objects';
import { KubernetesObject } from './types';

/*
 * Factories of custom resources as their CRD's API server path returns
 * them: with generation 1 (every custom resource has one), the schema's
 * defaults filled in and a status as their controller writes it.
 */

type Condition = {
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
};

/**
 * A Crossplane claim of one of the platform's APIs (platform/apis), bound
 * to its composite resource. Ready and Synced are True by default; false
 * makes Ready Creating and Synced ReconcileError, or pass a whole condition.
 */
export function claim(options: {
  /** PostgreSQLInstance, RedisCache, ObjectBucket, KafkaTopic. */
  kind: string;
  /** platform.causeway.dev/v1alpha1 by default. */
  apiVersion?: string;
  name: string;
  namespace: string;
  /** spec.parameters, with the defaults of the API filled in as the API server does. */
  parameters: Record<string, unknown>;
  labels?: Record<string, string>;
  /** spec.writeConnectionSecretToRef.name; NAME-connection by default. */
  connectionSecret?: string;
  ready?: boolean | Condition;
  synced?: boolean | Condition;
  /** xPLURAL-aws by default, as the platform's Compositions are named. */
  compositionName?: string;
  creationTimestamp?: string;
}): KubernetesObject {
  const apiVersion = options.apiVersion ?? 'platform.causeway.dev/v1alpha1';
  const composition =
    options.compositionName ?? `x${options.kind.toLowerCase()}s-aws`;
  const condition = (
    type: string,
    given: boolean | Condition | undefined,
    yes: Condition,
    no: Condition,
  ) => {
    let c: Condition = yes;
    if (given === false) c = no;
    else if (typeof given === 'object') c = given;
    return {
      type,
      status: c.status,
      reason: c.reason ?? (c.status === 'True' ? yes.reason : no.reason),
      ...(c.message ? { message: c.message } : {}),
      lastTransitionTime: c.lastTransitionTime ?? STARTED,
      observedGeneration: 1,
    };
  };
  const ready = condition(
    'Ready',
    options.ready,
    { status: 'True', reason: 'Available' },
    { status: 'False', reason: 'Creating' },
  );
  const synced = condition(
    'Synced',
    options.synced,
    { status: 'True', reason: 'ReconcileSuccess' },
    {
      status: 'False',
      reason: 'ReconcileError',
      message:
        'cannot compose resources: cannot apply composed resource "instance": the provider could not create it',
    },
  );
  return buildObject({
    apiVersion,
    kind: options.kind,
    name: options.name,
    namespace: options.namespace,
    labels: options.labels ?? { 'app.kubernetes.io/managed-by': 'causeway' },
    finalizers: ['finalizer.apiextensions.crossplane.io'],
    generation: 1,
    creationTimestamp: options.creationTimestamp,
    manager: 'argocd-controller',
    statusManager: 'crossplane',
    body: {
      spec: {
        compositeDeletePolicy: 'Background',
        compositionRef: { name: composition },
        compositionRevisionRef: {
          name: `${composition}-${nameSuffix(composition, 7)}`,
        },
        compositionUpdatePolicy: 'Automatic',
        parameters: options.parameters,
        resourceRef: {
          apiVersion,
          kind: `X${options.kind}`,
          name: `${options.name}-${nameSuffix(
            `${options.namespace}/${options.name}`,
            5,
          )}`,
        },
        writeConnectionSecretToRef: {
          name: options.connectionSecret ?? `${options.name}-connection`,
        },
      },
    },
    status: {
      conditions: [synced, ready],
      ...(ready.status === 'True'
        ? { connectionDetails: { lastPublishedTime: STARTED } }
        : {}),
    },
  });
}

/** A monitoring.coreos.com/v1 ServiceMonitor of the service's http port. */
export function serviceMonitor(options: {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  path?: string;
  interval?: string;
  creationTimestamp?: string;
}): KubernetesObject {
  return buildObject({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    name: options.name,
    namespace: options.namespace,
    labels: options.labels ?? {
      'app.kubernetes.io/name': options.name,
      'backstage.io/kubernetes-id': options.name,
    },
    generation: 1,
    creationTimestamp: options.creationTimestamp,
    manager: 'argocd-controller',
    body: {
      spec: {
        endpoints: [
          {
            interval: options.interval ?? '30s',
            path: options.path ?? '/metrics',
            port: 'http',
          },
        ],
        selector: { matchLabels: { 'app.kubernetes.io/name': options.name } },
      },
    },
  });
}

/**
 * An external-secrets.io/v1beta1 ExternalSecret from the platform's
 * ClusterSecretStore, with the operator's defaults and a synced status.
 */
export function externalSecret(options: {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  /** The Secret it writes; the name by default. */
  target?: string;
  data: Array<{ secretKey: string; key: string; property?: string }>;
  store?: string;
  ready?: boolean;
  creationTimestamp?: string;
}): KubernetesObject {
  const ready = options.ready ?? true;
  return buildObject({
    apiVersion: 'external-secrets.io/v1beta1',
    kind: 'ExternalSecret',
    name: options.name,
    namespace: options.namespace,
    labels: options.labels,
    generation: 1,
    creationTimestamp: options.creationTimestamp,
    manager: 'argocd-controller',
    statusManager: 'external-secrets',
    body: {
      spec: {
        data: options.data.map(d => ({
          remoteRef: {
            conversionStrategy: 'Default',
            decodingStrategy: 'None',
            key: d.key,
            metadataPolicy: 'None',
            ...(d.property ? { property: d.property } : {}),
          },
          secretKey: d.secretKey,
        })),
        refreshInterval: '1h',
        secretStoreRef: {
          kind: 'ClusterSecretStore',
          name: options.store ?? 'platform-secrets',
        },
        target: {
          creationPolicy: 'Owner',
          deletionPolicy: 'Retain',
          name: options.target ?? options.name,
        },
      },
    },
    status: {
      ...(ready ? { binding: { name: options.target ?? options.name } } : {}),
      conditions: [
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          reason: ready ? 'SecretSynced' : 'SecretSyncedError',
          message: ready
            ? 'secret synced'
            : 'could not get secret data from provider',
          lastTransitionTime: STARTED,
        },
      ],
      refreshTime: STARTED,
      ...(ready ? { syncedResourceVersion: '1-3f7c2b9d0e' } : {}),
    },
  });
}

/** metrics-server's PodMetrics of pod(options): its one container's usage. */
export function podMetrics(options: {
  name: string;
  namespace: string;
  suffix?: string;
  labels?: Record<string, string>;
  /** CPU in cores' Kubernetes quantity, e.g. 12m; memory e.g. 64Mi. */
  cpu?: string;
  memory?: string;
}): KubernetesObject {
  const { name, namespace } = options;
  const suffix = options.suffix ?? nameSuffix(`${namespace}/${name}/pod`, 5);
  const podName = `${name}-${templateHash(options)}-${suffix}`;
  // metrics-server computes these on each request: no uid, no managedFields
  // (and a creationTimestamp of now, which a stand-in keeps fixed).
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: {
      name: podName,
      namespace,
      creationTimestamp: STARTED,
      labels: {
        ...(options.labels ?? {
          'app.kubernetes.io/name': name,
          'backstage.io/kubernetes-id': name,
        }),
        'pod-template-hash': templateHash(options),
      },
    },
    timestamp: STARTED,
    window: '15.034s',
    containers: [
      {
        name,
        usage: { cpu: options.cpu ?? '12m', memory: options.memory ?? '64Mi' },
      },
    ],
  };
}
