import { Entity } from '@backstage/catalog-model';
import { CatalogFactProvider } from './CatalogFactProvider';

const paymentService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payment-service',
    namespace: 'default',
    description: 'Handles all payment processing.',
    annotations: {
      'backstage.io/kubernetes-id': 'payment-service',
      'pagerduty.com/service-id': 'P123',
      'causeway.dev/gitops-path': 'apps/payment-service',
    },
    tags: ['payments', 'pci'],
    links: [
      {
        url: 'https://runbooks.example.com/p',
        title: 'Runbook',
        type: 'runbook',
      },
      { url: 'https://docs.example.com/p', title: 'API documentation' },
      { url: 'https://slo.example.com/p', type: 'slo' },
    ],
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'payments-team',
    system: 'checkout-system',
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/payments-team' },
    { type: 'partOf', targetRef: 'system:default/checkout-system' },
    { type: 'providesApi', targetRef: 'api:default/payment-api' },
    { type: 'dependsOn', targetRef: 'component:default/order-service' },
    { type: 'dependsOn', targetRef: 'resource:default/payments-db' },
  ],
};

describe('CatalogFactProvider', () => {
  const provider = new CatalogFactProvider();

  it('declares every fact it reports, with a description', async () => {
    const facts = (await provider.collect([paymentService])).get(
      'component:default/payment-service',
    )!;
    expect(provider.facts.map(f => f.name).sort()).toEqual(
      Object.keys(facts).sort(),
    );
    expect(provider.facts.every(f => f.description.length > 10)).toBe(true);
  });

  it('computes the facts from the entity and its relations', async () => {
    const facts = await provider.collect([paymentService]);
    expect(facts.get('component:default/payment-service')).toEqual({
      'catalog.kind': 'Component',
      'catalog.type': 'service',
      'catalog.lifecycle': 'production',
      'catalog.ownerKind': 'Group',
      'catalog.hasDescription': true,
      'catalog.hasSystem': true,
      'catalog.hasDocsLink': true,
      'catalog.hasRunbookLink': true,
      'catalog.hasOnCall': true,
      'catalog.hasSlo': true,
      'catalog.hasKubernetesId': true,
      'catalog.hasSourceLocation': false,
      'catalog.hasGitOpsPath': true,
      'catalog.tags': ['payments', 'pci'],
      'catalog.tagCount': 2,
      'catalog.providesApiCount': 1,
      'catalog.dependsOnCount': 2,
    });
  });

  it('reports what a bare entity lacks', async () => {
    const bare: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'bare',
        description: ' ',
        links: [{ url: 'https://x', title: 'Dashboard', icon: 'docs' }],
      },
      spec: { owner: 'user:alice' },
    };
    const facts = (await provider.collect([bare])).get(
      'component:default/bare',
    );
    expect(facts).toMatchObject({
      'catalog.type': null,
      'catalog.lifecycle': null,
      'catalog.ownerKind': 'User',
      'catalog.hasDescription': false,
      'catalog.hasSystem': false,
      'catalog.hasDocsLink': false,
      'catalog.hasRunbookLink': false,
      'catalog.hasOnCall': false,
      'catalog.tags': [],
      'catalog.tagCount': 0,
      'catalog.providesApiCount': 0,
    });
    const noOwner = { ...bare, spec: {} };
    expect(
      (await provider.collect([noOwner])).get('component:default/bare')?.[
        'catalog.ownerKind'
      ],
    ).toBeNull();
  });
});
