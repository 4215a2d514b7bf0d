import { repositoryLinks } from './repositoryLinks';

describe('repositoryLinks', () => {
  const sha = 'a'.repeat(40);

  it('links commits and files of a repository with a web UI, without credentials', () => {
    const links = repositoryLinks('https://***@github.com/acme/gitops.git');

    expect(links.commit(sha)).toBe(
      `https://github.com/acme/gitops/commit/${sha}`,
    );
    expect(
      links.file(
        sha,
        'apps/production/payments/payment service/deployment.yaml',
      ),
    ).toBe(
      `https://github.com/acme/gitops/blob/${sha}/apps/production/payments/payment%20service/deployment.yaml`,
    );
  });

  it('has no links for a repository on disk', () => {
    for (const url of [
      '/var/lib/causeway/gitops.git',
      'file:///srv/gitops.git',
    ]) {
      const links = repositoryLinks(url);
      expect(links.commit(sha)).toBeUndefined();
      expect(links.file(sha, 'apps/x/deployment.yaml')).toBeUndefined();
    }
  });
});
