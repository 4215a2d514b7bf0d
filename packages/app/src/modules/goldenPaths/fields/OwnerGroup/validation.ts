import { validateWithCatalog } from '../validateWithCatalog';
import { parseGroupRef } from './ownerGroups';

/** The owner must be a Group the catalog knows. */
export const ownerGroupValidation = validateWithCatalog(
  async (value, catalogApi) => {
    const ref = parseGroupRef(value);
    const group = ref && (await catalogApi.getEntityByRef(ref));
    return group ? undefined : `${value} is not a group in the catalog`;
  },
);
