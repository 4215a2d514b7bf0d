import { parseAllDocuments } from 'yaml';
import type { ManifestFile } from '../service/buildServiceManifests';
import { defaultPlatformPolicy } from '../service/platformPolicy';
import {
  findManifestProblems,
  validateManifests,
} from '../validation/validateManifests';
import { manifestFileContents } from '../yaml';
import { buildJobManifests } from './buildJobManifests';
import { JobSpecInput, parseJobSpec } from './jobSpec';

const digest = `sha256:${'b2'.repeat(32)}`;
const invoiceExport: JobSpecInput = {
  name: 'invoice-export',
  owner: 'billing-team',
  system: 'billing-system',
  environment: 'production',
  namespace: 'billing',
  image: `registry.example.com/billing/invoice-export@${digest}`,
  schedule: '30 2 * * *',
  timeZone: 'Europe/London',
  command: ['/app/export'],
  args: ['--since', '24h'],
  env: { LOG_LEVEL: 'info' },
  secrets: [
    { env: 'SFTP_PASSWORD', key: 'billing/sftp', property: 'password' },
  ],
  connectionSecrets: ['billing-db-connection'],
};

const build = (input: JobSpecInput) =>
  buildJobManifests(parseJobSpec(input, defaultPlatformPolicy).spec, {
    policy: defaultPlatformPolicy,
    gitops: {
      repoURL: 'https://git.example.com/platform/gitops.git',
      branch: 'main',
    },
  });

const find = (files: ManifestFile[], kind: string) =>
  files.find(f => f.object.kind === kind)!.object as any;

describe('buildJobManifests', () => {
  it('writes the CronJob and its companions into the service folder, and all pass their schemas', () => {
    const files = build(invoiceExport);
    const dir = 'apps/production/billing/invoice-export';
    expect(files.map(f => f.path)).toEqual([
      `${dir}/cronjob.yaml`,
      `${dir}/networkpolicy.yaml`,
      `${dir}/externalsecret-invoice-export-billing-sftp.yaml`,
      `${dir}/kustomization.yaml`,
      `${dir}/argocd-application.yaml`,
    ]);
    expect(findManifestProblems(files)).toEqual([]);
    expect(() => validateManifests(files)).not.toThrow();
  });

  it('also writes the namespace with its quota, limits and owners for a team’s first workload', () => {
    const files = build({ ...invoiceExport, newNamespace: true });
    expect(files.map(f => f.path)).toEqual(
      expect.arrayContaining([
        'apps/production/billing/_namespace/namespace.yaml',
        'apps/production/billing/_namespace/rolebinding-owners.yaml',
      ]),
    );
    expect(find(files, 'RoleBinding').subjects).toEqual([
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'billing-team',
      },
    ]);
    expect(() => validateManifests(files)).not.toThrow();
  });

  it('passes its schemas with the defaults and nothing optional set', () => {
    const {
      timeZone,
      command,
      args,
      env,
      secrets,
      connectionSecrets,
      ...bare
    } = invoiceExport;
    const files = build({ ...bare, schedule: '@hourly' });
    expect(files.map(f => f.object.kind)).toEqual([
      'CronJob',
      'NetworkPolicy',
      'Kustomization',
      'Application',
    ]);
    const cronJob = find(files, 'CronJob');
    expect(cronJob.spec.timeZone).toBeUndefined();
    const container = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.command).toBeUndefined();
    expect(container.args).toBeUndefined();
    expect(container.env).toEqual([]);
    expect(container.envFrom).toBeUndefined();
    expect(findManifestProblems(files)).toEqual([]);
  });

  it('schedules the CronJob as asked, with bounded runs and history', () => {
    const cronJob = find(build(invoiceExport), 'CronJob');
    expect(cronJob.apiVersion).toBe('batch/v1');
    expect(cronJob.metadata).toMatchObject({
      name: 'invoice-export',
      namespace: 'billing',
    });
    expect(cronJob.spec).toMatchObject({
      schedule: '30 2 * * *',
      timeZone: 'Europe/London',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
    expect(cronJob.spec.jobTemplate.spec).toMatchObject({
      activeDeadlineSeconds: 3600,
      backoffLimit: 2,
    });

    const replace = find(
      build({
        ...invoiceExport,
        concurrencyPolicy: 'Replace',
        activeDeadlineSeconds: 600,
        backoffLimit: 0,
      }),
      'CronJob',
    );
    expect(replace.spec.concurrencyPolicy).toBe('Replace');
    expect(replace.spec.jobTemplate.spec).toMatchObject({
      activeDeadlineSeconds: 600,
      backoffLimit: 0,
    });
  });

  it('hardens the pods as a service’s: non-root, read-only root, no capabilities, no token, tier resources', () => {
    const cronJob = find(build(invoiceExport), 'CronJob');
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    const container = pod.containers[0];

    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    expect(container.image).toBe(invoiceExport.image);
    expect(container.command).toEqual(['/app/export']);
    expect(container.args).toEqual(['--since', '24h']);

    const overridden = find(
      build({
        ...invoiceExport,
        tier: 'critical',
        resources: {
          requests: { cpu: '1', memory: '1Gi' },
          limits: { cpu: '2', memory: '2Gi' },
        },
      }),
      'CronJob',
    ).spec.jobTemplate.spec.template.spec.containers[0];
    expect(overridden.resources).toEqual({
      requests: { cpu: '1', memory: '1Gi' },
      limits: { cpu: '2', memory: '2Gi' },
    });
  });

  it('labels the CronJob, its Jobs and their pods as services are, so the Kubernetes view finds them', () => {
    const cronJob = find(build(invoiceExport), 'CronJob');
    const labels = {
      'app.kubernetes.io/name': 'invoice-export',
      'backstage.io/kubernetes-id': 'invoice-export',
      'app.kubernetes.io/part-of': 'billing-system',
      'app.kubernetes.io/managed-by': 'causeway',
      'causeway.dev/owner': 'billing-team',
      'causeway.dev/tier': 'batch',
      'causeway.dev/environment': 'production',
    };
    expect(cronJob.metadata.labels).toEqual(labels);
    expect(cronJob.spec.jobTemplate.metadata.labels).toEqual(labels);
    expect(cronJob.spec.jobTemplate.spec.template.metadata.labels).toEqual(
      labels,
    );
  });

  it('reads secrets through ExternalSecrets and connection secrets whole', () => {
    const files = build(invoiceExport);
    const container = find(files, 'CronJob').spec.jobTemplate.spec.template.spec
      .containers[0];
    expect(container.env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      {
        name: 'SFTP_PASSWORD',
        valueFrom: {
          secretKeyRef: {
            name: 'invoice-export-billing-sftp',
            key: 'SFTP_PASSWORD',
          },
        },
      },
    ]);
    expect(container.envFrom).toEqual([
      { secretRef: { name: 'billing-db-connection' } },
    ]);
    const externalSecret = find(files, 'ExternalSecret');
    expect(externalSecret.spec.target.name).toBe('invoice-export-billing-sftp');
    expect(externalSecret.spec.data).toEqual([
      {
        secretKey: 'SFTP_PASSWORD',
        remoteRef: { key: 'billing/sftp', property: 'password' },
      },
    ]);
  });

  it('lets no traffic in to the pods', () => {
    const policy = find(build(invoiceExport), 'NetworkPolicy');
    expect(policy.spec).toEqual({
      podSelector: {
        matchLabels: { 'app.kubernetes.io/name': 'invoice-export' },
      },
      policyTypes: ['Ingress'],
      ingress: [],
    });
  });

  it('points Argo CD at the folder, whose kustomization lists its objects', () => {
    const files = build(invoiceExport);
    const app = find(files, 'Application');
    expect(app.metadata.name).toBe('production-billing-invoice-export');
    expect(app.spec.source.path).toBe('apps/production/billing/invoice-export');
    expect(app.spec.destination.namespace).toBe('billing');
    expect(find(files, 'Kustomization').resources).toEqual([
      'cronjob.yaml',
      'networkpolicy.yaml',
      'externalsecret-invoice-export-billing-sftp.yaml',
    ]);
  });

  it('names the object, field and rule when a rendered CronJob breaks its schema', () => {
    const files = build(invoiceExport);
    find(files, 'CronJob').spec.jobTemplate.spec.backoffLimit = 'two';
    expect(() => validateManifests(files)).toThrow(
      'The rendered manifests are invalid: CronJob billing/invoice-export in apps/production/billing/invoice-export/cronjob.yaml: /spec/jobTemplate/spec/backoffLimit must be integer',
    );
  });

  it('writes user values as YAML strings that cannot add keys or documents', () => {
    const sneaky =
      'x\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: stolen}';
    const [cronJob] = manifestFileContents(
      build({ ...invoiceExport, args: [sneaky] }),
    );
    const documents = parseAllDocuments(cronJob.content);
    expect(documents).toHaveLength(1);
    expect(
      documents[0].toJS().spec.jobTemplate.spec.template.spec.containers[0]
        .args,
    ).toEqual([sneaky]);
  });
});
