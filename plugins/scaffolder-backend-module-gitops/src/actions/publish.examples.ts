import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish what gitops:service:render wrote to the default branch, refusing to overwrite an existing service',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'gitops:publish',
          name: 'Commit to the GitOps repository',
          input: {
            message: 'Add payment-service (production)',
            newPaths: ['${{ steps.render.output.serviceDir }}'],
          },
        },
      ],
    }),
  },
  {
    description: 'Update an existing service through a branch for review',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'gitops:publish',
          input: {
            message: 'Raise payment-service to the critical tier',
            update: true,
            reviewBranch: 'causeway/payment-service-critical',
          },
        },
      ],
    }),
  },
];
