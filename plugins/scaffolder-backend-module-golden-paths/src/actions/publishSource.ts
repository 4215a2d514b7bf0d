import fs from 'node:fs/promises';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  commitAuthor,
  commitMessage,
  GitOpsRepository,
  LocalGitHost,
  localRepositoryOrigin,
  resumedRun,
  TASK_TRAILER,
} from '@causeway/plugin-gitops-node';
import { parseAllDocuments } from 'yaml';
import { freeTextProblem } from '../freeText';
import { examples } from './publishSource.examples';

// What the catalog itself checks: the envelope, name formats, and the kinds
// a service's catalog file holds.
const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);
const kindValidators = [
  componentEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  apiEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
];

async function validateEntity(data: unknown) {
  const entity = (await policy.enforce(data as Entity)) as Entity;
  for (const validator of kindValidators) {
    await validator.check(entity);
  }
}

/** Every document of the catalog file must be a well-formed entity. */
async function checkCatalogFile(file: string, shownAs: string) {
  const content = await fs.readFile(file, 'utf8').catch(() => {
    throw new InputError(
      `${shownAs} is missing: the catalog would not know the service`,
    );
  });
  for (const [i, doc] of parseAllDocuments(content).entries()) {
    const where = `${shownAs} (document ${i + 1})`;
    if (doc.errors.length) {
      throw new InputError(
        `${where} is not valid YAML: ${doc.errors[0].message}`,
      );
    }
    const data = doc.toJS();
    try {
      await validateEntity(data);
    } catch (error) {
      throw new InputError(
        `${where} is not a valid entity: ${(error as Error).message}`,
      );
    }
    const tooLong = freeTextProblem(
      `${where} metadata.description`,
      data.metadata.description,
    );
    if (tooLong) throw new InputError(tooLong);
  }
}

/**
 * causeway:source:publish: creates the service's source repository on the
 * local git host from a workspace folder, as one commit by the user who ran
 * the template; the catalog picks its catalog-info.yaml up at once. It is
 * the run's last side effect: when it fails, it reverts the GitOps commit
 * the run made (`revertGitOpsCommit`), so a failed run leaves nothing.
 */
export function createPublishSourceAction(options: {
  host: LocalGitHost;
  repository: GitOpsRepository;
  /** Tells the catalog about a repository found on a resumed run. */
  onFound?: (created: { name: string; url: string }) => Promise<void>;
}) {
  const { host, repository } = options;
  return createTemplateAction({
    id: 'causeway:source:publish',
    description:
      "Creates the new service's source repository on the local git host from the workspace",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string().describe('The repository name (the service name)'),
        sourcePath: z =>
          z
            .string()
            .default('source')
            .describe('The workspace folder to publish'),
        description: z => z.string().optional(),
        message: z => z.string().optional().describe('The commit message'),
        revertGitOpsCommit: z =>
          z
            .string()
            .optional()
            .describe(
              "This run's GitOps commit, reverted if the repository cannot be created",
            ),
      },
      output: {
        remoteUrl: z => z.string().describe('The repository, for git clone'),
        repoContentsUrl: z => z.string(),
        commitSha: z => z.string(),
      },
    },
    async handler(ctx) {
      const { name, sourcePath = 'source' } = ctx.input;
      const tooLong = freeTextProblem('description', ctx.input.description);
      const sourceDir = resolveSafeChildPath(ctx.workspacePath, sourcePath);
      const url = host.url(name);
      if (ctx.isDryRun) {
        if (tooLong) throw new InputError(tooLong);
        await checkCatalogFile(
          resolveSafeChildPath(sourceDir, 'catalog-info.yaml'),
          `${sourcePath}/catalog-info.yaml`,
        );
        ctx.logger.info(`Dry run: would create ${url} from ${sourcePath}`);
        ctx.output('remoteUrl', url);
        ctx.output('repoContentsUrl', url);
        ctx.output('commitSha', 'dry-run');
        return;
      }

      const author = commitAuthor(ctx.user);
      const resumed = await resumedRun(ctx);
      const created = await ctx.checkpoint({
        key: `source-publish-${ctx.task.id}-${name}`,
        fn: async () => {
          // The backend died after the repository appeared (creation is
          // atomic) but before its result was saved: the repository whose
          // first commit names this task is this run's, complete.
          const origin = resumed
            ? await localRepositoryOrigin(host, name)
            : undefined;
          if (origin && origin.taskId === ctx.task.id) {
            const found = { name, url: host.url(name), ...origin };
            await options.onFound?.(found);
            ctx.logger.info(`Resumed: this run had already created ${name}`);
            return {
              name,
              url: found.url,
              branch: host.defaultBranch,
              commitSha: origin.commitSha,
            };
          }
          try {
            if (tooLong) throw new InputError(tooLong);
            await checkCatalogFile(
              resolveSafeChildPath(sourceDir, 'catalog-info.yaml'),
              `${sourcePath}/catalog-info.yaml`,
            );
            return await host.create({
              name,
              sourceDir,
              message: commitMessage(ctx.input.message ?? `Create ${name}`, {
                [TASK_TRAILER]: ctx.task.id,
              }),
              author,
              description: ctx.input.description,
            });
          } catch (error) {
            const sha = ctx.input.revertGitOpsCommit;
            if (sha && /^[0-9a-f]{40}$/.test(sha)) {
              const reverted = await repository.revert({
                commitSha: sha,
                message: `Revert the GitOps files of ${name}: its source repository could not be created`,
                author,
                taskId: ctx.task.id,
              });
              ctx.logger.error(
                `The source repository could not be created, so the GitOps commit ${sha} was reverted by ${reverted.commitSha}`,
              );
            }
            throw error;
          }
        },
      });
      ctx.logger.info(`Created ${created.url} at ${created.commitSha}`);
      ctx.output('remoteUrl', created.url);
      ctx.output('repoContentsUrl', created.url);
      ctx.output('commitSha', created.commitSha);
    },
  });
}
