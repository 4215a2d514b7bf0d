import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { parseAllDocuments } from 'yaml';
import {
  applied,
  CROSSPLANE_CLAIMS,
  EXTERNAL_SECRET,
  KubernetesObject,
  pod,
  POD_METRICS,
  podMetrics,
  replicaSet,
  SERVICE_MONITOR,
  StandInApiServer,
  startStandInApiServer,
} from '@causeway/kubernetes-stand-in';
import { launchChromium } from './__testUtils__/browser';
import { Portal, startPortal } from './__testUtils__/startPortal';

jest.setTimeout(600_000);

/** The service account token both stand-ins are configured with. */
const TOKEN = 'stand-in-service-account-token-5f0c9e';
const SERVICE = 'chargeback-api';
const NAMESPACE = 'payments-team';
const CLAIM = `${SERVICE}-db`;
/** The critical tier's HPA scales between 3 and 10; 12 is someone's hand. */
const SCALED_BY_HAND = 12;
const SYNC_ERROR =
  'cannot compose resources: cannot apply composed resource "instance": InvalidParameterValue: storage quota exceeded';

/** Polls `attempt` until it gives a value; bounded. */
async function eventually<T>(
  attempt: () => Promise<T | undefined>,
  what: string,
  tries = 240,
): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`Gave up waiting for ${what}${last ? `: ${last}` : ''}`);
}

/**
 * A developer's service in the clusters: the Kubernetes tab (the upstream
 * plugin), and the Infrastructure and GitOps tabs, for a service created
 * through the golden path with a PostgreSQL claim. Two STAND-INS play the
 * clusters (no cluster can run here): production holds what Argo CD would
 * have applied from the service's GitOps folder, with the Deployment scaled
 * by hand beyond its HPA and the claim failing to sync; staging's service
 * account may read nothing (403 for everything).
 */
describe('a service’s clusters in a browser', () => {
  let production: StandInApiServer;
  let staging: StandInApiServer;
  let portal: Portal;
  let browser: Browser;
  let page: Page;
  let deploymentName: string;
  /** How many objects production holds of what git declares. */
  let appliedCount: number;

  /** Signs the guest in as the sign-in page does; a Backstage token. */
  const guestToken = async () => {
    const res = await fetch(`${portal.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    if (!res.ok) throw new Error(`guest sign-in: HTTP ${res.status}`);
    return (await res.json()).backstageIdentity.token as string;
  };

  const api = async (
    token: string,
    method: string,
    apiPath: string,
    body?: unknown,
  ) => {
    const res = await fetch(`${portal.baseUrl}${apiPath}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  };

  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['--git-dir', path.join(portal.dataDir, 'git', 'gitops.git'), ...args],
      { encoding: 'utf8' },
    );

  /** The objects of the YAML files under a folder of the GitOps repository. */
  const objectsIn = (folder: string): KubernetesObject[] =>
    git('ls-tree', '-r', '--name-only', 'main', folder)
      .split('\n')
      .filter(file => file.endsWith('.yaml'))
      .flatMap(file =>
        parseAllDocuments(git('show', `main:${file}`)).map(
          d => d.toJS() as KubernetesObject,
        ),
      )
      .filter(Boolean);

  beforeAll(async () => {
    // Both have the platform's CRDs installed; staging's service account
    // may read none of it.
    const crds = [SERVICE_MONITOR, EXTERNAL_SECRET, ...CROSSPLANE_CLAIMS];
    [production, staging] = await Promise.all([
      startStandInApiServer({ token: TOKEN, serve: [...crds, POD_METRICS] }),
      startStandInApiServer({ token: TOKEN, serve: crds, forbid: ['*'] }),
    ]);
    // The whole kubernetes block: config arrays replace, they do not merge.
    const cluster = (name: string, server: StandInApiServer) =>
      [
        `        - name: ${name}`,
        `          url: ${server.url}`,
        '          authProvider: serviceAccount',
        `          serviceAccountToken: ${TOKEN}`,
        '          skipTLSVerify: true',
      ].join('\n');
    [portal, browser] = await Promise.all([
      startPortal({
        extraConfig: [
          'kubernetes:',
          '  serviceLocatorMethod:',
          '    type: multiTenant',
          '  clusterLocatorMethods:',
          '    - type: config',
          '      clusters:',
          cluster('production', production),
          cluster('staging', staging),
        ].join('\n'),
      }),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await production?.close();
    await staging?.close();
  });

  it('creates the service with a PostgreSQL claim through the scaffolder API', async () => {
    // The demo organisation and the templates load after start-up; a token
    // from before the guest's groups are in the catalog would lack them.
    await eventually(async () => {
      const token = await guestToken();
      const refs = [
        'template/default/service-nodejs',
        'group/default/payments-team',
        'system/default/checkout-system',
        'user/default/guest',
      ];
      const found = await Promise.all(
        refs.map(ref =>
          api(token, 'GET', `/api/catalog/entities/by-name/${ref}`),
        ),
      );
      return found.every(f => f.status === 200) || undefined;
    }, 'the templates and the demo organisation in the catalog');
    const token = await guestToken();

    const created = await api(token, 'POST', '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/service-nodejs',
      values: {
        name: SERVICE,
        description: 'Handles card payment chargebacks',
        owner: `group:default/${NAMESPACE}`,
        system: 'system:default/checkout-system',
        tier: 'critical',
        infrastructure: 'PostgreSQLInstance',
      },
    });
    expect(created.status).toBe(201);
    const task = await eventually(async () => {
      const res = await api(
        token,
        'GET',
        `/api/scaffolder/v2/tasks/${created.body.id}`,
      );
      return ['completed', 'failed', 'cancelled'].includes(res.body?.status)
        ? res.body
        : undefined;
    }, 'the golden path run');
    if (task.status !== 'completed') {
      const events = await api(
        token,
        'GET',
        `/api/scaffolder/v2/tasks/${created.body.id}/events`,
      );
      throw new Error(
        `The golden path run ${task.status}:\n${(events.body as any[])
          .map(e => e.body?.message)
          .join('\n')}`,
      );
    }
    await eventually(async () => {
      const res = await api(
        token,
        'GET',
        `/api/catalog/entities/by-name/component/default/${SERVICE}`,
      );
      return res.status === 200 || undefined;
    }, `${SERVICE} in the catalog`);
  });

  it('loads production with what Argo CD would have applied, scaled by hand and the claim not synced', () => {
    const folder = `apps/production/${NAMESPACE}/${SERVICE}`;
    const manifests = [
      ...objectsIn(folder),
      ...objectsIn(`infrastructure/production/${NAMESPACE}`),
    ].filter(
      // Argo CD's own Applications live in its namespace; kustomize's file
      // is never applied; Secrets are not read from clusters.
      o => !['Application', 'Kustomization', 'Secret'].includes(o.kind),
    );
    expect(manifests.map(o => o.kind)).toEqual(
      expect.arrayContaining([
        'Deployment',
        'HorizontalPodAutoscaler',
        'PostgreSQLInstance',
        'Service',
      ]),
    );

    const deployment = manifests.find(o => o.kind === 'Deployment')!;
    deploymentName = deployment.metadata.name;
    appliedCount = manifests.length;
    const hpa = manifests.find(o => o.kind === 'HorizontalPodAutoscaler')!;
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    const template = (deployment.spec as any).template;
    const workload = {
      name: deploymentName,
      namespace: NAMESPACE,
      labels: template.metadata.labels,
      image: template.spec.containers[0].image,
    };

    for (const manifest of manifests) {
      if (manifest.kind === 'Deployment') {
        production.add(
          applied({
            ...manifest,
            spec: { ...(manifest.spec as object), replicas: SCALED_BY_HAND },
          }),
        );
      } else if (manifest.kind === 'PostgreSQLInstance') {
        const time = '2026-11-24T08:03:12Z';
        production.add(
          applied(manifest, {
            status: {
              conditions: [
                {
                  type: 'Synced',
                  status: 'False',
                  reason: 'ReconcileError',
                  message: SYNC_ERROR,
                  lastTransitionTime: time,
                  observedGeneration: 1,
                },
                {
                  type: 'Ready',
                  status: 'True',
                  reason: 'Available',
                  lastTransitionTime: time,
                  observedGeneration: 1,
                },
              ],
            },
          }),
        );
      } else {
        production.add(applied(manifest));
      }
    }
    // The pods of the Deployment's current ReplicaSet, with their metrics.
    production.add(replicaSet({ ...workload, replicas: SCALED_BY_HAND }));
    for (let i = 0; i < SCALED_BY_HAND; i++) {
      const suffix = `x${'bcdfghjklmnp'[i]}7q2`;
      production.add(pod({ ...workload, suffix }));
      production.add(podMetrics({ ...workload, suffix }));
    }
  });

  it('shows production’s deployment and pods on the Kubernetes tab, and staging’s error', async () => {
    await page.goto(portal.baseUrl);
    await page.getByRole('button', { name: /enter/i }).click();
    await page.getByText('Golden paths').first().waitFor();

    await page.goto(
      `${portal.baseUrl}/catalog/default/component/${SERVICE}/kubernetes`,
    );
    const cluster = page
      .locator('.MuiAccordion-root')
      .filter({ hasText: 'production' })
      .first();
    await cluster.getByText(`${SCALED_BY_HAND} pods`).first().waitFor();
    await cluster.getByText('No pods with errors').first().waitFor();
    await cluster.getByText('production', { exact: true }).click();
    const deployment = cluster
      .locator('.MuiAccordion-root')
      .filter({ hasText: deploymentName });
    await deployment.getByText('min replicas 3 / max replicas 10').waitFor();
    await deployment.getByText(`${SCALED_BY_HAND} pods`).waitFor();

    const problem = page
      .locator('.MuiAccordion-root')
      .filter({ hasText: 'There was a problem retrieving Kubernetes objects' })
      .first();
    await problem.waitFor();
    await problem
      .getByText('There was a problem retrieving Kubernetes objects')
      .click();
    await problem.getByText('Cluster: staging').waitFor();
    await problem
      .getByText(/status code: 403/)
      .first()
      .waitFor();
    await expect(
      problem.getByText('Cluster: production').count(),
    ).resolves.toBe(0);
    expect(await page.content()).not.toContain(TOKEN);
  });

  it('shows the claim Ready but not Synced, with the reason, on the Infrastructure tab', async () => {
    await page.goto(
      `${portal.baseUrl}/catalog/default/component/${SERVICE}/infrastructure`,
    );
    await page.getByText(`PostgreSQLInstance ${CLAIM}`).waitFor();
    const clusters = page.getByRole('table', {
      name: `${CLAIM} in the clusters`,
    });
    const productionRow = clusters.getByRole('row', { name: /^production/ });
    await productionRow.getByLabel('Ready: True').waitFor();
    await productionRow.getByLabel('Synced: False').waitFor();
    await productionRow.getByText(`ReconcileError: ${SYNC_ERROR}`).waitFor();
    await productionRow.getByText(`${CLAIM}-connection`).waitFor();

    const stagingRow = clusters.getByRole('row', { name: /^staging/ });
    await expect(stagingRow.getByRole('alert').textContent()).resolves.toMatch(
      /staging: .*the service account may not get postgresqlinstances\.platform\.causeway\.dev \(HTTP 403\)/,
    );
    expect(await page.content()).not.toContain(TOKEN);
  });

  it('shows the files, the guest’s commit and the hand-scaled replicas as drift on the GitOps tab', async () => {
    await page.goto(
      `${portal.baseUrl}/catalog/default/component/${SERVICE}/gitops`,
    );
    const folder = `apps/production/${NAMESPACE}/${SERVICE}`;
    await page
      .getByRole('listitem', { name: `${folder}/deployment.yaml` })
      .waitFor();

    const commits = page.getByRole('table', { name: 'Recent commits' });
    const commit = commits.getByRole('row', {
      name: new RegExp(`Add ${SERVICE} \\(service-nodejs\\) for ${NAMESPACE}`),
    });
    // The guest's display name in the demo organisation (examples/org.yaml).
    await commit.getByText('Guest (local)').waitFor();

    const productionDrift = page.getByRole('region', { name: 'production' });
    const differences = productionDrift.getByRole('table', {
      name: `Differences of Deployment ${NAMESPACE}/${deploymentName}`,
    });
    const replicas = differences.getByRole('row', { name: /spec\.replicas/ });
    await expect(replicas.getByRole('cell').allTextContents()).resolves.toEqual(
      [
        'spec.replicas',
        '"3–10 (HorizontalPodAutoscaler)"',
        String(SCALED_BY_HAND),
      ],
    );
    // Everything else Argo CD applied is as git has it.
    const summary = await productionDrift
      .getByLabel(/ in sync · /)
      .getAttribute('aria-label');
    expect(summary).toBe(
      `${
        appliedCount - 1
      } in sync · 1 different · 0 missing in cluster · 0 not in git`,
    );

    const stagingDrift = page.getByRole('region', { name: 'staging' });
    await expect(
      stagingDrift.getByRole('alert').textContent(),
    ).resolves.toMatch(
      /staging: .*the service account may not (list|get) \S+ \(HTTP 403\)/,
    );
    expect(await page.content()).not.toContain(TOKEN);
  });

  it('called the clusters with the service account token, which the pages never show', async () => {
    // Each stand-in answers 401 to any other token than TOKEN, and its log
    // records only whether a request carried one.
    for (const server of [production, staging]) {
      expect(server.requests.length).toBeGreaterThan(0);
      expect(server.requests.every(r => r.authorization)).toBe(true);
    }
    // The views asked production for the service's objects by its label.
    expect(production.requests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`,
          labelSelector: `backstage.io/kubernetes-id=${SERVICE}`,
          authorization: true,
        }),
      ]),
    );
    for (const tab of ['kubernetes', 'infrastructure', 'gitops']) {
      await page.goto(
        `${portal.baseUrl}/catalog/default/component/${SERVICE}/${tab}`,
      );
      await page.getByText('production').first().waitFor();
      expect(await page.locator('body').innerText()).not.toContain(TOKEN);
    }
    // Nor do the portal's logs, where the failing staging cluster is logged.
    expect(portal.output()).toContain('staging');
    expect(portal.output()).not.toContain(TOKEN);
  });
});
