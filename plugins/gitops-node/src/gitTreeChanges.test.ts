import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitObjectReader } from './GitObjectReader';
import {
  applyTreeChanges,
  diffCommitTrees,
  GitTreeChange,
  listCommitFiles,
} from './gitTreeChanges';
import { git } from './__testUtils__/repositories';

describe('applyTreeChanges', () => {
  it('adds, replaces and deletes files, keeping the entries sorted by path', () => {
    const before = [
      { path: 'apps/a/deployment.yaml', blobId: '1' },
      { path: 'apps/b/deployment.yaml', blobId: '2' },
      { path: 'apps/c/deployment.yaml', blobId: '3' },
    ];
    const after = applyTreeChanges(before, [
      { path: 'apps/b/deployment.yaml', previousBlobId: '2' },
      { path: 'apps/c/deployment.yaml', blobId: '4', previousBlobId: '3' },
      { path: 'apps/a/service.yaml', blobId: '5' },
      { path: 'apps/0/deployment.yaml', blobId: '6' },
      // Deleting what is not there changes nothing.
      { path: 'apps/z/gone.yaml', previousBlobId: '7' },
    ]);
    expect(after).toEqual([
      { path: 'apps/0/deployment.yaml', blobId: '6' },
      { path: 'apps/a/deployment.yaml', blobId: '1' },
      { path: 'apps/a/service.yaml', blobId: '5' },
      { path: 'apps/c/deployment.yaml', blobId: '4' },
    ]);
    // The listing it was made from is left as it was.
    expect(before).toHaveLength(3);
  });
});

describe('diffCommitTrees', () => {
  let root: string;
  let reader: GitObjectReader;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-commit-trees-'));
    git(root, 'init', '--quiet', '-b', 'main');
  });
  afterAll(() => {
    reader?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const write = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  };
  const commit = () => {
    git(root, 'add', '-A');
    git(root, 'commit', '--quiet', '--allow-empty', '-m', 'change');
    return git(root, 'rev-parse', 'HEAD');
  };
  /** What `git diff-tree` says changed, in diffCommitTrees' terms. */
  const diffTree = (from: string, to: string, prefixes: string[]) => {
    const fields = git(
      root,
      'diff-tree',
      '-r',
      '-z',
      '--no-renames',
      from,
      to,
      '--',
      ...prefixes,
    ).split('\0');
    const changes: GitTreeChange[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [oldMode, newMode, oldId, newId] = fields[i].slice(1).split(' ');
      const file = (mode: string, id: string) =>
        mode.startsWith('100') ? id : undefined;
      changes.push({
        path: fields[i + 1],
        blobId: file(newMode, newId),
        previousBlobId: file(oldMode, oldId),
      });
    }
    return changes.filter(c => c.blobId || c.previousBlobId);
  };
  const sorted = (changes: GitTreeChange[]) =>
    [...changes].sort((a, b) => (a.path < b.path ? -1 : 1));

  it('finds what git diff-tree finds: added, changed, deleted, moved between file and folder, mode changes', async () => {
    write('apps/prod/pay/deployment.yaml', 'replicas: 2\n');
    write('apps/prod/pay/service.yaml', 'kind: Service\n');
    write('apps/prod/old/deployment.yaml', 'kind: Deployment\n');
    write('apps/prod/old/nested/more.yaml', 'kind: ConfigMap\n');
    write('apps/prod/becomes-folder', 'a file first\n');
    write('apps-legacy/x.yaml', 'x\n');
    write('infrastructure/prod/pay/db.yaml', 'kind: PostgreSQLInstance\n');
    write('README.md', '# GitOps\n');
    const from = commit();

    write('apps/prod/pay/deployment.yaml', 'replicas: 3\n');
    write('apps/prod/pay/hpa.yaml', 'kind: HorizontalPodAutoscaler\n');
    fs.rmSync(path.join(root, 'apps/prod/old'), { recursive: true });
    fs.rmSync(path.join(root, 'apps/prod/becomes-folder'));
    write('apps/prod/becomes-folder/inside.yaml', 'now a folder\n');
    write('apps/prod/new/deep/er/file.yaml', 'deep\n');
    fs.chmodSync(path.join(root, 'apps/prod/pay/service.yaml'), 0o755);
    fs.symlinkSync('service.yaml', path.join(root, 'apps/prod/pay/link.yaml'));
    write('apps-legacy/x.yaml', 'y\n');
    write('README.md', '# GitOps repository\n');
    const to = commit();
    reader = new GitObjectReader(path.join(root, '.git'));

    for (const prefixes of [
      [],
      ['apps'],
      ['apps', 'infrastructure'],
      ['apps/prod/pay'],
      ['apps/prod/new/deep'],
      ['infrastructure'],
    ]) {
      const changes = await diffCommitTrees(reader, from, to, prefixes);
      expect(sorted(changes)).toEqual(sorted(diffTree(from, to, prefixes)));
    }
    const inApps = await diffCommitTrees(reader, from, to, ['apps']);
    expect(inApps.map(c => c.path).sort()).toEqual([
      'apps/prod/becomes-folder',
      'apps/prod/becomes-folder/inside.yaml',
      'apps/prod/new/deep/er/file.yaml',
      'apps/prod/old/deployment.yaml',
      'apps/prod/old/nested/more.yaml',
      'apps/prod/pay/deployment.yaml',
      'apps/prod/pay/hpa.yaml',
      'apps/prod/pay/service.yaml',
    ]);
    expect(await diffCommitTrees(reader, to, to, [])).toEqual([]);
  });

  it('says so when a commit is not in the repository', async () => {
    const head = git(root, 'rev-parse', 'HEAD');
    await expect(
      diffCommitTrees(reader, 'e'.repeat(40), head, []),
    ).rejects.toThrow(`${'e'.repeat(40)} is not a commit of the repository`);
  });
});

describe('listCommitFiles', () => {
  it('lists what git ls-tree -r lists: files only, sorted by path', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'list-commit-files-'));
    const reader = new GitObjectReader(path.join(root, '.git'));
    try {
      git(root, 'init', '--quiet', '-b', 'main');
      for (const file of [
        'b.yaml',
        'apps/prod/pay/deployment.yaml',
        'apps/prod/pay/z/deep.yaml',
        'apps-legacy/x.yaml',
        'a.md',
      ]) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), `${file}\n`);
      }
      fs.symlinkSync('b.yaml', path.join(root, 'link.yaml'));
      git(root, 'add', '-A');
      git(root, 'commit', '--quiet', '-m', 'files');
      const head = git(root, 'rev-parse', 'HEAD');

      const lsTree = git(root, 'ls-tree', '-r', head)
        .split('\n')
        .filter(line => !line.startsWith('120000'))
        .map(line => {
          const [meta, file] = line.split('\t');
          return { path: file, blobId: meta.split(' ')[2] };
        })
        .sort((a, b) => (a.path < b.path ? -1 : 1));
      const listed = await listCommitFiles(reader, head);
      expect(listed).toEqual(lsTree);
      expect(listed.map(e => e.path)).toEqual([
        'a.md',
        'apps-legacy/x.yaml',
        'apps/prod/pay/deployment.yaml',
        'apps/prod/pay/z/deep.yaml',
        'b.yaml',
      ]);
    } finally {
      reader.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
