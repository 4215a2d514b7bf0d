import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Wait for the new service before showing its catalog link',
    example: yaml.stringify({
      steps: [
        {
          id: 'catalog',
          action: 'causeway:catalog:wait',
          name: 'Wait for the catalog',
          input: { entityRef: 'component:default/${{ parameters.name }}' },
        },
      ],
    }),
  },
];
