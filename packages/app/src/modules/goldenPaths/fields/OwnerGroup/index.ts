import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { OwnerGroup, OwnerGroupFieldSchema } from './OwnerGroup';
import { ownerGroupValidation } from './validation';

/** `ui:field: CausewayOwnerGroup` */
export const ownerGroupField = createFormField({
  name: 'CausewayOwnerGroup',
  component: OwnerGroup,
  validation: ownerGroupValidation,
  schema: OwnerGroupFieldSchema,
});
