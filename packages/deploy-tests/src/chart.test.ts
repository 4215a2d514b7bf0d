import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  findManifestProblems,
  KubernetesObject,
} from '@causeway/plugin-gitops-common';
import { parse } from 'yaml';
import {
  badValuesDir,
  chartDir,
  haValues,
  helmTemplate,
  listFiles,
  minimalValues,
  overlayDir,
  parseRendered,
  readRepoFile,
  run,
} from './__testUtils__/deploy';

// The first call may fetch Helm and kubectl (~37 MB) into .toolchain/.
jest.setTimeout(120_000);

type Objects = Map<string, KubernetesObject & Record<string, any>>;

/** Rendered objects by kind (one of each here), checked as gitops-common checks the golden paths'. */
async function renderValid(...valuesFiles: string[]): Promise<Objects> {
  const result = await helmTemplate(valuesFiles);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const { files, problems } = parseRendered(
    result.stdout,
    `helm template ${valuesFiles.join(' ')}`,
  );
  expect(problems).toEqual([]);
  expect(findManifestProblems(files)).toEqual([]);
  return new Map(files.map(f => [f.object.kind, f.object]));
}

/** What the first line starting with `# expect:` of a bad values file says. */
function expectation(file: string): string {
  const line = readRepoFile(file)
    .split('\n')
    .find(l => l.startsWith('# expect: '));
  if (!line) throw new Error(`${file} has no "# expect: " line`);
  return line.slice('# expect: '.length);
}

describe('deploy/helm/causeway', () => {
  it.each([haValues, minimalValues])(
    'passes helm lint --strict with %s',
    async values => {
      const result = await run('helm', [
        'lint',
        '--strict',
        chartDir,
        '-f',
        values,
      ]);
      expect(result.stdout).toContain('0 chart(s) failed');
      expect(result.code).toBe(0);
    },
  );

  it('renders the minimal values into valid objects, each one the platform knows', async () => {
    const objects = await renderValid(minimalValues);
    expect([...objects.keys()].sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'ExternalSecret',
      'HorizontalPodAutoscaler',
      'Ingress',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
      'ServiceMonitor',
    ]);
  });

  describe('with the HA values', () => {
    let objects: Objects;
    beforeAll(async () => {
      objects = await renderValid(haValues);
    });

    const config = () =>
      parse(objects.get('ConfigMap')!.data['app-config.deployment.yaml']);
    const pod = () => objects.get('Deployment')!.spec.template;
    const container = () => pod().spec.containers[0];

    it('runs three hardened replicas spread over nodes and zones, rolled one extra pod at a time', () => {
      const deployment = objects.get('Deployment')!;
      expect(deployment.spec.replicas).toBe(3);
      expect(deployment.spec.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
      });
      expect(
        pod().spec.topologySpreadConstraints.map((c: any) => c.topologyKey),
      ).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      expect(pod().spec.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        fsGroup: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container().securityContext).toEqual({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(pod().spec.automountServiceAccountToken).toBe(false);
      expect(objects.get('ServiceAccount')!.automountServiceAccountToken).toBe(
        false,
      );
      expect(container().volumeMounts).toContainEqual({
        name: 'tmp',
        mountPath: '/tmp',
      });
    });

    it("keeps the image's tini entrypoint and pins the image by digest", () => {
      expect(container().command).toBeUndefined();
      expect(container().args).toEqual([
        'node',
        '--require',
        './packages/backend/instrumentation.js',
        'packages/backend',
        '--config',
        'app-config.yaml',
        '--config',
        'app-config.production.yaml',
        '--config',
        '/etc/causeway/app-config.deployment.yaml',
      ]);
      expect(container().image).toMatch(
        /^registry\.example\.com\/platform\/causeway@sha256:[a-f0-9]{64}$/,
      );
      // The ServiceMonitor's port is where the backend serves its metrics.
      expect(container().env).toContainEqual({
        name: 'CAUSEWAY_METRICS_PORT',
        value: '9464',
      });
    });

    it('probes readiness and liveness on their own endpoints, and stops after the shutdown delay and running tasks', () => {
      expect(container().readinessProbe.httpGet.path).toBe(
        '/.backstage/health/v1/readiness',
      );
      expect(container().livenessProbe.httpGet.path).toBe(
        '/.backstage/health/v1/liveness',
      );
      expect(container().startupProbe.httpGet.path).toBe(
        '/.backstage/health/v1/liveness',
      );
      const { periodSeconds, failureThreshold } = container().readinessProbe;
      const delay = config().backend.lifecycle.serverShutdownDelay.seconds;
      expect(delay).toBeGreaterThan(periodSeconds * failureThreshold);
      expect(pod().spec.terminationGracePeriodSeconds).toBeGreaterThan(
        delay + 60,
      );
    });

    it('writes the deployment config: production, the most replicas, pools within 80% of max_connections', () => {
      const { causeway, app, backend } = config();
      expect(causeway.deployment).toEqual({ mode: 'production', replicas: 6 });
      expect(app.baseUrl).toBe('https://portal.example.com');
      expect(backend.baseUrl).toBe('https://portal.example.com');
      // 6 replicas x 13 plugin databases x 3 = 234 <= 80% of 300.
      expect(backend.database.knexConfig.pool.max).toBe(3);
      expect(config().auth.providers.oidc.production.clientId).toBe('causeway');
      const hpa = objects.get('HorizontalPodAutoscaler')!;
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 6]);
      expect(pod().metadata.annotations['checksum/config']).toMatch(
        /^[a-f0-9]{64}$/,
      );
    });

    it('rolls the pods when the config changes', async () => {
      const other = await helmTemplate(
        [haValues],
        ['postgresql.maxConnections=400'],
      );
      const { files } = parseRendered(other.stdout, 'other');
      const deployment = files.find(f => f.object.kind === 'Deployment')!
        .object as any;
      expect(
        deployment.spec.template.metadata.annotations['checksum/config'],
      ).not.toBe(pod().metadata.annotations['checksum/config']);
    });

    it('labels every object as the golden paths label a service', () => {
      for (const object of objects.values()) {
        expect(object.metadata.labels).toMatchObject({
          'app.kubernetes.io/name': 'causeway',
          'app.kubernetes.io/part-of': 'developer-platform',
          'backstage.io/kubernetes-id': 'causeway',
          'causeway.dev/owner': 'platform-admins',
        });
      }
      expect(pod().metadata.labels['backstage.io/kubernetes-id']).toBe(
        'causeway',
      );
    });

    it('keeps the signals WebSocket open through the ingress, and lets in only the ingress controller and monitoring', () => {
      expect(objects.get('Ingress')!.metadata.annotations).toMatchObject({
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
        'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
      });
      const policy = objects.get('NetworkPolicy')!.spec;
      expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(
        policy.ingress.map(
          (r: any) =>
            r.from[0].namespaceSelector.matchLabels[
              'kubernetes.io/metadata.name'
            ],
        ),
      ).toEqual(['ingress-nginx', 'monitoring']);
      // DNS, PostgreSQL, the git host, the cluster API server, sign-in.
      expect(
        policy.egress.map((r: any) => r.ports.map((p: any) => p.port)),
      ).toEqual([[53, 53], [5432], [443, 22], [6443], [443]]);
      expect(policy.egress[1].to).toEqual([
        { ipBlock: { cidr: '10.20.0.0/24' } },
      ]);
    });

    it('reads every credential from the Secret an ExternalSecret writes', () => {
      const secret = objects.get('ExternalSecret')!.spec;
      const keys = secret.data.map((d: any) => d.secretKey);
      expect(keys).toContain('POSTGRES_PASSWORD');
      expect(keys).toContain('AUTH_OIDC_CLIENT_SECRET');
      for (const key of keys) {
        expect(container().env).toContainEqual({
          name: key,
          valueFrom: {
            secretKeyRef: { name: secret.target.name, key },
          },
        });
      }
      expect(
        container()
          .env.filter((e: any) => e.value !== undefined)
          .map((e: any) => e.name),
      ).not.toContain('POSTGRES_PASSWORD');
    });
  });

  it('uses an existing Secret instead of an ExternalSecret when told to', async () => {
    const result = await helmTemplate(
      [minimalValues],
      ['secrets.existingSecret=causeway-credentials'],
    );
    expect(result.code).toBe(0);
    const { files } = parseRendered(result.stdout, 'existing secret');
    expect(files.map(f => f.object.kind)).not.toContain('ExternalSecret');
    expect(result.stdout).toContain('name: causeway-credentials');
  });

  describe('refuses unsafe values', () => {
    const badFiles = listFiles(badValuesDir).map(f => `${badValuesDir}/${f}`);

    it('has a bad values file for each refusal', () => {
      expect(badFiles.length).toBeGreaterThanOrEqual(10);
    });

    it.each(badFiles)('%s', async file => {
      const result = await helmTemplate([minimalValues, file]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(expectation(file));
    });
  });
});

describe('deploy/kustomize', () => {
  it('has a base that is what the chart renders with the HA values', async () => {
    const result = await run('scripts/render-kustomize-base.sh', ['--check']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('builds the production overlay offline into valid objects with the production digest', async () => {
    const result = await run('kubectl', ['kustomize', overlayDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { files, problems } = parseRendered(result.stdout, overlayDir);
    expect(problems).toEqual([]);
    expect(findManifestProblems(files)).toEqual([]);
    expect(files.every(f => f.object.metadata.namespace === 'causeway')).toBe(
      true,
    );
    const deployment = files.find(f => f.object.kind === 'Deployment')!
      .object as any;
    const { image, resources } = deployment.spec.template.spec.containers[0];
    expect(image).toBe(
      'registry.example.com/platform/causeway@sha256:9c4d2e1f0a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d',
    );
    expect(resources.limits.memory).toBe('3Gi');
  });
});

describe('deploy/argocd and the overlay Application', () => {
  it.each([
    'deploy/argocd/causeway-application.yaml',
    `${overlayDir}/argocd-application.yaml`,
  ])('%s is a valid Argo CD Application', file => {
    const { files, problems } = parseRendered(readRepoFile(file), file);
    expect(problems).toEqual([]);
    expect(files.map(f => f.object.kind)).toEqual(['Application']);
    expect(findManifestProblems(files)).toEqual([]);
  });

  it('gives the chart Application values the schema accepts', async () => {
    const application = parse(
      readRepoFile('deploy/argocd/causeway-application.yaml'),
    );
    const values = JSON.stringify(application.spec.source.helm.valuesObject);
    // JSON is YAML: pass the Application's values to helm as a values file.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'causeway-argocd-'));
    try {
      const file = path.join(dir, 'values.json');
      await fs.writeFile(file, values);
      const objects = await renderValid(file);
      expect(objects.get('Deployment')!.spec.replicas).toBe(3);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
