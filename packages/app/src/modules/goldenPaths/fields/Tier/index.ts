import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { Tier, TierFieldSchema } from './Tier';

/** `ui:field: CausewayTier` */
export const tierField = createFormField({
  name: 'CausewayTier',
  component: Tier,
  schema: TierFieldSchema,
});
