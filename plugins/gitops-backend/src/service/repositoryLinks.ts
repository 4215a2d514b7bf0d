/**
 * Links into the web UI of the GitOps repository, from its URL as shown
 * (credentials removed): commit and file pages in the GitHub layout, which
 * GitHub, Gitea and Forgejo serve. A repository reached by path or file://
 * has no web UI, so no links.
 */
export function repositoryLinks(displayUrl: string): {
  commit(sha: string): string | undefined;
  file(sha: string, path: string): string | undefined;
} {
  const base = /^https?:\/\//.test(displayUrl)
    ? displayUrl.replace(/\.git$/, '').replace(/\/\/\*\*\*@/, '//')
    : undefined;
  return {
    commit: sha => (base ? `${base}/commit/${sha}` : undefined),
    file: (sha, path) =>
      base
        ? `${base}/blob/${sha}/${path
            .split('/')
            .map(encodeURIComponent)
            .join('/')}`
        : undefined,
  };
}
