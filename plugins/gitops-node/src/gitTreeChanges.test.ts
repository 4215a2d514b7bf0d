import { applyTreeChanges } from './gitTreeChanges';

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
