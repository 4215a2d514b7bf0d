import { InputError } from '@backstage/errors';
import { GitObjectReader } from './GitObjectReader';
import {
  isFileMode,
  isTreeMode,
  LooseObjectWriter,
  parseTreeObject,
  serializeTreeObject,
  TreeObjectEntry,
  unfollowedReason,
} from './gitObjects';
import { rootTreeOf } from './gitTreeChanges';

/** A file to write (its content, or the id of a blob the repository holds) or delete (null). */
export type TreeEdit = { path: string; blob: Buffer | string | null };

/** A symbolic link or submodule found where files were looked for, and why it was not read. */
export type UnfollowedEntry = { path: string; problem: string };

/** Tree objects parsed lately, by id (a tree never changes). */
const TREES_KEPT = 512;

/**
 * Reads and edits the trees of one repository as objects, never through a
 * checked-out folder: nothing here follows a symbolic link or a submodule,
 * and a path that goes through one (or ends at one) is refused, since on a
 * checkout the link would point the read or the write somewhere else.
 */
export class GitTrees {
  readonly #reader: GitObjectReader;
  readonly #writer: LooseObjectWriter;
  #parsed = new Map<string, TreeObjectEntry[]>();

  constructor(reader: GitObjectReader, writer: LooseObjectWriter) {
    this.#reader = reader;
    this.#writer = writer;
  }

  get reader(): GitObjectReader {
    return this.#reader;
  }

  get writer(): LooseObjectWriter {
    return this.#writer;
  }

  /** The root tree of a commit. */
  async rootOf(commitSha: string): Promise<string> {
    const objects = await this.#reader.read([commitSha]);
    return rootTreeOf(commitSha, objects.get(commitSha));
  }

  async entries(treeId: string): Promise<TreeObjectEntry[]> {
    return (await this.#entriesOf([treeId]))[0];
  }

  /** The entries of trees, read in one batch (those not parsed lately). */
  async #entriesOf(treeIds: string[]): Promise<TreeObjectEntry[][]> {
    const missing = treeIds.filter(id => !this.#parsed.has(id));
    const objects = missing.length
      ? await this.#reader.read(missing)
      : new Map();
    return treeIds.map(id => {
      const kept = this.#parsed.get(id);
      if (kept) return kept;
      const tree = objects.get(id);
      if (tree?.type !== 'tree') throw new Error(`tree ${id} is missing`);
      const entries = parseTreeObject(tree.data, id.length / 2);
      this.#parsed.set(id, entries);
      if (this.#parsed.size > TREES_KEPT) {
        this.#parsed.delete(this.#parsed.keys().next().value!);
      }
      return entries;
    });
  }

  /**
   * The entry at a path of a tree, undefined when there is none; a path
   * through (or to) a symbolic link or a submodule is refused, with the
   * path read or written named.
   */
  async entryAt(
    rootTree: string,
    file: string,
    doing: 'read' | 'write' = 'read',
  ): Promise<TreeObjectEntry | undefined> {
    const names = file.split('/');
    let tree = rootTree;
    for (const [i, name] of names.entries()) {
      const entry = (await this.entries(tree)).find(e => e.name === name);
      if (!entry) return undefined;
      const reason = unfollowedReason(entry.mode);
      if (reason) {
        throw unfollowed(doing, file, names.slice(0, i + 1).join('/'), reason);
      }
      if (i === names.length - 1) return entry;
      if (!isTreeMode(entry.mode)) return undefined;
      tree = entry.id;
    }
    return undefined;
  }

  /**
   * The files at or under a path of a tree, sorted by path, with their blob
   * ids; and the symbolic links and submodules found there, which are
   * reported, never read. A path through a link is refused.
   */
  async filesAt(
    rootTree: string,
    prefix: string,
  ): Promise<{
    files: Array<{ path: string; blobId: string }>;
    unfollowed: UnfollowedEntry[];
  }> {
    const top = await this.entryAt(rootTree, prefix);
    if (!top) return { files: [], unfollowed: [] };
    if (isFileMode(top.mode)) {
      return { files: [{ path: prefix, blobId: top.id }], unfollowed: [] };
    }
    return this.#walk([{ dir: prefix, id: top.id }]);
  }

  /**
   * The symbolic links and submodules at, under or on the way to each path
   * (e.g. a service's folder), never followed: what a reader of those paths
   * should report instead of leaving a file silently out.
   */
  async unfollowedAt(
    rootTree: string,
    prefixes: string[],
  ): Promise<UnfollowedEntry[]> {
    const found = new Map<string, string>();
    const folders: Array<{ dir: string; id: string }> = [];
    for (const prefix of prefixes) {
      const names = prefix.split('/');
      let tree = rootTree;
      for (const [i, name] of names.entries()) {
        const entry = (await this.entries(tree)).find(e => e.name === name);
        if (!entry) break;
        const here = names.slice(0, i + 1).join('/');
        const reason = unfollowedReason(entry.mode);
        if (reason) {
          found.set(here, reason);
          break;
        }
        if (!isTreeMode(entry.mode)) break;
        if (i === names.length - 1) folders.push({ dir: here, id: entry.id });
        tree = entry.id;
      }
    }
    for (const entry of (await this.#walk(folders)).unfollowed) {
      found.set(entry.path, entry.problem);
    }
    return [...found]
      .map(([path, problem]) => ({ path, problem }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** The files and unfollowed entries under folders, one batch of trees per depth. */
  async #walk(start: Array<{ dir: string; id: string }>) {
    const files: Array<{ path: string; blobId: string }> = [];
    const unfollowedEntries: UnfollowedEntry[] = [];
    let level = start;
    while (level.length) {
      const trees = await this.#entriesOf(level.map(l => l.id));
      const next: typeof level = [];
      for (const [i, { dir }] of level.entries()) {
        for (const entry of trees[i]) {
          const file = `${dir}/${entry.name}`;
          const reason = unfollowedReason(entry.mode);
          if (reason) unfollowedEntries.push({ path: file, problem: reason });
          else if (isTreeMode(entry.mode)) {
            next.push({ dir: file, id: entry.id });
          } else if (isFileMode(entry.mode)) {
            files.push({ path: file, blobId: entry.id });
          }
        }
      }
      level = next;
    }
    const byPath = (a: { path: string }, b: { path: string }) =>
      a.path < b.path ? -1 : 1;
    return {
      files: files.sort(byPath),
      unfollowed: unfollowedEntries.sort(byPath),
    };
  }

  /**
   * A new root tree: the tree with the edits applied, written as objects
   * (blobs, then each changed folder up to the root). Unchanged folders keep
   * their ids, so an edit that changes nothing gives the same tree back.
   */
  async edit(rootTree: string, edits: TreeEdit[]): Promise<string> {
    const root = await this.#editTree(rootTree, '', edits);
    return root ?? this.#writer.write('tree', serializeTreeObject([]));
  }

  async #editTree(
    treeId: string | undefined,
    dir: string,
    edits: TreeEdit[],
  ): Promise<string | undefined> {
    const entries = new Map(
      (treeId ? await this.entries(treeId) : []).map(e => [e.name, e]),
    );
    const byName = new Map<string, TreeEdit[]>();
    for (const edit of edits) {
      const rest = dir ? edit.path.slice(dir.length + 1) : edit.path;
      const name = rest.split('/')[0];
      byName.set(name, [...(byName.get(name) ?? []), edit]);
    }
    let changed = false;
    for (const [name, group] of byName) {
      const here = dir ? `${dir}/${name}` : name;
      const existing = entries.get(name);
      const reason = existing && unfollowedReason(existing.mode);
      if (reason) throw unfollowed('write', group[0].path, here, reason);
      const own = group.find(e => e.path === here);
      if (own && group.length > 1) {
        throw new InputError(
          `Refusing to write ${JSON.stringify(
            group.find(e => e !== own)!.path,
          )} to the GitOps repository: the same change writes ${here} as a file`,
        );
      }
      if (own) {
        if (existing && isTreeMode(existing.mode)) {
          throw new InputError(
            `Refusing to write ${JSON.stringify(
              here,
            )} to the GitOps repository: it is a folder there`,
          );
        }
        if (own.blob === null) {
          if (existing) {
            entries.delete(name);
            changed = true;
          }
          continue;
        }
        const id =
          typeof own.blob === 'string'
            ? own.blob
            : this.#writer.id('blob', own.blob);
        if (existing?.id === id) continue;
        if (typeof own.blob !== 'string') {
          await this.#writer.write('blob', own.blob);
        }
        entries.set(name, { name, mode: existing?.mode ?? '100644', id });
        changed = true;
        continue;
      }
      if (existing && !isTreeMode(existing.mode)) {
        throw new InputError(
          `Refusing to write ${JSON.stringify(
            group[0].path,
          )} to the GitOps repository: ${here} is a file there`,
        );
      }
      const sub = await this.#editTree(existing?.id, here, group);
      if (sub === existing?.id) continue;
      changed = true;
      if (sub) entries.set(name, { name, mode: '40000', id: sub });
      else entries.delete(name);
    }
    if (!changed) return treeId;
    if (entries.size === 0) return undefined;
    return this.#writer.write(
      'tree',
      serializeTreeObject([...entries.values()]),
    );
  }
}

function unfollowed(
  doing: 'read' | 'write',
  file: string,
  at: string,
  reason: string,
) {
  return new InputError(
    `Refusing to ${doing} ${JSON.stringify(file)} ${
      doing === 'read' ? 'from' : 'to'
    } the GitOps repository: ${at} ${reason}`,
  );
}
