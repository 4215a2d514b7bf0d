import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitObjectReader } from './GitObjectReader';
import { git } from './__testUtils__/repositories';

/** Writes content as a blob of the repository; returns its id. */
const hashObject = (repo: string, content: string | Buffer) =>
  execFileSync('git', ['hash-object', '-w', '--stdin'], {
    cwd: repo,
    input: content,
    encoding: 'utf8',
  }).trim();

describe('GitObjectReader', () => {
  let root: string;
  let reader: GitObjectReader;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'git-object-reader-'));
    git(root, 'init', '--quiet', '--bare');
  });
  afterEach(() => {
    reader?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reads blobs byte for byte, leaving out ids the repository does not hold', async () => {
    const text = hashObject(root, 'kind: Deployment\nmetadata:\n  name: a\n');
    const empty = hashObject(root, '');
    // Bigger than a pipe's buffer, with newlines and bytes that are not text.
    const big = Buffer.alloc(300_000, 0);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 256;
    const bigId = hashObject(root, big);
    reader = new GitObjectReader(root);

    const objects = await reader.read([
      text,
      'f'.repeat(40),
      empty,
      'not an id\nHEAD',
      bigId,
      text,
    ]);

    expect([...objects.keys()]).toEqual([text, empty, bigId]);
    expect(objects.get(text)).toEqual({
      type: 'blob',
      data: Buffer.from('kind: Deployment\nmetadata:\n  name: a\n'),
    });
    expect(objects.get(empty)?.data.length).toBe(0);
    expect(objects.get(bigId)?.data.equals(big)).toBe(true);
  });

  it('answers reads made at the same time each with its own objects, and sees objects written after it started', async () => {
    const ids = Array.from({ length: 50 }, (_, i) =>
      hashObject(root, `file ${i}\n`),
    );
    reader = new GitObjectReader(root);
    const answers = await Promise.all(
      ids.map((id, i) => reader.read(i % 2 ? [id, ids[0]] : [id])),
    );
    answers.forEach((objects, i) => {
      expect(objects.get(ids[i])?.data.toString()).toBe(`file ${i}\n`);
      expect(objects.size).toBe(i % 2 ? 2 : 1);
    });

    const later = hashObject(root, 'written later\n');
    const objects = await reader.read([later]);
    expect(objects.get(later)?.data.toString()).toBe('written later\n');
  });

  it('fails the reads waiting when git cannot run there, and starts again on the next read', async () => {
    reader = new GitObjectReader(path.join(root, 'no-such-folder'));
    await expect(reader.read(['a'.repeat(40)])).rejects.toThrow();

    const inRepo = new GitObjectReader(root);
    const id = hashObject(root, 'x\n');
    await expect(inRepo.read([id])).resolves.toHaveProperty('size', 1);
    inRepo.close();
    // A closed reader starts a new process when asked again.
    await expect(inRepo.read([id])).resolves.toHaveProperty('size', 1);
    inRepo.close();
  });
});
