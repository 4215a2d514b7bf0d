import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ClaimParameters, ClaimParametersFieldSchema } from './ClaimParameters';
import { claimParametersValidation } from './validation';

/** `ui:field: CausewayClaimParameters`, with `ui:options.kind` */
export const claimParametersField = createFormField({
  name: 'CausewayClaimParameters',
  component: ClaimParameters,
  validation: claimParametersValidation,
  schema: ClaimParametersFieldSchema,
});
