import { applied } from './applied';
import { replicaSet } from './objects';
import { CROSSPLANE_CLAIMS } from './resourceTypes';
import { startStandInApiServer } from './startStandInApiServer';

/** A Deployment as a golden path writes it to git: only what it decides. */
const deploymentManifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'refund-api',
    namespace: 'payments-team',
    labels: {
      'app.kubernetes.io/name': 'refund-api',
      'backstage.io/kubernetes-id': 'refund-api',
    },
  },
  spec: {
    replicas: 3,
    revisionHistoryLimit: 5,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'refund-api' } },
    strategy: {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 },
    },
    template: {
      metadata: {
        labels: {
          'app.kubernetes.io/name': 'refund-api',
          'backstage.io/kubernetes-id': 'refund-api',
        },
      },
      spec: {
        automountServiceAccountToken: false,
        containers: [
          {
            name: 'refund-api',
            image: 'registry.causeway.internal/payments-team/refund-api:1.0.0',
            ports: [{ name: 'http', containerPort: 8080 }],
            resources: { requests: { cpu: '250m', memory: '256Mi' } },
            readinessProbe: {
              httpGet: { path: '/health/ready', port: 'http' },
              periodSeconds: 5,
            },
          },
          { name: 'sidecar', image: 'registry.causeway.internal/proxy' },
        ],
      },
    },
  },
};

const claimManifest = {
  apiVersion: 'platform.causeway.dev/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: {
    name: 'refund-api-db',
    namespace: 'payments-team',
    labels: { 'app.kubernetes.io/part-of': 'refund-api' },
  },
  spec: {
    parameters: { storageGB: 20, version: '16' },
    writeConnectionSecretToRef: { name: 'refund-api-db-connection' },
  },
};

describe('applied', () => {
  it('adds the metadata the API server adds, and remembers the manifest as kubectl apply does', () => {
    const object = applied(deploymentManifest);

    expect(object.metadata).toMatchObject({
      name: 'refund-api',
      namespace: 'payments-team',
      uid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/),
      resourceVersion: expect.any(String),
      generation: 1,
      creationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      labels: deploymentManifest.metadata.labels,
      managedFields: [
        expect.objectContaining({
          manager: 'argocd-controller',
          fieldsType: 'FieldsV1',
        }),
        expect.objectContaining({ subresource: 'status' }),
      ],
    });
    const lastApplied =
      object.metadata.annotations![
        'kubectl.kubernetes.io/last-applied-configuration'
      ];
    expect(JSON.parse(lastApplied)).toEqual(deploymentManifest);
  });

  it('fills in a Deployment’s defaults and keeps what git says', () => {
    const { spec } = applied(deploymentManifest) as any;

    expect(spec).toMatchObject({
      replicas: 3,
      revisionHistoryLimit: 5,
      progressDeadlineSeconds: 600,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 },
      },
    });
    expect(spec.template.spec).toMatchObject({
      automountServiceAccountToken: false,
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
    });
    const [app, sidecar] = spec.template.spec.containers;
    expect(app).toMatchObject({
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      resources: { requests: { cpu: '250m', memory: '256Mi' } },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    });
    expect(app.readinessProbe).toEqual({
      httpGet: { path: '/health/ready', port: 'http', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 5,
      successThreshold: 1,
      failureThreshold: 3,
    });
    // No tag: the kubelet pulls it every time.
    expect(sidecar).toMatchObject({ imagePullPolicy: 'Always', resources: {} });
  });

  it('reports all of a Deployment’s replicas ready, and its ReplicaSet is owned by it', () => {
    const object = applied({
      ...deploymentManifest,
      spec: { ...deploymentManifest.spec, replicas: 12 },
    });

    expect(object.status).toMatchObject({
      observedGeneration: 1,
      replicas: 12,
      updatedReplicas: 12,
      readyReplicas: 12,
      availableReplicas: 12,
      conditions: [
        expect.objectContaining({ type: 'Available', status: 'True' }),
        expect.objectContaining({ type: 'Progressing', status: 'True' }),
      ],
    });
    const owned = replicaSet({
      name: 'refund-api',
      namespace: 'payments-team',
    });
    expect(owned.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Deployment', uid: object.metadata.uid }),
    ]);
  });

  it('gives a Service its cluster IP, and its ports their protocol and target port', () => {
    const object = applied({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'refund-api', namespace: 'payments-team' },
      spec: {
        selector: { 'app.kubernetes.io/name': 'refund-api' },
        ports: [{ name: 'http', port: 80 }],
      },
    });

    expect(object.metadata.generation).toBeUndefined();
    expect(object.spec).toMatchObject({
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      clusterIP: expect.stringMatching(/^10\.96\.\d+\.\d+$/),
      sessionAffinity: 'None',
    });
    expect(object.status).toEqual({ loadBalancer: {} });
  });

  it('gives an HPA without a minimum one replica', () => {
    const object = applied({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'refund-api', namespace: 'payments-team' },
      spec: {
        scaleTargetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'refund-api',
        },
        maxReplicas: 5,
      },
    });

    expect(object.spec).toMatchObject({ minReplicas: 1, maxReplicas: 5 });
    expect(object.status).toMatchObject({ currentReplicas: 1 });
  });

  it('shows a claim bound to its composite resource, Ready and Synced', () => {
    const object = applied(claimManifest);

    expect(object.spec).toEqual({
      parameters: { storageGB: 20, version: '16' },
      writeConnectionSecretToRef: { name: 'refund-api-db-connection' },
      compositeDeletePolicy: 'Background',
      compositionRef: { name: 'xpostgresqlinstances-aws' },
      compositionRevisionRef: {
        name: expect.stringMatching(/^xpostgresqlinstances-aws-/),
      },
      compositionUpdatePolicy: 'Automatic',
      resourceRef: {
        apiVersion: 'platform.causeway.dev/v1alpha1',
        kind: 'XPostgreSQLInstance',
        name: expect.stringMatching(/^refund-api-db-[a-z0-9]{5}$/),
      },
    });
    expect(object.metadata.finalizers).toEqual([
      'finalizer.apiextensions.crossplane.io',
    ]);
    const conditions = (object.status as any).conditions;
    expect(conditions).toEqual([
      expect.objectContaining({ type: 'Synced', status: 'True' }),
      expect.objectContaining({ type: 'Ready', status: 'True' }),
    ]);
  });

  it('takes the status it is given, and the namespace kubectl apply -n gives', () => {
    const { namespace: _namespace, ...metadata } = claimManifest.metadata;
    const synced = {
      type: 'Synced',
      status: 'False',
      reason: 'ReconcileError',
      message: 'cannot apply composed resource',
    };
    const object = applied(
      { ...claimManifest, metadata },
      { namespace: 'payments-team', status: { conditions: [synced] } },
    );

    expect(object.metadata.namespace).toBe('payments-team');
    expect(object.status).toEqual({ conditions: [synced] });
  });

  it('gives what it made to the stand-in, which serves it', async () => {
    const server = await startStandInApiServer({
      serve: CROSSPLANE_CLAIMS,
      objects: [applied(deploymentManifest), applied(claimManifest)],
    });
    try {
      const res = await fetch(
        `${server.url}/apis/platform.causeway.dev/v1alpha1/namespaces/payments-team/postgresqlinstances/refund-api-db`,
      );
      const body = await res.json();
      expect(body.spec.parameters).toEqual({ storageGB: 20, version: '16' });
      expect(body.metadata.resourceVersion).toMatch(/^\d+$/);
    } finally {
      await server.close();
    }
  });
});
