import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ServicePlan, ServicePlanFieldSchema } from './ServicePlan';

/** `ui:field: CausewayServicePlan` */
export const servicePlanField = createFormField({
  name: 'CausewayServicePlan',
  component: ServicePlan,
  schema: ServicePlanFieldSchema,
});
