import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { runGit } from './git';
import {
  hookSecret,
  installLocalHooks,
  isHookSecret,
  parseRefUpdates,
} from './localGitHooks';

const a = 'a'.repeat(40);
const zero = '0'.repeat(40);

describe('parseRefUpdates', () => {
  it('reads the lines git gives a post-receive hook', () => {
    expect(
      parseRefUpdates(
        `${zero} ${a} refs/heads/main\n${a} ${zero} refs/tags/v1\n`,
      ),
    ).toEqual([
      { before: zero, after: a, ref: 'refs/heads/main' },
      { before: a, after: zero, ref: 'refs/tags/v1' },
    ]);
  });

  it.each([
    [`${zero} $(id) refs/heads/main`],
    [`${zero} ${a} refs/heads/../../etc`],
    [`${zero} ${a} refs/heads/main extra`],
    [`${zero} ${a} HEAD`],
    [`${zero} ${a} refs/heads/a;rm`],
  ])('refuses %p', line => {
    expect(() => parseRefUpdates(line)).toThrow(InputError);
  });

  it('refuses what is not text', () => {
    expect(() => parseRefUpdates({ lines: [] })).toThrow(InputError);
  });
});

describe('installLocalHooks', () => {
  it('writes the hook and its secret (mode 600) once, and points repositories at it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooks-'));
    try {
      const repo = path.join(dir, 'one.git');
      await runGit(['init', '--quiet', '--bare', repo]);
      const hooksDir = path.join(dir, '.causeway-hooks');
      const install = () =>
        installLocalHooks({
          hooksDir,
          endpoint: 'http://localhost:1/api/scorecard/git-hooks/post-receive',
          repositories: [repo],
        });
      await install();
      const secret = await hookSecret(hooksDir);
      await install();
      expect(await hookSecret(hooksDir)).toBe(secret);
      expect(fs.statSync(path.join(hooksDir, 'secret')).mode & 0o777).toBe(
        0o600,
      );
      expect(
        fs.statSync(path.join(hooksDir, 'post-receive')).mode & 0o111,
      ).not.toBe(0);
      expect(
        await runGit(['--git-dir', repo, 'config', 'core.hooksPath']),
      ).toBe(hooksDir);
      expect(isHookSecret(secret, secret)).toBe(true);
      expect(isHookSecret('x', secret)).toBe(false);
      expect(isHookSecret(undefined, secret)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
