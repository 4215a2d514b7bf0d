import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  commitAuthor,
  GitOpsFile,
  GitOpsPublishResult,
  GitOpsRepository,
  repositoryPathProblem,
  resumedRun,
} from '@causeway/plugin-gitops-node';
import { examples } from './publish.examples';
import { assertMayWritePaths, TeamAccess } from './teamAccess';

/**
 * The files under a workspace folder, by path from it. A symbolic link in
 * the workspace is refused, not followed: the files come from template
 * skeletons and earlier actions, and a link could make the commit carry a
 * file of the machine. Each file is opened without following a link, in
 * case one replaced it since it was listed.
 */
async function readTree(
  root: string,
  shown: string,
  dir = '',
): Promise<GitOpsFile[]> {
  if (!dir && (await fs.lstat(root)).isSymbolicLink()) {
    throw new InputError(
      `Refusing to publish ${shown}: it is a symbolic link in the workspace; Causeway does not follow links`,
    );
  }
  const entries = await fs.readdir(path.join(root, dir), {
    withFileTypes: true,
  });
  const files: GitOpsFile[] = [];
  for (const entry of entries) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) {
      throw new InputError(
        `Refusing to publish ${shown}/${relative}: it is a symbolic link in the workspace; Causeway does not follow links`,
      );
    }
    if (entry.isDirectory()) {
      files.push(...(await readTree(root, shown, relative)));
    } else if (entry.isFile()) {
      const handle = await fs
        .open(
          path.join(root, relative),
          fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW,
        )
        .catch(error => {
          throw error.code === 'ELOOP'
            ? new InputError(
                `Refusing to publish ${shown}/${relative}: it is a symbolic link in the workspace; Causeway does not follow links`,
              )
            : error;
        });
      try {
        files.push({ path: relative, content: await handle.readFile('utf8') });
      } finally {
        await handle.close();
      }
    }
  }
  return files;
}

/** Refuses a basedOn key that is not a plain path inside the GitOps repository. */
function assertBasedOnPaths(basedOn: Record<string, string> | undefined) {
  for (const key of Object.keys(basedOn ?? {})) {
    const problem = repositoryPathProblem(key);
    if (problem) {
      throw new InputError(
        `basedOn names ${JSON.stringify(
          key,
        )}, which is not a path inside the GitOps repository: the path ${problem}`,
      );
    }
  }
}

/**
 * This task step's commit, unless it was reverted since; only commits on
 * the default branch are looked for (a review branch is not searched).
 */
async function findOwnCommit(
  repository: GitOpsRepository,
  taskId: string,
  step: string | undefined,
): Promise<GitOpsPublishResult | undefined> {
  const commits = await repository.commitsOfTask(taskId);
  const reverted = new Set(commits.map(c => c.reverts).filter(Boolean));
  const own = commits.find(
    c => !c.reverts && c.step === step && !reverted.has(c.sha),
  );
  if (!own) return undefined;
  return {
    commitSha: own.sha,
    changed: true,
    branch: own.branch,
    link: own.link,
    files: own.files,
  };
}

/**
 * gitops:publish: commits the files under `sourcePath` in the workspace to
 * the GitOps repository as the user who ran the template, and pushes them;
 * safe when many runs publish at once, and a no-op when nothing changed.
 * In a dry run it lists what it would commit and pushes nothing.
 */
export function createPublishAction(
  options: { repository: GitOpsRepository } & TeamAccess,
) {
  return createTemplateAction({
    id: 'gitops:publish',
    description:
      'Commits the rendered GitOps files as the user who ran the template and pushes them to the GitOps repository',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        sourcePath: z =>
          z
            .string()
            .default('gitops')
            .describe(
              'Workspace folder holding the files, laid out as in the repository',
            ),
        message: z => z.string().min(1).describe('The commit message'),
        newPaths: z =>
          z
            .array(z.string())
            .default([])
            .describe(
              'Repository paths that must not exist yet (e.g. the service folder)',
            ),
        update: z =>
          z
            .boolean()
            .default(false)
            .describe('Allow changing what newPaths names'),
        reviewBranch: z =>
          z
            .string()
            .regex(
              /^[A-Za-z0-9][A-Za-z0-9._/-]*$/,
              'a branch name of letters, digits and . _ / -',
            )
            .optional()
            .describe(
              'Push to this new branch for review instead of the default branch',
            ),
        basedOn: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe(
              'Repository paths rewritten from what was read, with the SHA-256 of that content (gitops:service:connect outputs it): refused if they changed since',
            ),
      },
      output: {
        commitSha: z => z.string(),
        link: z => z.string(),
        branch: z => z.string(),
        changed: z => z.boolean(),
        files: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      // The scaffolder checks inputs against the JSON schema but does not
      // apply zod defaults, hence the fallbacks here.
      const {
        sourcePath = 'gitops',
        newPaths = [],
        update = false,
      } = ctx.input;
      assertBasedOnPaths(ctx.input.basedOn);
      const source = resolveSafeChildPath(ctx.workspacePath, sourcePath);
      const readFiles = async () => {
        const read = await readTree(source, sourcePath).catch(error => {
          if (error instanceof InputError) throw error;
          throw new InputError(
            `Nothing to publish: ${sourcePath} is not in the workspace`,
          );
        });
        if (read.length === 0) {
          throw new InputError(`Nothing to publish: ${sourcePath} is empty`);
        }
        return read;
      };

      if (ctx.isDryRun) {
        const files = await readFiles();
        ctx.logger.info(
          `Dry run: would commit ${files.length} files to ${
            options.repository.displayUrl
          }: ${files.map(f => f.path).join(', ')}`,
        );
        ctx.output('commitSha', 'dry-run');
        ctx.output('link', options.repository.displayUrl);
        ctx.output('branch', ctx.input.reviewBranch ?? 'dry-run');
        ctx.output('changed', true);
        ctx.output(
          'files',
          files.map(f => f.path),
        );
        return;
      }

      const author = commitAuthor(ctx.user);
      const resumed = await resumedRun(ctx);
      // A retried task step resumes with the first run's result; when the
      // backend died between the push and that result being saved, the
      // commit is found by its trailers instead of refused as "already
      // exists", even when the workspace did not survive (another replica).
      const result = await ctx.checkpoint({
        key: `gitops-publish-${ctx.task.id}-${sourcePath}`,
        fn: async (): Promise<GitOpsPublishResult> => {
          const own = resumed
            ? await findOwnCommit(options.repository, ctx.task.id, ctx.step?.id)
            : undefined;
          if (own) {
            ctx.logger.info(
              `Resumed: this run had already committed ${own.commitSha}`,
            );
            // The first attempt may have died before announcing it.
            await options.repository.announce(own);
            return own;
          }
          const files = await readFiles();
          await assertMayWritePaths(
            options,
            ctx,
            files.map(f => f.path),
          );
          return options.repository.publish({
            files,
            message: ctx.input.message,
            author,
            newPaths,
            update,
            reviewBranch: ctx.input.reviewBranch,
            basedOn: ctx.input.basedOn,
            taskId: ctx.task.id,
            step: ctx.step?.id,
          });
        },
      });
      ctx.logger.info(
        result.changed
          ? `Committed ${result.commitSha} to ${result.branch}: ${result.link}`
          : `The GitOps repository already holds these files at ${result.commitSha}; nothing to commit`,
      );
      ctx.output('commitSha', result.commitSha);
      ctx.output('link', result.link);
      ctx.output('branch', result.branch);
      ctx.output('changed', result.changed);
      ctx.output('files', result.files);
    },
  });
}
