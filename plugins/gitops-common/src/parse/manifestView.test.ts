import { manifestFileContents } from '../yaml';
import {
  builtDatabaseClaim,
  builtJob,
  builtService,
  digestImage,
  platformApis,
} from './__testUtils__/builtManifests';
import { viewManifests } from './manifestView';
import { parseManifestFile, parseManifestFiles } from './parseManifests';

const image = digestImage('payments/payment-service');

const view = (files: Array<{ path: string; content: string }>) =>
  viewManifests(parseManifestFiles(files).objects, { platformApis });

describe('viewManifests', () => {
  it('shows what a service built by the golden path runs: a hardened Deployment and its companions', () => {
    const v = view(
      manifestFileContents(
        builtService({
          env: { LOG_LEVEL: 'info' },
          secrets: [{ env: 'STRIPE_API_KEY', key: 'payments/stripe' }],
          connectionSecrets: ['payments-db-connection'],
          ingressHost: 'payments.example.com',
        }),
      ),
    );

    expect(v.workloads).toHaveLength(1);
    const [deployment] = v.workloads;
    expect(deployment).toMatchObject({
      kind: 'Deployment',
      name: 'payment-service',
      namespace: 'payments',
      replicas: 3,
      longRunning: true,
      pod: { automountServiceAccountToken: false },
    });
    expect(deployment.pod.labels['app.kubernetes.io/name']).toBe(
      'payment-service',
    );
    expect(deployment.containers).toEqual([
      {
        name: 'payment-service',
        image,
        imagePinnedByDigest: true,
        init: false,
        requests: { cpu: '500m', memory: '512Mi' },
        limits: { cpu: '1', memory: '1Gi' },
        readinessProbe: true,
        livenessProbe: true,
        startupProbe: false,
        probes: {
          readiness: {
            httpGet: { path: '/health/ready', port: 'http' },
            periodSeconds: 5,
            failureThreshold: 3,
          },
          liveness: {
            httpGet: { path: '/health/live', port: 'http' },
            initialDelaySeconds: 10,
            periodSeconds: 10,
            failureThreshold: 3,
          },
        },
        runsAsNonRoot: true,
        readOnlyRootFilesystem: true,
        privilegeEscalationDisabled: true,
        dropsAllCapabilities: true,
        privileged: false,
        env: [
          { name: 'LOG_LEVEL', value: 'info' },
          {
            name: 'STRIPE_API_KEY',
            secretKeyRef: {
              name: 'payment-service-payments-stripe',
              key: 'STRIPE_API_KEY',
            },
          },
        ],
        envFromSecrets: ['payments-db-connection'],
      },
    ]);
    expect(v.horizontalPodAutoscalers).toEqual([
      expect.objectContaining({
        minReplicas: 3,
        maxReplicas: 10,
        target: { kind: 'Deployment', name: 'payment-service' },
      }),
    ]);
    expect(v.podDisruptionBudgets).toEqual([
      expect.objectContaining({
        minAvailable: 2,
        selector: { 'app.kubernetes.io/name': 'payment-service' },
      }),
    ]);
    expect(v.services).toEqual([
      expect.objectContaining({
        type: 'ClusterIP',
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      }),
    ]);
    expect(v.networkPolicies).toEqual([
      expect.objectContaining({ policyTypes: ['Ingress'], ingressRules: 1 }),
    ]);
    expect(v.monitors).toEqual([
      expect.objectContaining({
        kind: 'ServiceMonitor',
        endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
      }),
    ]);
    expect(v.externalSecrets).toEqual([
      expect.objectContaining({
        target: 'payment-service-payments-stripe',
        store: { kind: 'ClusterSecretStore', name: 'platform-secrets' },
        remoteKeys: ['payments/stripe'],
      }),
    ]);
    expect(v.applications).toEqual([
      expect.objectContaining({
        name: 'production-payments-payment-service',
        path: 'apps/production/payments/payment-service',
        destination: {
          server: 'https://kubernetes.default.svc',
          name: undefined,
          namespace: 'payments',
        },
        automated: true,
        prune: true,
        selfHeal: true,
      }),
    ]);
    expect(v.others.map(o => o.object.kind).sort()).toEqual([
      'Ingress',
      'Kustomization',
    ]);
    expect(v.secrets).toEqual([]);
    expect(v.claims).toEqual([]);
    expect(v.unknown).toEqual([]);
  });

  it('shows a CronJob with its pod template and no replicas', () => {
    const v = view(manifestFileContents(builtJob()));
    expect(v.workloads).toEqual([
      expect.objectContaining({
        kind: 'CronJob',
        schedule: '30 2 * * *',
        longRunning: false,
      }),
    ]);
    expect(v.workloads[0].replicas).toBeUndefined();
    expect(v.workloads[0].containers[0]).toMatchObject({
      imagePinnedByDigest: true,
      runsAsNonRoot: true,
      readinessProbe: false,
    });
  });

  it('shows claims of the platform APIs with their defaults filled in, and the service they are part of', () => {
    const v = view(
      manifestFileContents(builtDatabaseClaim()).concat({
        path: 'infrastructure/production/payments/handmade.yaml',
        content: [
          'apiVersion: platform.causeway.dev/v1alpha1',
          'kind: PostgreSQLInstance',
          'metadata:',
          '  name: ledger-db',
          '  labels: { app.kubernetes.io/part-of: ledger }',
          'spec:',
          '  parameters: { size: small, storageGB: 10, deletionProtection: false }',
        ].join('\n'),
      }),
    );
    expect(
      v.claims.map(c => [
        c.kind,
        c.name,
        c.partOf,
        c.connectionSecret,
        c.api.resourceType,
      ]),
    ).toEqual([
      [
        'PostgreSQLInstance',
        'payments-db',
        'payment-service',
        'payments-db-connection',
        'database',
      ],
      ['PostgreSQLInstance', 'ledger-db', 'ledger', undefined, 'database'],
    ]);
    expect(v.claims[1].parameters).toEqual({
      size: 'small',
      storageGB: 10,
      version: '16',
      highAvailability: false,
      deletionProtection: false,
      backupRetentionDays: 7,
    });
    expect(v.applications.map(a => a.prune)).toEqual([false]);
  });

  it('reads what hand-written manifests get wrong, and lists the kinds it does not know', () => {
    const v = viewManifests(
      parseManifestFile({
        path: 'apps/production/legacy/old-service/all.yaml',
        content: `
apiVersion: apps/v1
kind: Deployment
metadata: { name: old-service }
spec:
  template:
    spec:
      securityContext: { runAsUser: 1000 }
      initContainers:
        - { name: migrate, image: "busybox:1.36" }
      containers:
        - name: app
          image: registry.example.com/old-service:latest
          securityContext: { privileged: true, capabilities: { drop: [NET_RAW] } }
          env:
            - { name: DB_PASSWORD, value: hunter2 }
          envFrom:
            - configMapRef: { name: settings }
---
apiVersion: v1
kind: Secret
metadata: { name: old-service-credentials }
stringData: { password: hunter2 }
data: { token: aHVudGVyMg== }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: old-service }
spec: { maxReplicas: 4 }
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w }
`,
      }).objects,
    );
    const [deployment] = v.workloads;
    expect(deployment.replicas).toBe(1);
    expect(deployment.initContainers).toEqual([
      expect.objectContaining({
        name: 'migrate',
        init: true,
        imagePinnedByDigest: false,
      }),
    ]);
    expect(deployment.containers[0]).toMatchObject({
      imagePinnedByDigest: false,
      requests: { cpu: undefined, memory: undefined },
      readinessProbe: false,
      livenessProbe: false,
      runsAsNonRoot: true,
      readOnlyRootFilesystem: false,
      privilegeEscalationDisabled: false,
      dropsAllCapabilities: false,
      privileged: true,
      env: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
      envFromSecrets: [],
    });
    expect(v.secrets).toEqual([
      expect.objectContaining({
        name: 'old-service-credentials',
        type: 'Opaque',
        keys: ['token', 'password'],
      }),
    ]);
    expect(v.horizontalPodAutoscalers[0]).toMatchObject({
      minReplicas: 1,
      maxReplicas: 4,
    });
    expect(v.unknown.map(o => o.object.kind)).toEqual(['Widget']);
  });
});
