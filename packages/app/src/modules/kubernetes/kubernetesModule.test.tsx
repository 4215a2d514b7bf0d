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
import { kubernetesEntityObjectsReadPermission } from '@causeway/plugin-gitops-common';
import { ownersOnlyKubernetesContent } from './kubernetesModule';
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

function renderFor(
  name: string,
  result: AuthorizeResult,
  element: JSX.Element,
) {
  const asked: Array<{ permission: string; resourceRef?: string }> = [];
  renderInTestApp(
    <EntityProvider entity={service(name)}>{element}</EntityProvider>,
    {
      apis: [
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
    const tab = createExtensionTester(ownersOnlyKubernetesContent).get(
      coreExtensionData.reactElement,
    );
    const asked = renderFor('order-service', AuthorizeResult.DENY, tab);

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
});
