import fs from 'node:fs/promises';
import path from 'node:path';
import {
  BackstageCredentials,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import {
  gitopsLayout,
  ManifestFile,
  manifestFileContents,
  validateManifests,
} from '@causeway/plugin-gitops-common';
import { assertMayWriteForTeam, TeamAccess } from './teamAccess';

/**
 * Writes rendered objects into the workspace folder gitops:publish reads,
 * laid out as in the GitOps repository; no path may leave the workspace.
 */
export async function writeManifests(
  workspacePath: string,
  targetPath: string,
  files: ManifestFile[],
): Promise<void> {
  const root = resolveSafeChildPath(workspacePath, targetPath);
  for (const file of manifestFileContents(files)) {
    const target = resolveSafeChildPath(root, file.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.content);
  }
}

/**
 * What the render actions share once they have built a workload's files:
 * check that the caller may write for its team, validate them all, write
 * them only then, and report the folder, the files and the warnings as the
 * action's outputs.
 */
export async function writeWorkload(
  ctx: {
    workspacePath: string;
    getInitiatorCredentials(): Promise<BackstageCredentials>;
    logger: { info(message: string): void; warn(message: string): void };
    output(name: 'serviceDir' | 'files' | 'warnings', value: any): void;
  },
  workload: {
    targetPath: string;
    spec: {
      name: string;
      owner: string;
      namespace: string;
      environment: string;
    };
    files: ManifestFile[];
    warnings: string[];
    /** e.g. "refund-api" or "the job invoice-export (30 2 * * *)" */
    description: string;
  },
  access: TeamAccess,
): Promise<void> {
  const { spec, files, warnings } = workload;
  await assertMayWriteForTeam(access, ctx, {
    owner: spec.owner,
    namespace: spec.namespace,
    what: `Cannot render ${workload.description}`,
  });
  validateManifests(files);
  await writeManifests(ctx.workspacePath, workload.targetPath, files);
  warnings.forEach(warning => ctx.logger.warn(warning));
  ctx.logger.info(
    `Rendered ${files.length} objects for ${workload.description}, all valid against their schemas`,
  );
  ctx.output(
    'serviceDir',
    gitopsLayout.serviceDir(spec.environment, spec.namespace, spec.name),
  );
  ctx.output(
    'files',
    files.map(f => f.path),
  );
  ctx.output('warnings', warnings);
}
