import { CatalogApi, catalogApiRef } from '@backstage/plugin-catalog-react';
import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';

/**
 * A field validation that asks the catalog: `problem` returns what is wrong
 * with the value, or undefined when it is fine. An empty value is left to
 * the template's `required`.
 */
export function validateWithCatalog(
  problem: (
    value: string,
    catalogApi: CatalogApi,
  ) => Promise<string | undefined>,
): CustomFieldValidator<string> {
  return async (value, validation, { apiHolder }) => {
    if (!value) return;
    const catalogApi = apiHolder.get(catalogApiRef);
    if (!catalogApi) {
      throw new Error('The catalog is not available to check this value');
    }
    const message = await problem(value, catalogApi);
    if (message) {
      validation.addError(message);
    }
  };
}
