import fs from 'node:fs/promises';
import path from 'node:path';
import { runGit } from './git';

/** A file of a tree: its path and blob id. */
export type GitTreeEntry = { path: string; blobId: string };

/** A file added, changed or deleted (blobId undefined) between two commits. */
export type GitTreeChange = {
  path: string;
  blobId?: string;
  previousBlobId?: string;
};

/**
 * The commit a branch of a repository on this machine points at, read from
 * its ref files (no process); undefined when it has none.
 */
export async function readBranchHead(
  repositoryDir: string,
  branch: string,
): Promise<string | undefined> {
  const loose = await fs
    .readFile(path.join(repositoryDir, 'refs', 'heads', branch), 'utf8')
    .catch(() => undefined);
  if (loose?.trim()) return loose.trim();
  const packed = await fs
    .readFile(path.join(repositoryDir, 'packed-refs'), 'utf8')
    .catch(() => '');
  const line = packed
    .split('\n')
    .find(l => l.endsWith(` refs/heads/${branch}`));
  return line?.split(' ')[0];
}

/**
 * The files (blobs; not symbolic links or submodules) that changed under
 * the given folders between two commits both in the repository, from
 * `git diff-tree -r`.
 */
export async function diffGitTrees(
  repositoryDir: string,
  from: string,
  to: string,
  prefixes: string[],
): Promise<GitTreeChange[]> {
  const output = await runGit(
    ['diff-tree', '-r', '-z', '--no-renames', from, to, '--', ...prefixes],
    { cwd: repositoryDir, trim: false },
  );
  // -z: ":OLDMODE NEWMODE OLDID NEWID STATUS\0PATH\0" per file.
  const fields = output.split('\0');
  const changes: GitTreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode, newMode, oldId, newId, status] = fields[i]
      .slice(1)
      .split(' ');
    const isFile = (mode: string) => mode.startsWith('100');
    changes.push({
      path: fields[i + 1],
      blobId: status !== 'D' && isFile(newMode) ? newId : undefined,
      previousBlobId: status !== 'A' && isFile(oldMode) ? oldId : undefined,
    });
  }
  return changes;
}

/** Where a path is, or would be inserted, in entries sorted by path. */
function indexOf(entries: GitTreeEntry[], file: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entries[mid].path < file) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Entries sorted by path, with the changes applied (a new array). */
export function applyTreeChanges(
  sorted: GitTreeEntry[],
  changes: GitTreeChange[],
): GitTreeEntry[] {
  const entries = [...sorted];
  for (const change of changes) {
    const at = indexOf(entries, change.path);
    const present = entries[at]?.path === change.path;
    if (change.blobId === undefined) {
      if (present) entries.splice(at, 1);
    } else if (present) {
      entries[at] = { path: change.path, blobId: change.blobId };
    } else {
      entries.splice(at, 0, { path: change.path, blobId: change.blobId });
    }
  }
  return entries;
}
