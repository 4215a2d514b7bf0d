import fs from 'node:fs/promises';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { PlatformApi, parsePlatformApi } from '@causeway/plugin-gitops-common';
import { parse } from 'yaml';

/**
 * Reads every `*\/definition.yaml` (a CompositeResourceDefinition) under the
 * platform APIs folder. A broken definition is logged with its file and
 * skipped, so the other APIs stay available.
 */
export async function loadPlatformApis(
  directory: string,
  logger: LoggerService,
): Promise<PlatformApi[]> {
  const entries = await fs
    .readdir(directory, { withFileTypes: true })
    .catch(() => []);
  const apis: PlatformApi[] = [];
  for (const entry of entries.filter(e => e.isDirectory())) {
    const file = path.join(directory, entry.name, 'definition.yaml');
    try {
      apis.push(parsePlatformApi(parse(await fs.readFile(file, 'utf8'))));
    } catch (error) {
      logger.error(
        `Skipping platform API ${file}: ${(error as Error).message}`,
      );
    }
  }
  if (apis.length === 0) {
    logger.warn(
      `No platform APIs found in ${directory}; gitops:claim:render will refuse every kind`,
    );
  }
  return apis;
}
