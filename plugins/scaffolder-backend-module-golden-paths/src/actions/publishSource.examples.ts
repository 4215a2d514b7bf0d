import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Create the service's repository from the rendered skeleton, undoing the run's GitOps commit if that fails",
    example: yaml.stringify({
      steps: [
        {
          id: 'publish-source',
          action: 'causeway:source:publish',
          name: 'Create the source repository',
          input: {
            name: '${{ parameters.name }}',
            sourcePath: 'source',
            description: '${{ parameters.description }}',
            revertGitOpsCommit:
              '${{ steps["publish-gitops"].output.commitSha }}',
          },
        },
      ],
    }),
  },
];
