import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "After a gitops:claim:render step (id claim) for payment-service: make the service load the claim's connection details, and commit the claim and the service's changed deployment.yaml together",
    example: yaml.stringify({
      steps: [
        {
          id: 'connect',
          action: 'gitops:service:connect',
          name: 'Load the connection Secret',
          input: {
            gitopsPath: 'apps/production/payments-team/payment-service',
            secretName: '${{ steps.claim.output.connectionSecretName }}',
          },
        },
        {
          id: 'publish',
          action: 'gitops:publish',
          input: {
            message: 'Add PostgreSQL database payments-db for payment-service',
            newPaths: ['${{ steps.claim.output.file }}'],
          },
        },
      ],
    }),
  },
  {
    description:
      "Make a service found in the catalog load a Secret, its folder taken from the entity's causeway.dev/gitops-path annotation",
    example: yaml.stringify({
      steps: [
        {
          id: 'service',
          action: 'catalog:fetch',
          input: { entityRef: 'component:default/payment-service' },
        },
        {
          id: 'connect',
          action: 'gitops:service:connect',
          input: {
            gitopsPath:
              "${{ steps.service.output.entity.metadata.annotations['causeway.dev/gitops-path'] }}",
            secretName: 'payments-cache-connection',
            service: '${{ steps.service.output.entity.metadata.name }}',
          },
        },
      ],
    }),
  },
];
