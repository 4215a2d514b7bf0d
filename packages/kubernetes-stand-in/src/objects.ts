import { buildObject, CREATED, nameSuffix, STARTED, uidOf } from './objectMeta';
import { KubernetesObject } from './types';

/*
 * Factories of built-in objects shaped as kube-apiserver returns them to a
 * GET: with apiVersion and kind, the metadata the server adds, the defaults
 * it fills into the spec, and a status as the controllers and the kubelet
 * write it. The stand-in leaves apiVersion and kind out of list items, as
 * the real server does.
 */

/** What the workload factories share. */
export type WorkloadOptions = {
  /** The service's name: the Deployment's, and the prefix of its pods'. */
  name: string;
  namespace: string;
  /**
   * Replace the default labels, app.kubernetes.io/name and
   * backstage.io/kubernetes-id set to the name.
   */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** registry.example.com/NAMESPACE/NAME:1.4.2 by default. */
  image?: string;
  creationTimestamp?: string;
};

const defaultLabels = (name: string) => ({
  'app.kubernetes.io/name': name,
  'backstage.io/kubernetes-id': name,
});

const imageOf = (o: WorkloadOptions) =>
  o.image ?? `registry.example.com/${o.namespace}/${o.name}:1.4.2`;

/** The pod-template-hash of a Deployment's current ReplicaSet. */
export const templateHash = (o: { name: string; namespace: string }) =>
  nameSuffix(`${o.namespace}/${o.name}`, 10);

/** A container with the defaults the API server fills in. */
function container(o: WorkloadOptions, port: number) {
  return {
    name: o.name,
    image: imageOf(o),
    ports: [{ containerPort: port, name: 'http', protocol: 'TCP' }],
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: imageOf(o).endsWith(':latest') ? 'Always' : 'IfNotPresent',
  };
}

/** A pod spec with the defaults the API server fills in. */
function podSpec(o: WorkloadOptions, port: number) {
  return {
    containers: [container(o, port)],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
  };
}

/** An apps/v1 Deployment managed by Argo CD, its status as the controller wrote it. */
export function deployment(
  options: WorkloadOptions & {
    /** spec.replicas; 1 by default. */
    replicas?: number;
    /** status.availableReplicas; all of them by default. */
    availableReplicas?: number;
    containerPort?: number;
  },
): KubernetesObject {
  const { name, namespace } = options;
  const replicas = options.replicas ?? 1;
  const available = options.availableReplicas ?? replicas;
  const unavailable = replicas - available;
  const labels = options.labels ?? defaultLabels(name);
  const hash = templateHash(options);
  return buildObject({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name,
    namespace,
    labels,
    annotations: {
      'deployment.kubernetes.io/revision': '3',
      ...options.annotations,
    },
    generation: 3,
    creationTimestamp: options.creationTimestamp,
    manager: 'argocd-controller',
    statusManager: 'kube-controller-manager',
    body: {
      spec: {
        replicas,
        selector: { matchLabels: { 'app.kubernetes.io/name': name } },
        template: {
          metadata: { labels },
          spec: podSpec(options, options.containerPort ?? 8080),
        },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
        },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
    },
    status: {
      observedGeneration: 3,
      replicas,
      updatedReplicas: replicas,
      // Kubernetes omits zero counts.
      ...(available > 0
        ? { readyReplicas: available, availableReplicas: available }
        : {}),
      ...(unavailable > 0 ? { unavailableReplicas: unavailable } : {}),
      conditions: [
        {
          type: 'Available',
          status: unavailable > 0 ? 'False' : 'True',
          lastUpdateTime: STARTED,
          lastTransitionTime: STARTED,
          reason:
            unavailable > 0
              ? 'MinimumReplicasUnavailable'
              : 'MinimumReplicasAvailable',
          message:
            unavailable > 0
              ? 'Deployment does not have minimum availability.'
              : 'Deployment has minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: STARTED,
          lastTransitionTime: options.creationTimestamp ?? CREATED,
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${name}-${hash}" has successfully progressed.`,
        },
      ],
    },
  });
}

/** The current apps/v1 ReplicaSet of deployment(options), owned by it. */
export function replicaSet(
  options: WorkloadOptions & {
    replicas?: number;
    availableReplicas?: number;
    containerPort?: number;
  },
): KubernetesObject {
  const { name, namespace } = options;
  const hash = templateHash(options);
  const replicas = options.replicas ?? 1;
  const available = options.availableReplicas ?? replicas;
  const labels = {
    ...(options.labels ?? defaultLabels(name)),
    'pod-template-hash': hash,
  };
  return buildObject({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: `${name}-${hash}`,
    namespace,
    labels,
    annotations: {
      'deployment.kubernetes.io/desired-replicas': String(replicas),
      'deployment.kubernetes.io/max-replicas': String(
        replicas + Math.ceil(replicas * 0.25),
      ),
      'deployment.kubernetes.io/revision': '3',
    },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name,
        uid: uidOf('Deployment', namespace, name),
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
    generation: 1,
    creationTimestamp: options.creationTimestamp ?? STARTED,
    manager: 'kube-controller-manager',
    statusManager: 'kube-controller-manager',
    body: {
      spec: {
        replicas,
        selector: {
          matchLabels: {
            'app.kubernetes.io/name': name,
            'pod-template-hash': hash,
          },
        },
        template: {
          metadata: { labels },
          spec: podSpec(options, options.containerPort ?? 8080),
        },
      },
    },
    status: {
      replicas,
      fullyLabeledReplicas: replicas,
      ...(available > 0
        ? { readyReplicas: available, availableReplicas: available }
        : {}),
      observedGeneration: 1,
    },
  });
}

/** A Pod of the Deployment's current ReplicaSet, running on worker-1. */
export function pod(
  options: WorkloadOptions & {
    /** The generated part of the name; derived from the name by default. */
    suffix?: string;
    /** Ready and started, or in CrashLoopBackOff; ready by default. */
    ready?: boolean;
    restartCount?: number;
    /** Running by default; a completed Job's pod is Succeeded. */
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
    containerPort?: number;
  },
): KubernetesObject {
  const { name, namespace } = options;
  const hash = templateHash(options);
  const suffix = options.suffix ?? nameSuffix(`${namespace}/${name}/pod`, 5);
  const ready = options.ready ?? true;
  const image = imageOf(options);
  const podName = `${name}-${hash}-${suffix}`;
  const condition = (type: string, value: boolean) => ({
    type,
    status: value ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: STARTED,
  });
  const token = `kube-api-access-${nameSuffix(podName, 5)}`;
  const spec = podSpec(options, options.containerPort ?? 8080);
  const ip = `10.244.1.${parseInt(
    uidOf('Pod', namespace, podName).slice(0, 2),
    16,
  )}`;
  return buildObject({
    apiVersion: 'v1',
    kind: 'Pod',
    name: podName,
    generateName: `${name}-${hash}-`,
    namespace,
    labels: {
      ...(options.labels ?? defaultLabels(name)),
      'pod-template-hash': hash,
    },
    annotations: options.annotations,
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: `${name}-${hash}`,
        uid: uidOf('ReplicaSet', namespace, `${name}-${hash}`),
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
    creationTimestamp: options.creationTimestamp ?? STARTED,
    manager: 'kube-controller-manager',
    statusManager: 'kubelet',
    body: {
      spec: {
        volumes: [
          {
            name: token,
            projected: {
              sources: [
                {
                  serviceAccountToken: {
                    expirationSeconds: 3607,
                    path: 'token',
                  },
                },
                {
                  configMap: {
                    name: 'kube-root-ca.crt',
                    items: [{ key: 'ca.crt', path: 'ca.crt' }],
                  },
                },
                {
                  downwardAPI: {
                    items: [
                      {
                        path: 'namespace',
                        fieldRef: {
                          apiVersion: 'v1',
                          fieldPath: 'metadata.namespace',
                        },
                      },
                    ],
                  },
                },
              ],
              defaultMode: 420,
            },
          },
        ],
        containers: spec.containers.map(c => ({
          ...c,
          volumeMounts: [
            {
              name: token,
              readOnly: true,
              mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
            },
          ],
        })),
        restartPolicy: spec.restartPolicy,
        terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
        dnsPolicy: spec.dnsPolicy,
        serviceAccountName: 'default',
        serviceAccount: 'default',
        nodeName: 'worker-1',
        securityContext: {},
        schedulerName: spec.schedulerName,
        tolerations: ['not-ready', 'unreachable'].map(taint => ({
          key: `node.kubernetes.io/${taint}`,
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        })),
        priority: 0,
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
      },
    },
    status: {
      phase: options.phase ?? 'Running',
      conditions: [
        condition('PodReadyToStartContainers', true),
        condition('Initialized', true),
        condition('Ready', ready),
        condition('ContainersReady', ready),
        condition('PodScheduled', true),
      ],
      hostIP: '10.0.0.11',
      hostIPs: [{ ip: '10.0.0.11' }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: STARTED,
      containerStatuses: [
        {
          name,
          state: ready
            ? { running: { startedAt: STARTED } }
            : {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: `back-off 5m0s restarting failed container=${name} pod=${podName}_${namespace}(${uidOf(
                    'Pod',
                    namespace,
                    podName,
                  )})`,
                },
              },
          lastState:
            (options.restartCount ?? 0) > 0
              ? {
                  terminated: {
                    exitCode: 1,
                    reason: 'Error',
                    startedAt: STARTED,
                    finishedAt: STARTED,
                    containerID: `containerd://${'b'.repeat(64)}`,
                  },
                }
              : {},
          ready,
          restartCount: options.restartCount ?? 0,
          image,
          imageID: `${image.replace(/:[^:/]+$/, '')}@sha256:${'a'.repeat(64)}`,
          containerID: `containerd://${'c'.repeat(64)}`,
          started: ready,
        },
      ],
      qosClass: 'BestEffort',
    },
  });
}

/** A ClusterIP Service in front of the workload's pods. */
export function service(options: {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  port?: number;
  targetPort?: number | string;
  creationTimestamp?: string;
}): KubernetesObject {
  const { name, namespace } = options;
  const clusterIP = `10.96.${parseInt(
    uidOf('Service', namespace, name).slice(0, 2),
    16,
  )}.${parseInt(uidOf('Service', namespace, name).slice(2, 4), 16)}`;
  return buildObject({
    apiVersion: 'v1',
    kind: 'Service',
    name,
    namespace,
    labels: options.labels ?? defaultLabels(name),
    creationTimestamp: options.creationTimestamp,
    manager: 'argocd-controller',
    body: {
      spec: {
        ports: [
          {
            name: 'http',
            protocol: 'TCP',
            port: options.port ?? 80,
            targetPort: options.targetPort ?? 'http',
          },
        ],
        selector: { 'app.kubernetes.io/name': name },
        clusterIP,
        clusterIPs: [clusterIP],
        type: 'ClusterIP',
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
      },
    },
    status: { loadBalancer: {} },
  });
}

/** A ConfigMap (no spec, no status, no generation). */
export function configMap(options: {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  data?: Record<string, string>;
  creationTimestamp?: string;
}): KubernetesObject {
  return buildObject({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: options.name,
    namespace: options.namespace,
    labels: options.labels ?? defaultLabels(options.name),
    creationTimestamp: options.creationTimestamp,
    manager: 'argocd-controller',
    body: { data: options.data ?? {} },
  });
}

/** An autoscaling/v2 HorizontalPodAutoscaler of the Deployment of the same name. */
export function horizontalPodAutoscaler(options: {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  minReplicas?: number;
  maxReplicas?: number;
  /** Target average CPU utilization in percent; 80 by default. */
  targetCPUUtilization?: number;
  currentReplicas?: number;
  creationTimestamp?: string;
}): KubernetesObject {
  const min = options.minReplicas ?? 2;
  const current = options.currentReplicas ?? min;
  const condition = (
    type: string,
    status: string,
    reason: string,
    message: string,
  ) => ({
    type,
    status,
    lastTransitionTime: STARTED,
    reason,
    message,
  });
  return buildObject({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    name: options.name,
    namespace: options.namespace,
    labels: options.labels ?? defaultLabels(options.name),
    creationTimestamp: options.creationTimestamp,
    manager: 'argocd-controller',
    statusManager: 'kube-controller-manager',
    body: {
      spec: {
        scaleTargetRef: {
          kind: 'Deployment',
          name: options.name,
          apiVersion: 'apps/v1',
        },
        minReplicas: min,
        maxReplicas: options.maxReplicas ?? 10,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: {
                type: 'Utilization',
                averageUtilization: options.targetCPUUtilization ?? 80,
              },
            },
          },
        ],
      },
    },
    status: {
      currentReplicas: current,
      desiredReplicas: current,
      currentMetrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            current: { averageValue: '12m', averageUtilization: 6 },
          },
        },
      ],
      conditions: [
        condition(
          'AbleToScale',
          'True',
          'ReadyForNewScale',
          'recommended size matches current size',
        ),
        condition(
          'ScalingActive',
          'True',
          'ValidMetricFound',
          'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
        ),
        condition(
          'ScalingLimited',
          'False',
          'DesiredWithinRange',
          'the desired count is within the acceptable range',
        ),
      ],
    },
  });
}
