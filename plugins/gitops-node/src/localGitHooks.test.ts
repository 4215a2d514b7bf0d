import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { runGit } from './git';
import { promisify } from 'node:util';
import {
  HOOK_SECRET_HEADER,
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

describe('the post-receive hook', () => {
  const run = promisify(execFile);
  let dir: string;
  let bare: string;
  let work: string;
  const hooksDir = () => path.join(dir, '.causeway-hooks');
  const commitAndPush = async (file: string) => {
    fs.writeFileSync(path.join(work, file), `${file}\n`);
    const git = (...args: string[]) =>
      run(
        'git',
        ['-C', work, '-c', 'user.name=Bob', '-c', 'user.email=b@x', ...args],
        {},
      );
    await git('add', '.');
    await git('commit', '--quiet', '-m', file);
    // Not execFileSync: the hook may call a server in this process.
    return git('push', '--quiet', bare, 'HEAD:main');
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hook-run-'));
    bare = path.join(dir, 'one.git');
    work = path.join(dir, 'work');
    await runGit(['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    await runGit(['init', '--quiet', '--initial-branch=main', work]);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('hands the portal the pushed refs as data, with its secret', async () => {
    const received: Array<{ secret?: string; body: any }> = [];
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', chunk => {
        text += chunk;
      });
      req.on('end', () => {
        received.push({
          secret: req.headers[HOOK_SECRET_HEADER] as string,
          body: JSON.parse(text),
        });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await installLocalHooks({
        hooksDir: hooksDir(),
        endpoint: `http://127.0.0.1:${port}/hook`,
        repositories: [bare],
      });
      const { stderr } = await commitAndPush('README.md');
      expect(stderr).toBe('');
      const head = await runGit(['--git-dir', bare, 'rev-parse', 'main']);
      expect(received).toEqual([
        {
          secret: await hookSecret(hooksDir()),
          body: {
            repository: fs.realpathSync(bare),
            updates: `${'0'.repeat(40)} ${head} refs/heads/main\n`,
          },
        },
      ]);
    } finally {
      server.close();
    }
  });

  it('neither fails nor holds a push when the portal is down', async () => {
    await installLocalHooks({
      hooksDir: hooksDir(),
      // Nothing listens on port 1.
      endpoint: 'http://127.0.0.1:1/hook',
      repositories: [bare],
    });
    const { stderr } = await commitAndPush('README.md');
    expect(stderr).toContain('causeway: the portal was not told');
    expect(
      await runGit(['--git-dir', bare, 'log', '--format=%s', 'main']),
    ).toBe('README.md');
  });
});
