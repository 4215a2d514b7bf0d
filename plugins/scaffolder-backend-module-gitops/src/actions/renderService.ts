import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  buildServiceManifests,
  makeServiceSpecSchema,
  parseServiceSpec,
  PlatformPolicy,
} from '@causeway/plugin-gitops-common';
import { examples } from './renderService.examples';
import { TeamAccess } from './teamAccess';
import { writeWorkload } from './writeManifests';

/**
 * gitops:service:render: turns a few typed inputs into a service's validated
 * Kubernetes manifests and Argo CD Application, written into the workspace
 * (under `targetPath`) for gitops:publish. Nothing is written when any input
 * or rendered object is invalid, or when the caller may not write for the
 * service's team.
 */
export function createRenderServiceAction(
  options: {
    policy: PlatformPolicy;
    gitops: { repoURL: string; branch: string };
  } & TeamAccess,
) {
  return createTemplateAction({
    id: 'gitops:service:render',
    description:
      "Renders a service's Kubernetes manifests and Argo CD Application, validated against their schemas, into the workspace",
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        makeServiceSpecSchema(z).extend({
          targetPath: z
            .string()
            .default('gitops')
            .describe('Workspace folder the GitOps files are written to'),
        }),
      output: {
        serviceDir: z =>
          z.string().describe("The service's folder in the GitOps repository"),
        files: z =>
          z
            .array(z.string())
            .describe('The files written, as repository paths'),
        warnings: z =>
          z.array(z.string()).describe('What was accepted but should be fixed'),
      },
    },
    async handler(ctx) {
      // The scaffolder checks inputs against the JSON schema but does not
      // apply zod defaults, hence the fallbacks here.
      const { targetPath = 'gitops', ...input } = ctx.input;
      const { spec, warnings } = parseServiceSpec(input, options.policy);
      const files = buildServiceManifests(spec, {
        policy: options.policy,
        gitops: options.gitops,
      });
      await writeWorkload(
        ctx,
        { targetPath, spec, files, warnings, description: spec.name },
        options,
      );
    },
  });
}
