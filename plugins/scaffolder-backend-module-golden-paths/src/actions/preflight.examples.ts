import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check that refund-api is free everywhere before creating it, and learn where its source goes',
    example: yaml.stringify({
      steps: [
        {
          id: 'preflight',
          action: 'causeway:service:preflight',
          name: 'Check the name, owner and system',
          input: {
            name: '${{ parameters.name }}',
            owner: '${{ parameters.owner }}',
            system: '${{ parameters.system }}',
            environment: 'production',
            namespace: 'payments',
          },
        },
      ],
    }),
  },
  {
    description: 'Check a new claim name (a Resource, no source repository)',
    example: yaml.stringify({
      steps: [
        {
          id: 'preflight',
          action: 'causeway:service:preflight',
          input: {
            name: 'refund-api-db',
            kind: 'Resource',
            owner: 'group:default/payments-team',
            sourceRepository: false,
          },
        },
      ],
    }),
  },
];
