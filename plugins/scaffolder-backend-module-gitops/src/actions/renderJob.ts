import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  buildJobManifests,
  GitOpsSource,
  makeJobSpecSchema,
  parseJobSpec,
  PlatformPolicy,
} from '@causeway/plugin-gitops-common';
import { examples } from './renderJob.examples';
import { TeamAccess } from './teamAccess';
import { writeWorkload } from './writeManifests';

/**
 * gitops:job:render: turns a few typed inputs into a scheduled job's
 * validated CronJob, its companions and Argo CD Application, written into the
 * workspace (under `targetPath`) for gitops:publish. Nothing is written when
 * any input or rendered object is invalid, or when the caller may not write
 * for the job's team.
 */
export function createRenderJobAction(
  options: {
    policy: PlatformPolicy;
    gitops: GitOpsSource;
  } & TeamAccess,
) {
  return createTemplateAction({
    id: 'gitops:job:render',
    description:
      "Renders a scheduled job's CronJob, NetworkPolicy, ExternalSecrets and Argo CD Application, validated against their schemas, into the workspace",
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        makeJobSpecSchema(z).extend({
          targetPath: z
            .string()
            .default('gitops')
            .describe('Workspace folder the GitOps files are written to'),
        }),
      output: {
        serviceDir: z =>
          z.string().describe("The job's folder in the GitOps repository"),
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
      // apply zod defaults: parseJobSpec does.
      const { targetPath = 'gitops', ...input } = ctx.input;
      const { spec, warnings } = parseJobSpec(input, options.policy);
      const files = buildJobManifests(spec, {
        policy: options.policy,
        gitops: options.gitops,
      });
      await writeWorkload(
        ctx,
        {
          targetPath,
          spec,
          files,
          warnings,
          description: `the job ${spec.name} (${spec.schedule}${
            spec.timeZone ? ` ${spec.timeZone}` : ''
          })`,
        },
        options,
      );
    },
  });
}
