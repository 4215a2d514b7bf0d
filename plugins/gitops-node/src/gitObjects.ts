import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import { GitIdentity } from './git';

const deflateAsync = promisify(deflate);

/** An entry of a tree object: a file (mode 100644 or 100755), a folder (40000), a link (120000) or a submodule (160000). */
export type TreeObjectEntry = {
  name: string;
  mode: string;
  id: string;
  /** The name's bytes, when they are not UTF-8 (kept as they are). */
  raw?: Buffer;
};

export const isFileMode = (mode: string) => mode.startsWith('100');
export const isTreeMode = (mode: string) => mode === '40000';
export const isLinkMode = (mode: string) => mode === '120000';
export const isSubmoduleMode = (mode: string) => mode === '160000';

/**
 * Why an entry is neither read nor written through, for a link or a
 * submodule (undefined for files and folders): on a checkout either would
 * point a read or a write somewhere else.
 */
export function unfollowedReason(mode: string): string | undefined {
  if (isLinkMode(mode)) {
    return 'is a symbolic link; Causeway does not follow links';
  }
  if (isSubmoduleMode(mode)) {
    return 'is a submodule; Causeway does not follow submodules';
  }
  return undefined;
}

/** The entries of a tree object: "<mode> <name>\0<binary id>" each, in order. */
export function parseTreeObject(
  data: Buffer,
  idBytes: number,
): TreeObjectEntry[] {
  const entries: TreeObjectEntry[] = [];
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(32, at);
    const nul = data.indexOf(0, space);
    const raw = data.subarray(space + 1, nul);
    const name = raw.toString('utf8');
    entries.push({
      name,
      mode: data.toString('latin1', at, space),
      id: data.toString('hex', nul + 1, nul + 1 + idBytes),
      ...(Buffer.byteLength(name) !== raw.length ||
      !Buffer.from(name).equals(raw)
        ? { raw: Buffer.from(raw) }
        : {}),
    });
    at = nul + 1 + idBytes;
  }
  return entries;
}

const SLASH = Buffer.from('/');
const NUL = Buffer.alloc(1);

/**
 * A tree object's content. Git orders entries by name as bytes, a folder's
 * name compared as if it ended in "/".
 */
export function serializeTreeObject(entries: TreeObjectEntry[]): Buffer {
  const keyed = entries.map(entry => {
    const name = entry.raw ?? Buffer.from(entry.name);
    return {
      entry,
      name,
      key: isTreeMode(entry.mode) ? Buffer.concat([name, SLASH]) : name,
    };
  });
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return Buffer.concat(
    keyed.flatMap(({ entry, name }) => [
      Buffer.from(`${entry.mode} `),
      name,
      NUL,
      Buffer.from(entry.id, 'hex'),
    ]),
  );
}

/** "Name <email> seconds +zone", without what git does not allow in an identity. */
function signature(who: GitIdentity, date: Date): string {
  const clean = (s: string) => s.replace(/[<>\r\n\0]/g, '').trim();
  const offset = -date.getTimezoneOffset();
  const abs = Math.abs(offset);
  const zone = `${offset < 0 ? '-' : '+'}${String(
    Math.floor(abs / 60),
  ).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return `${clean(who.name) || 'unknown'} <${clean(who.email)}> ${Math.floor(
    date.getTime() / 1000,
  )} ${zone}`;
}

/**
 * A commit message as `git commit -m` leaves it (cleanup "whitespace": no
 * trailing spaces, no leading, trailing or repeated blank lines), with the
 * trailers appended as the last paragraph.
 */
export function commitMessage(
  message: string,
  trailers: Record<string, string | undefined> = {},
): string {
  const lines = message
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map(l => l.trimEnd());
  const kept: string[] = [];
  for (const line of lines) {
    if (line === '' && (kept.length === 0 || kept[kept.length - 1] === '')) {
      continue;
    }
    kept.push(line);
  }
  while (kept.length && kept[kept.length - 1] === '') kept.pop();
  const trailer = Object.entries(trailers)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}: ${value!.replace(/\s+/g, ' ').trim()}`);
  if (trailer.length) kept.push('', ...trailer);
  return `${kept.join('\n')}\n`;
}

/**
 * Writes objects into a repository's object store as loose objects, the way
 * git does (zlib-compressed "<type> <size>\0<content>", named by its hash,
 * written aside and renamed into place), without a process per object:
 * starting git from a backend with a large heap costs more than the write.
 */
export class LooseObjectWriter {
  readonly #objects: string;
  readonly #algorithm: 'sha1' | 'sha256';

  constructor(objectsDir: string, algorithm: 'sha1' | 'sha256') {
    this.#objects = objectsDir;
    this.#algorithm = algorithm;
  }

  /** The id an object would have, without writing it. */
  id(type: 'blob' | 'tree' | 'commit', data: Buffer): string {
    return createHash(this.#algorithm)
      .update(`${type} ${data.length}\0`)
      .update(data)
      .digest('hex');
  }

  async write(type: 'blob' | 'tree' | 'commit', data: Buffer): Promise<string> {
    const id = this.id(type, data);
    const dir = path.join(this.#objects, id.slice(0, 2));
    const file = path.join(dir, id.slice(2));
    const exists = await fs.access(file).then(
      () => true,
      () => false,
    );
    if (exists) return id;
    const content = await deflateAsync(
      Buffer.concat([Buffer.from(`${type} ${data.length}\0`), data]),
    );
    await fs.mkdir(dir, { recursive: true });
    const temporary = path.join(
      dir,
      `tmp_obj_${process.pid}_${randomBytes(6).toString('hex')}`,
    );
    await fs.writeFile(temporary, content, { mode: 0o444 });
    await fs.rename(temporary, file);
    return id;
  }

  writeCommit(options: {
    tree: string;
    parents: string[];
    author: GitIdentity;
    committer: GitIdentity;
    message: string;
    date?: Date;
  }): Promise<string> {
    const date = options.date ?? new Date();
    const text = [
      `tree ${options.tree}`,
      ...options.parents.map(p => `parent ${p}`),
      `author ${signature(options.author, date)}`,
      `committer ${signature(options.committer, date)}`,
      '',
      options.message,
    ].join('\n');
    return this.write('commit', Buffer.from(text, 'utf8'));
  }
}
