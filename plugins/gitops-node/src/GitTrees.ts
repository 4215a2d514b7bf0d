import { InputError } from '@backstage/errors';
import { GitObjectReader } from './GitObjectReader';
import {
  isFileMode,
  isLinkMode,
  isTreeMode,
  LooseObjectWriter,
  parseTreeObject,
  serializeTreeObject,
  TreeObjectEntry,
} from './gitObjects';
import { rootTreeOf } from './gitTreeChanges';

/** A file to write (its content, or the id of a blob the repository holds) or delete (null). */
export type TreeEdit = { path: string; blob: Buffer | string | null };

/** Tree objects parsed lately, by id (a tree never changes). */
const TREES_KEPT = 512;

/**
 * Reads and edits the trees of one repository as objects, never through a
 * checked-out folder: nothing here follows a symbolic link, and a path that
 * goes through one (or ends at one) is refused, since on a checkout the
 * link would point the read or the write somewhere else.
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
   * through (or to) a symbolic link is refused.
   */
  async entryAt(
    rootTree: string,
    file: string,
  ): Promise<TreeObjectEntry | undefined> {
    const names = file.split('/');
    let tree = rootTree;
    for (const [i, name] of names.entries()) {
      const entry = (await this.entries(tree)).find(e => e.name === name);
      if (!entry) return undefined;
      if (isLinkMode(entry.mode)) {
        throw symbolicLink('read', file, names.slice(0, i + 1).join('/'));
      }
      if (i === names.length - 1) return entry;
      if (!isTreeMode(entry.mode)) return undefined;
      tree = entry.id;
    }
    return undefined;
  }

  /**
   * The files (not links or submodules) at or under a path of a tree, sorted
   * by path, with their blob ids; a path through a link is refused.
   */
  async filesAt(
    rootTree: string,
    prefix: string,
  ): Promise<Array<{ path: string; blobId: string }>> {
    const top = await this.entryAt(rootTree, prefix);
    if (!top) return [];
    if (isFileMode(top.mode)) return [{ path: prefix, blobId: top.id }];
    if (!isTreeMode(top.mode)) return [];
    const files: Array<{ path: string; blobId: string }> = [];
    let level = [{ dir: prefix, id: top.id }];
    while (level.length) {
      const trees = await this.#entriesOf(level.map(l => l.id));
      const next: typeof level = [];
      for (const [i, { dir }] of level.entries()) {
        for (const entry of trees[i]) {
          const file = `${dir}/${entry.name}`;
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
      if (existing && isLinkMode(existing.mode)) {
        throw symbolicLink('write', group[0].path, here);
      }
      const own = group.find(e => e.path === here);
      if (own && group.length > 1) {
        throw new InputError(
          `Refusing to write ${JSON.stringify(
            group.find(e => e !== own)!.path,
          )} to the GitOps repository: the same change writes ${here} as a file`,
        );
      }
      if (own) {
        if (existing && !isFileMode(existing.mode)) {
          throw new InputError(
            `Refusing to write ${JSON.stringify(
              here,
            )} to the GitOps repository: it is a ${
              isTreeMode(existing.mode) ? 'folder' : 'submodule'
            } there`,
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

function symbolicLink(doing: 'read' | 'write', file: string, link: string) {
  return new InputError(
    `Refusing to ${doing} ${JSON.stringify(file)} ${
      doing === 'read' ? 'from' : 'to'
    } the GitOps repository: ${link} is a symbolic link there, which Causeway never follows`,
  );
}
