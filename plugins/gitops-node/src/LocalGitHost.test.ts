import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalGitHost } from './LocalGitHost';
import { git } from './__testUtils__/repositories';

describe('LocalGitHost', () => {
  let scratch: string;
  let host: LocalGitHost;
  let source: string;
  const author = { name: 'Alice Anderson', email: 'alice@example.com' };

  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-host-'));
    host = new LocalGitHost({ root: path.join(scratch, 'repos') });
    source = path.join(scratch, 'workspace');
    fs.mkdirSync(path.join(source, 'src'), { recursive: true });
    fs.writeFileSync(path.join(source, 'catalog-info.yaml'), 'kind: x\n');
    fs.writeFileSync(path.join(source, 'src', 'index.ts'), 'export {};\n');
  });

  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('creates a bare repository holding the workspace as one commit by the user, clonable with git', async () => {
    const created = await host.create({
      name: 'refund-api',
      sourceDir: source,
      message: 'Create refund-api from service-nodejs',
      author,
      description: 'Refunds',
    });

    expect(created.url).toBe(
      `file://${path.join(scratch, 'repos', 'refund-api.git')}`,
    );
    const clone = path.join(scratch, 'clone');
    git(scratch, 'clone', '--quiet', created.url, clone);
    expect(git(clone, 'log', '--format=%an <%ae>|%s|%H')).toBe(
      `Alice Anderson <alice@example.com>|Create refund-api from service-nodejs|${created.commitSha}`,
    );
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(fs.readFileSync(path.join(clone, 'src/index.ts'), 'utf8')).toBe(
      'export {};\n',
    );
    expect(await host.list()).toEqual(['refund-api']);
    expect(await host.readFile('refund-api', 'catalog-info.yaml')).toBe(
      'kind: x\n',
    );
    expect(await host.readFile('refund-api', 'missing.yaml')).toBeUndefined();
    expect(await host.readFile('other', 'catalog-info.yaml')).toBeUndefined();
  });

  it('refuses a taken name and leaves the existing repository and no staging folder behind', async () => {
    await host.create({
      name: 'refund-api',
      sourceDir: source,
      message: 'one',
      author,
    });

    await expect(
      host.create({
        name: 'refund-api',
        sourceDir: source,
        message: 'two',
        author,
      }),
    ).rejects.toThrow(
      /A source repository named refund-api already exists on the local git host/,
    );
    expect(fs.readdirSync(path.join(scratch, 'repos'))).toEqual([
      'refund-api.git',
    ]);
    expect(
      git(path.join(scratch, 'repos', 'refund-api.git'), 'log', '--format=%s'),
    ).toBe('one');
  });

  it('leaves nothing behind when the commit cannot be made', async () => {
    await expect(
      host.create({
        name: 'refund-api',
        sourceDir: path.join(scratch, 'no-such-folder'),
        message: 'x',
        author,
      }),
    ).rejects.toThrow();
    expect(await host.exists('refund-api')).toBe(false);
    expect(fs.readdirSync(path.join(scratch, 'repos'))).toEqual([]);
  });

  it('only lets two concurrent creations of one name succeed once', async () => {
    const results = await Promise.allSettled(
      [1, 2, 3].map(i =>
        host.create({
          name: 'refund-api',
          sourceDir: source,
          message: `run ${i}`,
          author,
        }),
      ),
    );
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    expect(fs.readdirSync(path.join(scratch, 'repos'))).toEqual([
      'refund-api.git',
    ]);
  });

  it('rejects names that are not Kubernetes names, so no path leaves the host folder', () => {
    expect(() => host.repositoryPath('../evil')).toThrow(
      'Invalid repository name "../evil"',
    );
  });
});
