import { validateWithCatalog } from '../validateWithCatalog';
import { checkServiceName } from './checkServiceName';

/** The same checks as the field shows, so a bad or taken name stops the step. */
export const serviceNameValidation = validateWithCatalog(
  async (value, catalogApi) => {
    const result = await checkServiceName(value, catalogApi);
    return result.ok ? undefined : result.message;
  },
);
