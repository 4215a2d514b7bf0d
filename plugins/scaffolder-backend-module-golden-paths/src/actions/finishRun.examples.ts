import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "The last step of a golden path: undo the run's writes when a step failed, and say what a run resumed after a restart finished or undid",
    example: yaml.stringify({
      steps: [
        {
          id: 'finish',
          action: 'causeway:run:finish',
          name: 'Finish or undo',
          if: '${{ always() }}',
          input: {
            name: '${{ parameters.name }}',
            failed: '${{ failure() }}',
            sourceRepository: true,
            parts: 'source repository, GitOps folder, catalog entity',
          },
        },
      ],
    }),
  },
];
