import { Suspense } from 'react';
import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  KubernetesApi,
  kubernetesApiRef,
} from '@backstage/plugin-kubernetes-react';
import {
  kubernetesEntityObjectsReadPermission,
  NO_CLUSTER_MESSAGE,
} from '@causeway/plugin-gitops-common';
import { ownersOnlyKubernetesContent } from './kubernetesModule';
import { ClustersConfigured } from './ClustersConfigured';
import { OwnersOnly } from './OwnersOnly';

// One service per test: usePermission caches answers by entity.
function service(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': name },
    },
    spec: { type: 'service', owner: 'group:default/orders-team' },
  };
}

const PRODUCTION = { name: 'production', authProvider: 'serviceAccount' };

// The Kubernetes backend's answers: the clusters it knows, and no objects.
function kubernetesBackend(clusters: Array<typeof PRODUCTION>) {
  const none = async () => ({ items: [] });
  return {
    getClusters: jest.fn(async () => clusters),
    getCluster: async (name: string) => clusters.find(c => c.name === name),
    getObjectsByEntity: jest.fn(none),
    getWorkloadsByEntity: none,
    getCustomObjectsByEntity: none,
    proxy: async () => new Response('{}'),
  } satisfies KubernetesApi;
}

function renderFor(
  name: string,
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  element: JSX.Element,
  kubernetes = kubernetesBackend([PRODUCTION]),
) {
  const asked: Array<{ permission: string; resourceRef?: string }> = [];
  renderInTestApp(
    // The app puts every tab under a Suspense; the stock content is lazy.
    <Suspense fallback={null}>
      <EntityProvider entity={service(name)}>{element}</EntityProvider>
    </Suspense>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [kubernetesApiRef, kubernetes],
        mockApis.permission({
          authorize: request => {
            asked.push({
              permission: request.permission.name,
              resourceRef: (request as { resourceRef?: string }).resourceRef,
            });
            return result;
          },
        }),
      ],
    },
  );
  return asked;
}

describe('the Kubernetes tab', () => {
  it("tells a reader who does not own the service who may see its objects, instead of the backend's 403", async () => {
    const asked = renderFor('order-service', AuthorizeResult.DENY, tab());

    expect(
      await screen.findByText(/Only its owners see this service's Kubernetes/),
    ).toBeInTheDocument();
    expect(asked).toContainEqual({
      permission: kubernetesEntityObjectsReadPermission.name,
      resourceRef: 'component:default/order-service',
    });
  });

  it('shows the content to those the policy allows', async () => {
    renderFor(
      'payment-service',
      AuthorizeResult.ALLOW,
      <OwnersOnly>
        <p>live pods</p>
      </OwnersOnly>,
    );

    expect(await screen.findByText('live pods')).toBeInTheDocument();
    expect(screen.queryByText(/Only its owners/)).not.toBeInTheDocument();
  });

  it('says no cluster is configured, and where the service is shown instead, when the Kubernetes backend knows none', async () => {
    const kubernetes = kubernetesBackend([]);
    renderFor('ledger-service', AuthorizeResult.ALLOW, tab(), kubernetes);

    expect(
      await screen.findByText('No Kubernetes cluster is configured', {
        exact: false,
      }),
    ).toHaveTextContent(NO_CLUSTER_MESSAGE);
    expect(screen.getByRole('link', { name: 'GitOps' })).toHaveAttribute(
      'href',
      '/catalog/default/component/ledger-service/gitops',
    );
    expect(
      screen.getByRole('link', { name: 'Infrastructure' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/ledger-service/infrastructure',
    );
    expect(screen.queryByText(/No resources on any known clusters/)).toBeNull();
    expect(kubernetes.getObjectsByEntity).not.toHaveBeenCalled();
  });

  it('says so to a reader who does not own the service too: which clusters exist is no secret', async () => {
    renderFor(
      'refund-service',
      AuthorizeResult.DENY,
      tab(),
      kubernetesBackend([]),
    );

    expect(
      await screen.findByText(/This portal shows no live Kubernetes objects/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Only its owners/)).toBeNull();
  });

  it('shows the stock tab when the Kubernetes backend knows a cluster', async () => {
    const kubernetes = kubernetesBackend([PRODUCTION]);
    renderFor(
      'invoice-service',
      AuthorizeResult.ALLOW,
      <ClustersConfigured>
        <p>live pods</p>
      </ClustersConfigured>,
      kubernetes,
    );

    expect(await screen.findByText('live pods')).toBeInTheDocument();
    expect(kubernetes.getClusters).toHaveBeenCalled();
    expect(
      screen.queryByText(/No Kubernetes cluster is configured/),
    ).toBeNull();
  });
});

function tab() {
  return createExtensionTester(ownersOnlyKubernetesContent).get(
    coreExtensionData.reactElement,
  );
}
