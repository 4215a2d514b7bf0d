import { Config } from '@backstage/config';

/**
 * Whether golden paths put new services' source on the local git host:
 * `goldenPaths.sourceHost.type`, `local` when unset (the embedded default).
 */
export function usesLocalGitHost(config: Config): boolean {
  return (
    (config.getOptionalString('goldenPaths.sourceHost.type') ?? 'local') ===
    'local'
  );
}
