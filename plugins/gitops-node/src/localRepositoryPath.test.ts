import { localRepositoryPath } from './localRepositoryPath';

describe('localRepositoryPath', () => {
  it('treats plain paths and file: URLs as local, everything else as remote', () => {
    expect(localRepositoryPath('./data/git/gitops.git', '/srv/causeway')).toBe(
      '/srv/causeway/data/git/gitops.git',
    );
    expect(localRepositoryPath('file:///srv/gitops.git')).toBe(
      '/srv/gitops.git',
    );
    expect(
      localRepositoryPath('https://github.com/acme/gitops.git'),
    ).toBeUndefined();
    expect(
      localRepositoryPath('git@github.com:acme/gitops.git'),
    ).toBeUndefined();
  });
});
