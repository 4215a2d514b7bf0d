/*
 * An object as a Kubernetes API server answers it once applied: the same
 * desired state, plus what the server adds (identity, managedFields,
 * status, the defaults of fields left out) and quantities in another
 * spelling. A freshly synced object must still read as in sync.
 */

type Json = Record<string, any>;

const PROBE_DEFAULTS = {
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
};

const defaultProbe = (probe: Json) => ({
  ...PROBE_DEFAULTS,
  ...probe,
  ...(probe.httpGet ? { httpGet: { scheme: 'HTTP', ...probe.httpGet } } : {}),
});

/** 500m as the "0.5" a server may answer. */
const decimalCpu = (cpu: unknown) =>
  typeof cpu === 'string' && cpu.endsWith('m')
    ? String(Number(cpu.slice(0, -1)) / 1000)
    : cpu;

function defaultContainer(container: Json): Json {
  const resources: Json = container.resources ?? {};
  const withCpu = (amounts: Json | undefined) =>
    amounts && { ...amounts, cpu: decimalCpu(amounts.cpu) };
  return {
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...container,
    ...(container.ports
      ? {
          ports: container.ports.map((p: Json) => ({ protocol: 'TCP', ...p })),
        }
      : {}),
    resources: {
      ...(resources.requests ? { requests: withCpu(resources.requests) } : {}),
      ...(resources.limits ? { limits: withCpu(resources.limits) } : {}),
    },
    ...Object.fromEntries(
      ['readinessProbe', 'livenessProbe', 'startupProbe']
        .filter(probe => container[probe])
        .map(probe => [probe, defaultProbe(container[probe])]),
    ),
  };
}

function defaultPodTemplate(template: Json): Json {
  const spec: Json = template.spec ?? {};
  return {
    ...template,
    metadata: { creationTimestamp: null, ...template.metadata },
    spec: {
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
      ...spec,
      containers: (spec.containers ?? []).map(defaultContainer),
      ...(spec.initContainers
        ? { initContainers: spec.initContainers.map(defaultContainer) }
        : {}),
    },
  };
}

const CLAIM_GROUP = 'platform.causeway.dev';

/** What the server adds to each kind's spec, and the status it reports. */
function serverSide(object: Json): { spec?: Json; status: Json } {
  const spec: Json = object.spec ?? {};
  const group = String(object.apiVersion).split('/').slice(0, -1).join('/');
  switch (`${group}/${object.kind}`) {
    case 'apps/Deployment':
      return {
        spec: {
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
          },
          ...spec,
          template: defaultPodTemplate(spec.template),
        },
        status: {
          observedGeneration: 1,
          replicas: spec.replicas,
          readyReplicas: spec.replicas,
          availableReplicas: spec.replicas,
          updatedReplicas: spec.replicas,
          conditions: [{ type: 'Available', status: 'True' }],
        },
      };
    case 'batch/CronJob':
      return {
        spec: {
          concurrencyPolicy: 'Allow',
          suspend: false,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 1,
          ...spec,
          jobTemplate: {
            ...spec.jobTemplate,
            spec: {
              ...spec.jobTemplate.spec,
              template: defaultPodTemplate(spec.jobTemplate.spec.template),
            },
          },
        },
        status: { lastScheduleTime: '2025-05-01T02:30:00Z' },
      };
    case '/Service':
      return {
        spec: {
          type: 'ClusterIP',
          sessionAffinity: 'None',
          clusterIP: '10.96.12.34',
          clusterIPs: ['10.96.12.34'],
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          internalTrafficPolicy: 'Cluster',
          ...spec,
          ports: (spec.ports ?? []).map((p: Json) => ({
            protocol: 'TCP',
            targetPort: p.port,
            ...p,
          })),
        },
        status: { loadBalancer: {} },
      };
    case 'autoscaling/HorizontalPodAutoscaler':
      return {
        spec: {
          behavior: {
            scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max' },
            scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max' },
          },
          ...spec,
        },
        status: { currentReplicas: spec.minReplicas, desiredReplicas: 3 },
      };
    case 'policy/PodDisruptionBudget':
      return { status: { currentHealthy: 3, desiredHealthy: 2 } };
    case 'argoproj.io/Application':
      return {
        status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
      };
    default:
      if (group === CLAIM_GROUP) {
        return {
          spec: {
            ...spec,
            compositionRef: { name: `${object.kind.toLowerCase()}-aws` },
            resourceRef: {
              apiVersion: object.apiVersion,
              kind: `X${object.kind}`,
              name: `${object.metadata.name}-x7k2p`,
            },
            compositeDeletePolicy: 'Background',
            compositionUpdatePolicy: 'Automatic',
          },
          status: {
            conditions: [
              { type: 'Synced', status: 'True' },
              { type: 'Ready', status: 'True' },
            ],
          },
        };
      }
      return { status: {} };
  }
}

/** A deep copy of `object` as the API server returns it after applying it. */
export function asApiServerReturns(object: object): Json {
  const copy: Json = JSON.parse(JSON.stringify(object));
  const { spec, status } = serverSide(copy);
  return {
    ...copy,
    metadata: {
      ...copy.metadata,
      uid: '0d6c1d8e-57a1-4f6b-9c55-8e2f1b7d3a90',
      resourceVersion: '48213',
      generation: 1,
      creationTimestamp: '2025-05-01T09:12:44Z',
      managedFields: [
        {
          manager: 'argocd-controller',
          operation: 'Apply',
          apiVersion: copy.apiVersion,
          time: '2025-05-01T09:12:44Z',
          fieldsType: 'FieldsV1',
          fieldsV1: {},
        },
      ],
    },
    ...(spec ? { spec } : {}),
    status,
  };
}
