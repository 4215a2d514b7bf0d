import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ensureLocalRepository } from './ensureLocalRepository';

const git = (repo: string, ...args: string[]) =>
  execFileSync('git', ['--git-dir', repo, ...args], {
    encoding: 'utf8',
  }).trim();

describe('ensureLocalRepository', () => {
  let dir: string;
  const logger = mockServices.logger.mock();

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-local-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a bare repository whose branch holds the initial layout', async () => {
    const repoPath = path.join(dir, 'nested', 'gitops.git');
    await expect(
      ensureLocalRepository({ repoPath, branch: 'trunk', logger }),
    ).resolves.toBe(true);

    expect(git(repoPath, 'rev-parse', '--is-bare-repository')).toBe('true');
    expect(git(repoPath, 'log', '--format=%an: %s', 'trunk')).toBe(
      'Causeway: Initial layout',
    );
    expect(
      git(repoPath, 'ls-tree', '-r', '--name-only', 'trunk').split('\n'),
    ).toEqual(['README.md', 'apps/.gitkeep', 'infrastructure/.gitkeep']);
    // Nothing is left next to it from the staging step.
    expect(fs.readdirSync(path.dirname(repoPath))).toEqual(['gitops.git']);
  });

  it('leaves an existing repository and its history alone on the next start', async () => {
    const repoPath = path.join(dir, 'gitops.git');
    await ensureLocalRepository({ repoPath, branch: 'main', logger });
    const head = git(repoPath, 'rev-parse', 'main');

    await expect(
      ensureLocalRepository({ repoPath, branch: 'main', logger }),
    ).resolves.toBe(false);
    expect(git(repoPath, 'rev-parse', 'main')).toBe(head);
  });

  it('refuses a path that exists but is not a bare repository, naming it', async () => {
    const repoPath = path.join(dir, 'not-a-repo');
    fs.mkdirSync(repoPath);
    fs.writeFileSync(path.join(repoPath, 'notes.txt'), 'keep me');

    await expect(
      ensureLocalRepository({ repoPath, branch: 'main', logger }),
    ).rejects.toThrow(
      `gitops.repository.url points at ${repoPath}, which exists but is not a bare git repository`,
    );
    expect(fs.readFileSync(path.join(repoPath, 'notes.txt'), 'utf8')).toBe(
      'keep me',
    );
  });
});
