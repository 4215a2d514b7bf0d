import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  commitAuthor,
  GitOpsRepository,
  LocalGitHost,
  localRepositoryTask,
  removeLocalRepository,
} from '@causeway/plugin-gitops-node';
import { SourceHostConfig } from '../sourceHost';
import { examples } from './finishRun.examples';

/** "a", "a and b", "a, b and c" */
function listed(items: string[]): string {
  return items.length < 2
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * causeway:run:finish: a golden path's last step, run whatever happened
 * before it (`if: always()`). When a step failed, it undoes everything the
 * run created (its GitOps commits, found by their Causeway-Task trailer,
 * and the local source repository whose first commit names the run), so
 * the name is free again; both are safe to do twice. It ends the log with
 * one sentence saying what was finished or undone, and says so too when
 * the run was resumed after the backend restarted (scaffolder task
 * recovery).
 */
export function createFinishRunAction(options: {
  repository: GitOpsRepository;
  host: LocalGitHost;
  /** Where new source repositories go (goldenPaths.sourceHost). */
  sourceHost?: SourceHostConfig;
  /** Unregisters a catalog location by its target URL; false if there was none. */
  removeLocation?: (target: string) => Promise<boolean>;
  /** Whether this task was picked up again after its backend died. */
  wasRecovered: (taskId: string) => Promise<boolean>;
}) {
  const { repository, host } = options;
  return createTemplateAction({
    id: 'causeway:run:finish',
    description:
      'Undoes what a failed golden path run created and says in one sentence what the run finished or undid',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().describe('The service or resource the run adds'),
        failed: z =>
          z
            .union([z.boolean(), z.string()])
            .describe('${{ failure() }}: whether an earlier step failed'),
        sourceRepository: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Whether the run creates a source repository (on goldenPaths.sourceHost)',
            ),
        newRepository: z =>
          z
            .string()
            .optional()
            .describe(
              "causeway:service:preflight's newRepository: the GitHub repository OWNER/NAME no one had when the run checked, deleted on undo while it is still empty",
            ),
        catalogLocation: z =>
          z
            .string()
            .optional()
            .describe(
              "The catalog location the run registered (catalog:register's catalogInfoUrl), unregistered when the run is undone",
            ),
        parts: z =>
          z
            .string()
            .default('')
            .describe(
              'What the finished run made, for the sentence, e.g. "GitOps folder, catalog entity"',
            ),
      },
      output: {
        undone: z =>
          z.array(z.string()).describe('What was undone, if the run failed'),
      },
    },
    async handler(ctx) {
      const { name, sourceRepository = false, parts = '' } = ctx.input;
      const failed = ctx.input.failed === true || ctx.input.failed === 'true';
      if (ctx.isDryRun) {
        ctx.output('undone', []);
        return;
      }
      // Only the wording depends on it: never fail a run over it.
      const recovered = await options.wasRecovered(ctx.task.id).catch(error => {
        ctx.logger.warn(
          `Could not tell whether this run was resumed after a restart: ${error}`,
        );
        return false;
      });
      const opening = recovered ? 'Recovered after a restart: ' : '';
      const couldNot = `${opening}${recovered ? 'c' : 'C'}ould not finish`;
      if (!failed) {
        ctx.output('undone', []);
        if (recovered) {
          ctx.logger.info(
            `${opening}finished creating ${name}${parts ? ` (${parts})` : ''}.`,
          );
        }
        return;
      }

      const undone: string[] = [];
      const left: string[] = [];
      // Newest first, so each revert finds the files as its commit left them.
      const commits = await repository.commitsOfTask(ctx.task.id);
      const reverted = new Set(commits.map(c => c.reverts).filter(Boolean));
      for (const commit of commits.filter(c => !c.reverts)) {
        const short = commit.sha.slice(0, 7);
        if (!reverted.has(commit.sha)) {
          try {
            await repository.revert({
              commitSha: commit.sha,
              message: `Revert the GitOps files of ${name}: its golden path run could not finish`,
              author: commitAuthor(ctx.user),
              taskId: ctx.task.id,
            });
          } catch (error) {
            ctx.logger.error(
              `Could not revert the GitOps commit ${short}: ${
                (error as Error).message
              }`,
            );
            left.push(`the GitOps commit ${short}`);
            continue;
          }
        }
        undone.push(`the GitOps commit ${short}`);
      }
      const { sourceHost } = options;
      if (sourceRepository && sourceHost?.type === 'github') {
        // Only a repository this run made is removed: its first commit names
        // the run, or the run found the name free and died (or failed) in
        // publish:github after GitHub created it but before the push.
        const slug = `${sourceHost.owner}/${name}`;
        if (
          (await sourceHost.repositoryTask(name)) === ctx.task.id ||
          (ctx.input.newRepository === slug && (await sourceHost.isEmpty(name)))
        ) {
          await sourceHost.remove(name);
          undone.push('the source repository');
        }
        if (
          ctx.input.catalogLocation &&
          (await options.removeLocation?.(ctx.input.catalogLocation))
        ) {
          undone.push('the catalog registration');
        }
      } else if (
        sourceRepository &&
        (await localRepositoryTask(host, name)) === ctx.task.id
      ) {
        await removeLocalRepository(host, name);
        undone.push('the source repository');
      }
      ctx.output('undone', undone);
      if (left.length) {
        ctx.logger.error(
          `${couldNot}${
            undone.length ? `; undid ${listed(undone)}` : ''
          } but could not undo ${listed(
            left,
          )}, which changed since; revert it by hand to free the name ${name}.`,
        );
      } else if (undone.length) {
        ctx.logger.info(
          `${couldNot}, so undid ${listed(
            undone,
          )}; the name ${name} is free again.`,
        );
      } else {
        ctx.logger.info(`${couldNot}; it had created nothing.`);
      }
    },
  });
}
