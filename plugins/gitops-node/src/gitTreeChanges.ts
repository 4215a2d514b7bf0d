import fs from 'node:fs/promises';
import path from 'node:path';
import { GitObject, GitObjectReader } from './GitObjectReader';
import {
  isFileMode,
  isTreeMode,
  parseTreeObject,
  TreeObjectEntry,
} from './gitObjects';

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

/** Where a path is, or would be inserted, in entries sorted by path. */
export function indexOfPath(entries: GitTreeEntry[], file: string): number {
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
    const at = indexOfPath(entries, change.path);
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

/** The id of a commit's root tree. */
export function rootTreeOf(sha: string, commit: GitObject | undefined): string {
  const match =
    commit?.type === 'commit'
      ? /^tree ([0-9a-f]+)/.exec(commit.data.toString('latin1', 0, 80))
      : null;
  if (!match) throw new Error(`${sha} is not a commit of the repository`);
  return match[1];
}

/** The entries of a tree read in a batch, by the tree's id. */
function treeEntries(
  trees: Map<string, GitObject>,
  id: string,
  idBytes: number,
): Map<string, TreeObjectEntry> {
  const tree = trees.get(id);
  if (tree?.type !== 'tree') throw new Error(`tree ${id} is missing`);
  return new Map(parseTreeObject(tree.data, idBytes).map(e => [e.name, e]));
}

/** Whether a path is one of the prefixes or under one of them. */
export const isUnder = (file: string, prefixes: string[]) =>
  prefixes.some(p => file === p || file.startsWith(`${p}/`));

/**
 * The files (blobs; not symbolic links or submodules) added, changed or
 * deleted under the prefixes (all, when none) between two commits, as
 * `git diff-tree -r` finds them, read through a GitObjectReader instead of
 * a process: the two commits' trees are compared folder by folder, one
 * batch of tree objects per depth, descending only into folders whose ids
 * differ and that lead to one of the prefixes.
 */
export async function diffCommitTrees(
  reader: GitObjectReader,
  from: string,
  to: string,
  prefixes: string[],
): Promise<GitTreeChange[]> {
  const commits = await reader.read([from, to]);
  const rootOf = (sha: string) => rootTreeOf(sha, commits.get(sha));
  const idBytes = from.length / 2;
  const wanted = (file: string) =>
    prefixes.length === 0 || isUnder(file, prefixes);
  const leadsToPrefix = (dir: string) =>
    wanted(dir) || prefixes.some(p => p.startsWith(`${dir}/`));

  const changes: GitTreeChange[] = [];
  type Pair = { dir: string; before?: string; after?: string };
  let level: Pair[] = [{ dir: '', before: rootOf(from), after: rootOf(to) }];
  while (level.length) {
    const trees = await reader.read(
      level
        .flatMap(p => [p.before, p.after])
        .filter((id): id is string => !!id),
    );
    const entriesOf = (id?: string) =>
      id ? treeEntries(trees, id, idBytes) : new Map<string, TreeObjectEntry>();
    const next: Pair[] = [];
    for (const { dir, before, after } of level) {
      const old = entriesOf(before);
      const current = entriesOf(after);
      for (const name of new Set([...old.keys(), ...current.keys()])) {
        const a = old.get(name);
        const b = current.get(name);
        if (a && b && a.id === b.id && a.mode === b.mode) continue;
        const file = dir ? `${dir}/${name}` : name;
        const aTree = a && isTreeMode(a.mode) ? a.id : undefined;
        const bTree = b && isTreeMode(b.mode) ? b.id : undefined;
        if ((aTree || bTree) && aTree !== bTree && leadsToPrefix(file)) {
          next.push({ dir: file, before: aTree, after: bTree });
        }
        const aFile = a && isFileMode(a.mode) ? a.id : undefined;
        const bFile = b && isFileMode(b.mode) ? b.id : undefined;
        if ((aFile || bFile) && wanted(file)) {
          changes.push({ path: file, blobId: bFile, previousBlobId: aFile });
        }
      }
    }
    level = next;
  }
  return changes;
}

/**
 * The files (blobs; not symbolic links or submodules) of a commit, sorted
 * by path, read through a GitObjectReader: what `git ls-tree -r` lists, one
 * batch of tree objects per depth and no process of its own.
 */
export async function listCommitFiles(
  reader: GitObjectReader,
  commitSha: string,
): Promise<GitTreeEntry[]> {
  const commits = await reader.read([commitSha]);
  const root = rootTreeOf(commitSha, commits.get(commitSha));
  const idBytes = commitSha.length / 2;
  const files: GitTreeEntry[] = [];
  let level = [{ dir: '', id: root }];
  while (level.length) {
    const trees = await reader.read(level.map(t => t.id));
    const next: typeof level = [];
    for (const { dir, id } of level) {
      for (const [name, entry] of treeEntries(trees, id, idBytes)) {
        const file = dir ? `${dir}/${name}` : name;
        if (isTreeMode(entry.mode)) next.push({ dir: file, id: entry.id });
        else if (isFileMode(entry.mode)) {
          files.push({ path: file, blobId: entry.id });
        }
      }
    }
    level = next;
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
