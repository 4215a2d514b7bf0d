import {
  deployment,
  horizontalPodAutoscaler,
  pod,
  POD_METRICS,
  replicaSet,
  service,
  StandInApiServer,
  startStandInApiServer,
} from '@causeway/kubernetes-stand-in';
import { apiClient, eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import { startCausewayBackend } from './__testUtils__/startCausewayBackend';
import {
  authModuleTestSignIn,
  signInAs,
} from './__testUtils__/testSignInProvider';

jest.setTimeout(180_000);

const PRODUCTION_TOKEN = 'production-service-account-token-3f9a';
const STAGING_TOKEN = 'staging-service-account-token-77c1';
const PAYMENT = 'component:default/payment-service';

/*
 * (The upstream backend loads @kubernetes/client-node with a dynamic
 * import(), which Jest's VM cannot run without --experimental-vm-modules:
 * package.json's jest.transform turns dynamic imports in .js files into
 * require calls.)
 *
 * The Kubernetes tab's backend (the upstream @backstage/plugin-kubernetes-
 * backend) in the real Causeway backend, against two STAND-IN Kubernetes API
 * servers (no cluster can run here; see @causeway/kubernetes-stand-in):
 * production runs the demo payment-service, staging refuses the portal's
 * service account.
 */
describe.each(backendDatabaseIds)(
  'the Kubernetes tab against stand-in clusters on %s',
  databaseId => {
    let production: StandInApiServer;
    let staging: StandInApiServer;
    let stop: () => Promise<void>;
    let baseUrl: string;

    beforeAll(async () => {
      const workload = { name: 'payment-service', namespace: 'payments' };
      production = await startStandInApiServer({
        token: PRODUCTION_TOKEN,
        serve: [POD_METRICS],
        objects: [
          deployment({ ...workload, replicas: 2 }),
          replicaSet({ ...workload, replicas: 2 }),
          pod({ ...workload, suffix: 'a1b2c' }),
          pod({ ...workload, suffix: 'd3e4f', ready: false, restartCount: 7 }),
          service(workload),
          horizontalPodAutoscaler({ ...workload, minReplicas: 2 }),
          // Another service's pod: not the payment service's.
          pod({ name: 'order-service', namespace: 'orders', suffix: 'x9y8z' }),
        ],
      });
      staging = await startStandInApiServer({
        token: STAGING_TOKEN,
        user: 'system:serviceaccount:backstage:portal',
        forbid: ['*'],
      });
      const cluster = (
        name: string,
        server: StandInApiServer,
        token: string,
      ) => ({
        name,
        url: server.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: token,
      });
      const started = await startCausewayBackend({
        database: databaseId,
        extraFeatures: [authModuleTestSignIn],
        config: {
          auth: { providers: { test: {} } },
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  cluster('production', production, PRODUCTION_TOKEN),
                  cluster('staging', staging, STAGING_TOKEN),
                ],
              },
            ],
          },
        },
      });
      stop = started.stop;
      baseUrl = started.backend.baseUrl;
    });

    afterAll(async () => {
      await stop?.();
      await production?.close();
      await staging?.close();
    });

    it("shows the service's workloads from the cluster that answers, and the other cluster's error", async () => {
      const bob = apiClient(
        baseUrl,
        await eventually(() => signInAs(baseUrl, 'bob'), 'bob in the catalog'),
      );
      await eventually(async () => {
        const res = await bob(
          'GET',
          '/api/catalog/entities/by-name/component/default/payment-service',
        );
        return res.status === 200 || undefined;
      }, 'payment-service in the catalog');

      // What the Kubernetes tab asks for an entity.
      const res = await bob(
        'POST',
        '/api/kubernetes/services/payment-service',
        {
          entity: (
            await bob(
              'GET',
              '/api/catalog/entities/by-name/component/default/payment-service',
            )
          ).body,
        },
      );
      expect([res.status, res.body.error]).toEqual([200, undefined]);
      const byCluster = new Map<string, any>(
        res.body.items.map((item: any) => [item.cluster.name, item]),
      );
      expect([...byCluster.keys()].sort()).toEqual(['production', 'staging']);

      const prod = byCluster.get('production');
      expect(prod.errors).toEqual([]);
      const names = (type: string) =>
        prod.resources
          .find((r: any) => r.type === type)
          ?.resources.map((o: any) => o.metadata.name)
          .sort();
      expect(names('deployments')).toEqual(['payment-service']);
      expect(names('replicasets')).toHaveLength(1);
      expect(names('pods')).toEqual([
        expect.stringMatching(/^payment-service-.*a1b2c$/),
        expect.stringMatching(/^payment-service-.*d3e4f$/),
      ]);
      expect(names('services')).toEqual(['payment-service']);
      expect(names('horizontalpodautoscalers')).toEqual(['payment-service']);
      // The crash-looping pod's restarts reach the tab.
      const crashing = prod.resources
        .find((r: any) => r.type === 'pods')
        .resources.find((p: any) => p.metadata.name.endsWith('d3e4f'));
      expect(crashing.status.containerStatuses[0].restartCount).toBe(7);

      // Staging refused the service account: surfaced as the cluster's
      // errors, with the API server's status, not as an empty cluster.
      const stage = byCluster.get('staging');
      expect(stage.resources.every((r: any) => r.resources.length === 0)).toBe(
        true,
      );
      expect(stage.errors.length).toBeGreaterThan(0);
      // (The upstream backend names only 401 UNAUTHORIZED_ERROR; a 403 is
      // shown with its status code.)
      expect(stage.errors[0]).toMatchObject({
        statusCode: 403,
        resourcePath: expect.stringMatching(/^\/api|^\/apis/),
      });

      // Only the payment service's objects were asked for, with the token.
      expect(production.requests.filter(r => r.path.endsWith('/pods'))).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            labelSelector: 'backstage.io/kubernetes-id=payment-service',
            authorization: true,
          }),
        ]),
      );
      // No token in what the user gets.
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(PRODUCTION_TOKEN);
      expect(text).not.toContain(STAGING_TOKEN);
    });

    it("shows an entity's Kubernetes objects to its owners and platform admins only", async () => {
      const user = async (name: string) =>
        apiClient(baseUrl, await signInAs(baseUrl, name));
      // dave is in orders-team; payment-service is payments-team's.
      const [dave, alice, bob] = await Promise.all(
        ['dave', 'alice', 'bob'].map(user),
      );
      const entity = (
        await dave(
          'GET',
          '/api/catalog/entities/by-name/component/default/payment-service',
        )
      ).body;
      const asked = production.requests.length;
      const refused = [
        await dave('POST', '/api/kubernetes/services/payment-service', {
          entity,
        }),
        await dave('POST', '/api/kubernetes/resources/workloads/query', {
          entityRef: PAYMENT,
        }),
        await dave('POST', '/api/kubernetes/resources/custom/query', {
          entityRef: PAYMENT,
          customResources: [
            {
              group: 'argoproj.io',
              apiVersion: 'v1alpha1',
              plural: 'rollouts',
            },
          ],
        }),
      ];
      for (const res of refused) {
        expect([res.status, res.body.error?.message]).toEqual([
          403,
          `Only the owners of ${PAYMENT} and platform admins may see its Kubernetes objects`,
        ]);
      }
      // Refused before any cluster was asked.
      expect(production.requests.length).toBe(asked);

      for (const allowed of [alice, bob]) {
        const res = await allowed(
          'POST',
          '/api/kubernetes/resources/workloads/query',
          { entityRef: PAYMENT },
        );
        expect(res.status).toBe(200);
        const prod = res.body.items.find(
          (item: any) => item.cluster.name === 'production',
        );
        expect(
          prod.resources
            .find((r: any) => r.type === 'pods')
            .resources.map((p: any) => p.metadata.name),
        ).toHaveLength(2);
      }
    });

    it('keeps the GitOps and Infrastructure views of an entity answering while a cluster refuses', async () => {
      const bob = apiClient(baseUrl, await signInAs(baseUrl, 'bob'));
      const [kind, rest] = PAYMENT.split(':');
      const [namespace, name] = rest.split('/');
      const gitops = await bob(
        'GET',
        `/api/gitops/entities/${namespace}/${kind}/${name}/gitops`,
      );
      expect(gitops.status).toBe(200);
      // The demo payment-service has no GitOps folder: it says so, and the
      // clusters are configured.
      expect(gitops.body).toMatchObject({
        entityRef: PAYMENT,
        files: [],
        clusters: { configured: true },
      });
      const infrastructure = await bob(
        'GET',
        `/api/gitops/entities/${namespace}/${kind}/${name}/infrastructure`,
      );
      expect(infrastructure.status).toBe(200);
      expect(infrastructure.body).toMatchObject({
        entityRef: PAYMENT,
        clusters: { configured: true },
      });
    });
  },
);
