import { Config } from '@backstage/config';
import { CustomErrorBase } from '@backstage/errors';

/** `gitops.repository` is set in a way Causeway refuses to start with. */
export class GitOpsConfigError extends CustomErrorBase {
  name = 'GitOpsConfigError' as const;
}

/**
 * `gitops.repository.url`, refused when it carries credentials
 * (https://user:token@host/...): git would get them on its command line,
 * where `ps` shows them, and keep them in the cache's config. The error
 * names the key to use instead and never repeats the secret.
 */
export function gitopsRepositoryUrl(config: Config): string {
  const url = config.getString('gitops.repository.url');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(url);
  const authority = scheme?.[2] ?? '';
  const at = authority.lastIndexOf('@');
  if (!scheme || at < 0) return url;
  const userinfo = authority.slice(0, at);
  // An ssh user name (ssh://git@host/...) is no secret; a password is, and
  // over http(s) a user name alone is usually a token.
  const isHttp = /^https?$/i.test(scheme[1]);
  if (!isHttp && !userinfo.includes(':')) return url;
  const shown = `${scheme[1]}://***@${authority.slice(at + 1)}${url.slice(
    scheme[0].length,
  )}`;
  throw new GitOpsConfigError(
    `gitops.repository.url must not carry credentials (${shown}): set gitops.repository.credentials (username, password) instead, or leave them out to use the token of the integration for the host (integrations.github)`,
  );
}
