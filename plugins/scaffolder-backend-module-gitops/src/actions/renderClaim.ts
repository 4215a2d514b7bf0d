import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  buildClaim,
  GitOpsSource,
  PlatformApi,
} from '@causeway/plugin-gitops-common';
import { examples } from './renderClaim.examples';
import { assertMayWriteForTeam, TeamAccess } from './teamAccess';
import { writeManifests } from './writeManifests';

/**
 * gitops:claim:render: writes a Crossplane claim for one of the platform's
 * APIs into the workspace for gitops:publish, checked against the API's own
 * CompositeResourceDefinition schema. Only the owning team's members (and
 * platform admins) may, and only in the team's namespace.
 */
export function createRenderClaimAction(
  options: {
    apis: PlatformApi[];
    gitops: GitOpsSource;
  } & TeamAccess,
) {
  return createTemplateAction({
    id: 'gitops:claim:render',
    description:
      "Renders a Crossplane claim for a platform API (PostgreSQL, Redis, Kafka topic, bucket...), validated against the API's schema, into the workspace",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        kind: z =>
          z
            .string()
            .describe(
              `The claim kind: ${options.apis.map(a => a.kind).join(', ')}`,
            ),
        name: z => z.string().describe('The claim name, e.g. payments-db'),
        namespace: z => z.string(),
        environment: z => z.string(),
        owner: z => z.string().describe('The owning group'),
        service: z =>
          z.string().optional().describe('The service that uses it'),
        parameters: z =>
          z
            .record(z.string(), z.unknown())
            .default({})
            .describe("Parameters of the platform API's schema"),
        connectionSecretName: z =>
          z
            .string()
            .optional()
            .describe(
              'The Secret its connection details go to; default NAME-connection',
            ),
        targetPath: z => z.string().default('gitops'),
      },
      output: {
        file: z => z.string().describe('The claim file, as a repository path'),
        connectionSecretName: z => z.string(),
      },
    },
    async handler(ctx) {
      const { targetPath = 'gitops', parameters = {}, ...request } = ctx.input;
      await assertMayWriteForTeam(options, ctx, {
        owner: request.owner,
        namespace: request.namespace,
        what: `Cannot claim ${request.kind} ${request.name}`,
      });
      const files = buildClaim({ ...request, parameters }, options.apis, {
        gitops: options.gitops,
      });
      await writeManifests(ctx.workspacePath, targetPath, files);
      const [file] = files;
      const secret = (
        file.object.spec as { writeConnectionSecretToRef: { name: string } }
      ).writeConnectionSecretToRef.name;
      ctx.logger.info(
        `Rendered ${file.object.kind} ${request.name}; connection details go to Secret ${secret}`,
      );
      ctx.output('file', file.path);
      ctx.output('connectionSecretName', secret);
    },
  });
}
