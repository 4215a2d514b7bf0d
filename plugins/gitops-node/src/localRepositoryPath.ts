import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Returns the absolute path when `url` names a repository on this machine
 * (a plain path, relative to where the portal runs, or a file: URL), and
 * undefined for remote git URLs.
 */
export function localRepositoryPath(
  url: string,
  cwd: string = process.cwd(),
): string | undefined {
  if (url.startsWith('file:')) {
    return fileURLToPath(url);
  }
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  const isScpLike = /^[^/\s]+@[^/\s]+:/.test(url);
  if (isUrl || isScpLike) {
    return undefined;
  }
  return path.resolve(cwd, url);
}
