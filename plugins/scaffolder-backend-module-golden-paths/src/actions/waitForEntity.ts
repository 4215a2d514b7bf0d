import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './waitForEntity.examples';

/**
 * causeway:catalog:wait: waits until an entity the run created is in the
 * catalog, so the run's "Open in catalog" link works when it is shown.
 */
export function createWaitForEntityAction(options: {
  catalog: CatalogService;
  pollIntervalMs?: number;
}) {
  const poll = options.pollIntervalMs ?? 250;
  return createTemplateAction({
    id: 'causeway:catalog:wait',
    description: 'Waits until an entity is in the catalog',
    examples,
    schema: {
      input: {
        entityRef: z =>
          z.string().describe('e.g. component:default/refund-api'),
        timeoutSeconds: z => z.number().int().min(1).max(600).default(60),
      },
      output: {
        entityRef: z => z.string(),
        waitedMs: z => z.number(),
      },
    },
    async handler(ctx) {
      let entityRef: string;
      try {
        entityRef = stringifyEntityRef(parseEntityRef(ctx.input.entityRef));
      } catch {
        throw new InputError(
          `entityRef: ${JSON.stringify(
            ctx.input.entityRef,
          )} is not an entity reference`,
        );
      }
      const timeoutMs = (ctx.input.timeoutSeconds ?? 60) * 1000;
      const credentials = await ctx.getInitiatorCredentials();
      const started = Date.now();
      for (;;) {
        const entity = await options.catalog.getEntityByRef(entityRef, {
          credentials,
        });
        const waitedMs = Date.now() - started;
        if (entity) {
          ctx.logger.info(
            `${entityRef} is in the catalog (after ${(waitedMs / 1000).toFixed(
              1,
            )} s)`,
          );
          ctx.output('entityRef', entityRef);
          ctx.output('waitedMs', waitedMs);
          return;
        }
        if (waitedMs > timeoutMs) {
          throw new Error(
            `${entityRef} was not in the catalog after ${
              timeoutMs / 1000
            } s; its catalog-info.yaml may have been rejected (see Catalog errors)`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, poll));
      }
    },
  });
}
