import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { runGit } from './git';

/**
 * The post-receive hook of the local repositories (the GitOps repository
 * and the local git host's): one script in one folder, which every
 * repository names as its core.hooksPath, so a new repository gets it by a
 * line of config and a start of the portal rewrites it in one place.
 */
export const POST_RECEIVE_HOOK = 'post-receive';
/** The header the hook sends its secret in. */
export const HOOK_SECRET_HEADER = 'x-causeway-hook-secret';

const SECRET_FILE = 'secret';
const CONFIG_FILE = 'config.json';
const SCRIPT_FILE = 'post-receive.cjs';

/** One line of what git hands a post-receive hook: a ref moved. */
export type RefUpdate = { before: string; after: string; ref: string };

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** What git check-ref-format allows, narrowed to the refs a push moves. */
const REF = /^refs\/(?:heads|tags)\/[A-Za-z0-9._/-]{1,200}$/;
const MAX_UPDATES = 1000;

/** Whether a sha is git's "no commit" (a ref created or deleted). */
export const isNullSha = (sha: string) => /^0+$/.test(sha);

/**
 * The ref updates of a post-receive hook's input ("old new ref" lines),
 * validated: the input comes from whoever could run the hook, never trusted.
 */
export function parseRefUpdates(input: unknown): RefUpdate[] {
  if (typeof input !== 'string') {
    throw new InputError('updates must be the text git gave the hook');
  }
  const lines = input.split('\n').filter(line => line.trim() !== '');
  if (lines.length > MAX_UPDATES) {
    throw new InputError(`At most ${MAX_UPDATES} ref updates per push`);
  }
  return lines.map(line => {
    const [before, after, ref, ...rest] = line.trim().split(' ');
    if (
      rest.length ||
      !SHA.test(before ?? '') ||
      !SHA.test(after ?? '') ||
      !REF.test(ref ?? '') ||
      ref.split('/').some(s => s === '' || s === '.' || s === '..') ||
      ref.endsWith('.lock') ||
      ref.includes('..')
    ) {
      throw new InputError('Invalid ref update: expected "OLD NEW REF" lines');
    }
    return { before, after, ref };
  });
}

/**
 * The hook's secret in its folder (mode 600), made on first use and kept:
 * a push between two starts still authenticates.
 */
export async function hookSecret(hooksDir: string): Promise<string> {
  await fs.mkdir(hooksDir, { recursive: true, mode: 0o700 });
  const file = path.join(hooksDir, SECRET_FILE);
  const made = randomBytes(32).toString('hex');
  // Written aside, then linked into place: a crash never leaves a secret
  // half-written, and of two starts at once the first link wins.
  const partial = `${file}.partial-${process.pid}`;
  await fs.writeFile(partial, `${made}\n`, { mode: 0o600 });
  try {
    await fs.link(partial, file);
    return made;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(partial, { force: true });
  }
  const stored = (await fs.readFile(file, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/.test(stored)) {
    throw new Error(`The git hook secret in ${file} is damaged: remove it`);
  }
  return stored;
}

/** Whether a presented secret is the hook's, in constant time. */
export function isHookSecret(presented: unknown, secret: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Writes a file whole or not at all (a push may run the hook meanwhile). */
async function writeAtomically(file: string, content: string, mode: number) {
  const partial = `${file}.partial-${process.pid}`;
  await fs.writeFile(partial, content, { mode });
  await fs.chmod(partial, mode);
  await fs.rename(partial, file);
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/*
 * The hook: node, passing git's input on as data in a JSON body, never into
 * a command line. It never fails or holds a push: a portal that is down or
 * slow only leaves the re-grade to the head poll.
 */
const SCRIPT = `'use strict';
// Written by Causeway at each start; edits are overwritten.
const fs = require('node:fs');
const path = require('node:path');
let updates = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { updates += chunk; });
process.stdin.on('end', async () => {
  try {
    const read = file => fs.readFileSync(path.join(__dirname, file), 'utf8');
    const { endpoint } = JSON.parse(read(${JSON.stringify(CONFIG_FILE)}));
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ${JSON.stringify(HOOK_SECRET_HEADER)}: read(${JSON.stringify(
  SECRET_FILE,
)}).trim(),
      },
      body: JSON.stringify({ repository: process.cwd(), updates }),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error('the portal answered ' + response.status);
  } catch (error) {
    process.stderr.write('causeway: the portal was not told about this push (' +
      (error && error.message) + '); its next head poll will find it\\n');
  }
});
`;

/**
 * Writes the hook into `hooksDir` for a portal listening at `endpoint`, and
 * makes each repository use it. Idempotent: every start runs it again.
 */
export async function installLocalHooks(options: {
  hooksDir: string;
  endpoint: string;
  repositories: string[];
  nodePath?: string;
}): Promise<void> {
  const { hooksDir, endpoint, repositories } = options;
  await hookSecret(hooksDir);
  await writeAtomically(
    path.join(hooksDir, CONFIG_FILE),
    `${JSON.stringify({ endpoint })}\n`,
    0o644,
  );
  await writeAtomically(path.join(hooksDir, SCRIPT_FILE), SCRIPT, 0o644);
  // A shell wrapper: a .cjs file is CommonJS whatever package.json is above.
  await writeAtomically(
    path.join(hooksDir, POST_RECEIVE_HOOK),
    `#!/bin/sh\nexec ${shellQuote(
      options.nodePath ?? process.execPath,
    )} "$(dirname "$0")/${SCRIPT_FILE}"\n`,
    0o755,
  );
  for (const repository of repositories) {
    await useLocalHooks(repository, hooksDir);
  }
}

/** Makes a bare repository run the hooks of `hooksDir`. */
export async function useLocalHooks(
  repositoryDir: string,
  hooksDir: string,
): Promise<void> {
  await runGit([
    '--git-dir',
    repositoryDir,
    'config',
    'core.hooksPath',
    path.resolve(hooksDir),
  ]);
}
