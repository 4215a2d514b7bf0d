import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  ManifestFile,
  manifestFileContents,
} from '@causeway/plugin-gitops-common';

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
