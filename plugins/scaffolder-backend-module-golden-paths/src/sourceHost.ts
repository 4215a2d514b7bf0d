import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import {
  messageTrailers,
  TASK_TRAILER,
  usesLocalGitHost,
} from '@causeway/plugin-gitops-node';

export const REPOSITORY_VISIBILITIES = [
  'private',
  'internal',
  'public',
] as const;
export type RepositoryVisibility = (typeof REPOSITORY_VISIBILITIES)[number];

/** Where new source repositories go, from `goldenPaths.sourceHost`. */
export type SourceHostConfig =
  | { type: 'local' }
  | {
      type: 'github';
      host: string;
      owner: string;
      visibility: RepositoryVisibility;
      /** Whether a repository of that name exists under the owner. */
      exists(name: string): Promise<boolean>;
      /**
       * The scaffolder task named by the Causeway-Task trailer of the
       * repository's first commit, if it exists and has one.
       */
      repositoryTask(name: string): Promise<string | undefined>;
      /** Whether the repository exists with no commits (nothing pushed yet). */
      isEmpty(name: string): Promise<boolean>;
      /** Deletes the repository (the token needs GitHub's delete_repo scope). */
      remove(name: string): Promise<void>;
    };

/**
 * Reads `goldenPaths.sourceHost`. For GitHub it also checks that an
 * integration with credentials covers the host, so a misconfiguration stops
 * the start instead of failing a template run half-way.
 */
export function sourceHostFromConfig(
  config: Config,
  fetchImpl: typeof fetch = fetch,
): SourceHostConfig {
  if (usesLocalGitHost(config)) return { type: 'local' };
  const type = config.getString('goldenPaths.sourceHost.type');
  if (type !== 'github') {
    throw new InputError(
      `goldenPaths.sourceHost.type must be local or github, not ${JSON.stringify(
        type,
      )}`,
    );
  }
  const host =
    config.getOptionalString('goldenPaths.sourceHost.host') ?? 'github.com';
  const owner = config.getString('goldenPaths.sourceHost.owner');
  const visibility =
    config.getOptionalString('goldenPaths.sourceHost.visibility') ?? 'private';
  if (!(REPOSITORY_VISIBILITIES as readonly string[]).includes(visibility)) {
    throw new InputError(
      `goldenPaths.sourceHost.visibility must be one of ${REPOSITORY_VISIBILITIES.join(
        ', ',
      )}, not ${JSON.stringify(visibility)}`,
    );
  }
  const integrations = ScmIntegrations.fromConfig(config);
  const integration = integrations.github.byHost(host);
  if (!integration) {
    throw new InputError(
      `goldenPaths.sourceHost is GitHub at ${host}, but integrations.github has no entry for that host`,
    );
  }
  const credentials =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  const apiBaseUrl = integration.config.apiBaseUrl ?? `https://api.${host}`;

  const api = async (name: string, route = '', method = 'GET') => {
    const { headers } = await credentials.getCredentials({
      url: `https://${host}/${owner}/${name}`,
    });
    return fetchImpl(
      `${apiBaseUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(
        name,
      )}${route}`,
      {
        method,
        headers: { ...headers, accept: 'application/vnd.github+json' },
      },
    );
  };

  return {
    type,
    host,
    owner,
    visibility: visibility as RepositoryVisibility,
    async repositoryTask(name) {
      // A new repository has one commit; 100 reach its first one in any case
      // a run could have made.
      const response = await api(name, '/commits?per_page=100');
      // 404: no such repository; 409: it is empty.
      if (response.status === 404 || response.status === 409) return undefined;
      if (!response.ok) {
        throw new Error(
          `Could not read the commits of ${owner}/${name} on ${host}: GitHub answered ${response.status}`,
        );
      }
      const commits = (await response.json()) as Array<{
        commit?: { message?: string };
      }>;
      const first = commits[commits.length - 1]?.commit?.message ?? '';
      return messageTrailers(first)[TASK_TRAILER];
    },
    async isEmpty(name) {
      const response = await api(name, '/commits?per_page=1');
      // GitHub answers 409 for a repository with no commits.
      if (response.status === 409) return true;
      if (response.ok || response.status === 404) return false;
      throw new Error(
        `Could not read the commits of ${owner}/${name} on ${host}: GitHub answered ${response.status}`,
      );
    },
    async remove(name) {
      const response = await api(name, '', 'DELETE');
      if (!response.ok && response.status !== 404) {
        throw new Error(
          `Could not delete ${owner}/${name} on ${host}: GitHub answered ${
            response.status
          }${
            response.status === 403
              ? ' (the token needs the delete_repo scope)'
              : ''
          }`,
        );
      }
    },
    async exists(name) {
      const response = await api(name);
      if (response.status === 404) return false;
      if (response.ok) return true;
      throw new Error(
        `Could not check whether ${owner}/${name} exists on ${host}: GitHub answered ${response.status}`,
      );
    },
  };
}
