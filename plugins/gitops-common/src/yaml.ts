import { stringify } from 'yaml';
import type { ManifestFile } from './service/buildServiceManifests';

/**
 * The file contents to commit. Values are serialised by the YAML library, so
 * user input can never add keys or documents of its own.
 */
export function manifestFileContents(
  files: ManifestFile[],
): Array<{ path: string; content: string }> {
  return files.map(file => ({
    path: file.path,
    content: `# Managed by Causeway: change it through the portal or a reviewed commit.\n${stringify(
      file.object,
      { lineWidth: 0 },
    )}`,
  }));
}
