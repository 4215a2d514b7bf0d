import { parseAllDocuments } from 'yaml';
import {
  findManifestProblems,
  validateManifests,
} from '../validation/validateManifests';
import { manifestFileContents } from '../yaml';
import { buildServiceManifests, ManifestFile } from './buildServiceManifests';
import { defaultPlatformPolicy } from './platformPolicy';
import { parseServiceSpec, ServiceSpecInput } from './serviceSpec';

const digest = `sha256:${'a1'.repeat(32)}`;
const paymentService: ServiceSpecInput = {
  name: 'payment-service',
  owner: 'payments-team',
  system: 'checkout-system',
  environment: 'production',
  namespace: 'payments',
  image: `registry.example.com/payments/payment-service@${digest}`,
  port: 8080,
  tier: 'critical',
  env: { LOG_LEVEL: 'info' },
  secrets: [
    { env: 'STRIPE_API_KEY', key: 'payments/stripe', property: 'api-key' },
  ],
  callers: [{ namespace: 'orders', app: 'order-service' }],
  ingressHost: 'payments.example.com',
};

const build = (input: ServiceSpecInput) =>
  buildServiceManifests(parseServiceSpec(input, defaultPlatformPolicy).spec, {
    policy: defaultPlatformPolicy,
    gitops: {
      repoURL: 'https://git.example.com/platform/gitops.git',
      branch: 'main',
    },
  });

const find = (files: ManifestFile[], kind: string) =>
  files.find(f => f.object.kind === kind)!.object as any;

describe('buildServiceManifests', () => {
  it('writes every object a production service needs, in its folder, and all pass their schemas', async () => {
    const files = build(paymentService);
    const dir = 'apps/production/payments/payment-service';
    expect(files.map(f => f.path)).toEqual([
      `${dir}/deployment.yaml`,
      `${dir}/service.yaml`,
      `${dir}/hpa.yaml`,
      `${dir}/pdb.yaml`,
      `${dir}/servicemonitor.yaml`,
      `${dir}/networkpolicy.yaml`,
      `${dir}/externalsecret-payment-service-payments-stripe.yaml`,
      `${dir}/ingress.yaml`,
      `${dir}/kustomization.yaml`,
      `${dir}/argocd-application.yaml`,
    ]);
    expect(findManifestProblems(files)).toEqual([]);
  });

  it('hardens the Deployment: tier resources, probes, non-root, read-only root, no capabilities, spread', () => {
    const deployment = find(build(paymentService), 'Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];

    expect(deployment.metadata.labels['backstage.io/kubernetes-id']).toBe(
      'payment-service',
    );
    expect(pod.metadata).toBeUndefined();
    expect(
      deployment.spec.template.metadata.labels['backstage.io/kubernetes-id'],
    ).toBe('payment-service');
    expect(deployment.spec.replicas).toBe(3);
    expect(container.resources).toEqual({
      requests: { cpu: '500m', memory: '512Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
    expect(container.readinessProbe.httpGet.port).toBe('http');
    expect(container.livenessProbe.httpGet.port).toBe('http');
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(
      pod.topologySpreadConstraints.map((c: any) => c.topologyKey),
    ).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
  });

  it('reads each secret through an ExternalSecret, never as a value', () => {
    const files = build(paymentService);
    const env = find(files, 'Deployment').spec.template.spec.containers[0].env;
    const externalSecret = find(files, 'ExternalSecret');

    expect(env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      {
        name: 'STRIPE_API_KEY',
        valueFrom: {
          secretKeyRef: {
            name: 'payment-service-payments-stripe',
            key: 'STRIPE_API_KEY',
          },
        },
      },
    ]);
    expect(externalSecret.spec.target.name).toBe(
      'payment-service-payments-stripe',
    );
    expect(externalSecret.spec.data).toEqual([
      {
        secretKey: 'STRIPE_API_KEY',
        remoteRef: { key: 'payments/stripe', property: 'api-key' },
      },
    ]);
  });

  it('loads the connection secrets of claimed infrastructure into the container', () => {
    const container = find(
      build({
        ...paymentService,
        connectionSecrets: ['payments-db-connection'],
      }),
      'Deployment',
    ).spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([
      { secretRef: { name: 'payments-db-connection' } },
    ]);
  });

  it('denies all traffic but the declared callers and the ingress controller', () => {
    const policy = find(build(paymentService), 'NetworkPolicy');
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress[0].from).toEqual([
      {
        namespaceSelector: {
          matchLabels: { 'kubernetes.io/metadata.name': 'orders' },
        },
        podSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'order-service' },
        },
      },
    ]);

    const internal = find(
      build({ ...paymentService, callers: [], ingressHost: undefined }),
      'NetworkPolicy',
    );
    expect(internal.spec.ingress).toEqual([]);
  });

  it('scales by tier and keeps all but one replica up', () => {
    const critical = build(paymentService);
    expect(find(critical, 'HorizontalPodAutoscaler').spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 10,
    });
    expect(find(critical, 'PodDisruptionBudget').spec.minAvailable).toBe(2);

    const batch = build({ ...paymentService, tier: 'batch' });
    expect(find(batch, 'HorizontalPodAutoscaler').spec).toMatchObject({
      minReplicas: 1,
      maxReplicas: 3,
    });
    expect(find(batch, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      selector: {
        matchLabels: { 'app.kubernetes.io/name': 'payment-service' },
      },
    });
  });

  it('points Argo CD at the service folder, whose kustomization lists its objects', () => {
    const files = build(paymentService);
    const app = find(files, 'Application');
    const kustomization = find(files, 'Kustomization');

    expect(app.spec.source).toEqual({
      repoURL: 'https://git.example.com/platform/gitops.git',
      targetRevision: 'main',
      path: 'apps/production/payments/payment-service',
    });
    expect(app.spec.syncPolicy.automated).toEqual({
      prune: true,
      selfHeal: true,
    });
    expect(kustomization.resources).toContain('deployment.yaml');
    expect(kustomization.resources).not.toContain('argocd-application.yaml');
  });

  it('adds the namespace, its quota, limits and the owner group’s RoleBinding when the namespace is new', async () => {
    const files = build({ ...paymentService, newNamespace: true });
    const namespaceFiles = files.filter(f =>
      f.path.startsWith('apps/production/payments/_namespace/'),
    );
    expect(namespaceFiles.map(f => f.object.kind)).toEqual([
      'Namespace',
      'ResourceQuota',
      'LimitRange',
      'RoleBinding',
    ]);
    expect(find(files, 'RoleBinding').subjects).toEqual([
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'payments-team',
      },
    ]);
    expect(findManifestProblems(files)).toEqual([]);
  });

  it('names the object, field and rule when a rendered object breaks its schema', async () => {
    const files = build(paymentService);
    find(
      files,
      'Deployment',
    ).spec.template.spec.containers[0].ports[0].containerPort = '8080';
    find(files, 'ServiceMonitor').spec.endpoints[0].interval = 30;

    expect(() => validateManifests(files)).toThrow(
      'The rendered manifests are invalid: Deployment payments/payment-service in apps/production/payments/payment-service/deployment.yaml: /spec/template/spec/containers/0/ports/0/containerPort must be integer; ServiceMonitor payments/payment-service in apps/production/payments/payment-service/servicemonitor.yaml: /spec/endpoints/0/interval must be string',
    );
  });

  it('writes user values as YAML strings that cannot add keys or documents', () => {
    const sneaky =
      'x\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: stolen}';
    const [deployment] = manifestFileContents(
      build({ ...paymentService, env: { NOTE: sneaky } }),
    );
    const documents = parseAllDocuments(deployment.content);

    expect(documents).toHaveLength(1);
    const parsed = documents[0].toJS();
    expect(parsed.kind).toBe('Deployment');
    expect(parsed.spec.template.spec.containers[0].env[0]).toEqual({
      name: 'NOTE',
      value: sneaky,
    });
  });
});
