import {
  ApiBlueprint,
  createFrontendModule,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { GoldenPathsClient, goldenPathsApiRef } from './api/GoldenPathsClient';

const goldenPathsApi = ApiBlueprint.make({
  name: 'golden-paths',
  params: defineParams =>
    defineParams({
      api: goldenPathsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GoldenPathsClient({ discoveryApi, fetchApi }),
    }),
});

// Each field loads when the Create page needs it; the `ui:field` names the
// templates use are in each field's index.ts.
const formFields = [
  FormFieldBlueprint.make({
    name: 'causeway-service-name',
    params: {
      field: () => import('./fields/ServiceName').then(m => m.serviceNameField),
    },
  }),
  FormFieldBlueprint.make({
    name: 'causeway-owner-group',
    params: {
      field: () => import('./fields/OwnerGroup').then(m => m.ownerGroupField),
    },
  }),
  FormFieldBlueprint.make({
    name: 'causeway-tier',
    params: { field: () => import('./fields/Tier').then(m => m.tierField) },
  }),
  FormFieldBlueprint.make({
    name: 'causeway-service-plan',
    params: {
      field: () => import('./fields/ServicePlan').then(m => m.servicePlanField),
    },
  }),
  FormFieldBlueprint.make({
    name: 'causeway-claim-parameters',
    params: {
      field: () =>
        import('./fields/ClaimParameters').then(m => m.claimParametersField),
    },
  }),
];

/** The golden-path templates' form fields, added to the scaffolder plugin. */
export const goldenPathsModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [goldenPathsApi, ...formFields],
});
