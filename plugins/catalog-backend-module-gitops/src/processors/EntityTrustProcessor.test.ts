import { Entity } from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-node';
import { EntityTrustProcessor, repositoryOf } from './EntityTrustProcessor';

const PLATFORM = 'file:/srv/causeway/examples/entities.yaml';
const REGISTERED =
  'https://github.com/acme/refund-api/blob/main/catalog-info.yaml';

const processor = new EntityTrustProcessor({
  isTrustedOrigin: origin => origin === PLATFORM,
});

const component = (
  annotations: Record<string, string>,
  owner = 'group:default/payments-team',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'refund-api', annotations },
  spec: { type: 'service', lifecycle: 'production', owner },
});

const location = (ref: string): LocationSpec => {
  const [type, ...target] = ref.split(':');
  return { type, target: target.join(':') };
};

const processFrom = (origin: string, entity: Entity) =>
  processor.preProcessEntity(
    entity,
    location(origin),
    () => {},
    location(origin),
  );

const registered = (entity: Entity) => processFrom(`url:${REGISTERED}`, entity);

describe('EntityTrustProcessor', () => {
  it("accepts what a golden path's catalog-info.yaml carries, registered from its own repository", async () => {
    const entity = component({
      'backstage.io/kubernetes-id': 'refund-api',
      'backstage.io/kubernetes-namespace': 'payments-team',
      'backstage.io/source-location': 'url:https://github.com/acme/refund-api',
      'causeway.dev/gitops-path': 'apps/production/payments-team/refund-api',
      'causeway.dev/tier': 'standard',
      'github.com/project-slug': 'acme/refund-api',
    });
    await expect(registered(entity)).resolves.toBe(entity);
    // As the catalog derives it for a GitHub location.
    await expect(
      registered(
        component({
          'backstage.io/source-location':
            'url:https://github.com/acme/refund-api/tree/main/',
        }),
      ),
    ).resolves.toBeDefined();
  });

  it("refuses a GitOps folder of another team or another service, saying which folder is the entity's", async () => {
    await expect(
      registered(
        component({
          'causeway.dev/gitops-path':
            'apps/production/orders-team/order-service',
        }),
      ),
    ).rejects.toThrow(
      /^component:default\/refund-api was registered from url:https:\/\/github.com\/acme\/refund-api\/blob\/main\/catalog-info.yaml, not by the platform, so Causeway refuses these annotations on it: causeway.dev\/gitops-path: .* lives in apps\/production\/payments-team\/refund-api$/,
    );
    await expect(
      registered(
        component({
          'causeway.dev/gitops-path': 'apps/production/payments-team/ledger',
        }),
      ),
    ).rejects.toThrow(/causeway.dev\/gitops-path/);
    // Owned by a user, it has no team folder at all.
    await expect(
      registered(
        component(
          {
            'causeway.dev/gitops-path':
              'apps/production/payments-team/refund-api',
          },
          'user:default/bob',
        ),
      ),
    ).rejects.toThrow(/causeway.dev\/gitops-path: .*is not owned by a group/);
  });

  it('refuses a label selector, a claim and cluster annotations outright, and lists every problem', async () => {
    const error = await registered(
      component({
        'backstage.io/kubernetes-label-selector': 'app.kubernetes.io/name',
        'causeway.dev/claim':
          'platform.causeway.dev/v1alpha1/PostgreSQLInstance',
        'kubernetes.io/api-server': 'https://10.0.0.1',
      }),
    ).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message.split('annotations on it: ')[1].split('; ')).toEqual([
      "kubernetes.io/api-server: only the platform's own catalog files may describe a cluster",
      "backstage.io/kubernetes-label-selector: a selector can match other teams' workloads (use backstage.io/kubernetes-id with backstage.io/kubernetes-namespace: payments-team)",
      'causeway.dev/claim: only the claims in the GitOps repository are claim Resources',
    ]);
  });

  it("keeps Kubernetes lookups in the owner's namespace", async () => {
    await expect(
      registered(
        component({ 'backstage.io/kubernetes-namespace': 'orders-team' }),
      ),
    ).rejects.toThrow(
      'backstage.io/kubernetes-namespace: "orders-team" is not the namespace of its owner (allowed: payments-team)',
    );
    await expect(
      registered(component({ 'backstage.io/kubernetes-id': 'order-service' })),
    ).rejects.toThrow(
      'backstage.io/kubernetes-id: needs backstage.io/kubernetes-namespace: payments-team',
    );
  });

  it('refuses a source location in another repository', async () => {
    await expect(
      registered(
        component({
          'backstage.io/source-location':
            'url:https://github.com/acme/payments-secrets/tree/main/',
        }),
      ),
    ).rejects.toThrow(
      'backstage.io/source-location: "url:https://github.com/acme/payments-secrets/tree/main/" is not the repository it was registered from (allowed: url:https://github.com/acme/refund-api)',
    );
    // A prefix of the repository is the organisation, not the repository.
    await expect(
      registered(
        component({
          'backstage.io/source-location': 'url:https://github.com/acme',
        }),
      ),
    ).rejects.toThrow(/source-location/);
  });

  it("leaves the platform's own entities alone", async () => {
    const entity = component({
      'backstage.io/kubernetes-label-selector': 'app=payment-service',
      'causeway.dev/gitops-path': 'apps/production/payments/payment-service',
    });
    await expect(processFrom(PLATFORM, entity)).resolves.toBe(entity);
  });
});

describe('repositoryOf', () => {
  it('finds the repository of a file or folder URL on the usual git hosts', () => {
    expect(repositoryOf(`url:${REGISTERED}`, 'file')).toBe(
      'https://github.com/acme/refund-api',
    );
    expect(
      repositoryOf(
        'url:https://gitlab.example.com/g/sub/app/-/blob/main/catalog-info.yaml',
        'file',
      ),
    ).toBe('https://gitlab.example.com/g/sub/app');
    expect(repositoryOf('url:https://github.com/acme/app.git/', 'folder')).toBe(
      'https://github.com/acme/app',
    );
    expect(repositoryOf('file:/srv/x.yaml', 'file')).toBeUndefined();
  });
});
