import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createWaitForEntityAction } from './waitForEntity';

const component = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'refund-api', namespace: 'default' },
  spec: {},
};

describe('causeway:catalog:wait', () => {
  it('finishes once the entity is in the catalog', async () => {
    const catalog = catalogServiceMock({ entities: [component] });
    const ctx = createMockActionContext<any>({
      input: { entityRef: 'component:refund-api' },
    });
    await createWaitForEntityAction({ catalog }).handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/refund-api',
    );
  });

  it('fails with a pointer to the catalog errors when the entity never comes', async () => {
    const catalog = catalogServiceMock({ entities: [] });
    const ctx = createMockActionContext<any>({
      input: { entityRef: 'component:default/refund-api', timeoutSeconds: 1 },
    });
    await expect(
      createWaitForEntityAction({ catalog, pollIntervalMs: 50 }).handler(ctx),
    ).rejects.toThrow(
      'component:default/refund-api was not in the catalog after 1 s; its catalog-info.yaml may have been rejected (see Catalog errors)',
    );
  });
});
