import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ServiceName, ServiceNameFieldSchema } from './ServiceName';
import { serviceNameValidation } from './validation';

/** `ui:field: CausewayServiceName` */
export const serviceNameField = createFormField({
  name: 'CausewayServiceName',
  component: ServiceName,
  validation: serviceNameValidation,
  schema: ServiceNameFieldSchema,
});
