import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** Where new source repositories go, from `goldenPaths.sourceHost`. */
export type SourceHostConfig =
  | { type: 'local' }
  | { type: 'github'; host: string; owner: string };

export function sourceHostFromConfig(config: Config): SourceHostConfig {
  const type =
    config.getOptionalString('goldenPaths.sourceHost.type') ?? 'local';
  if (type === 'local') return { type };
  if (type === 'github') {
    return {
      type,
      host:
        config.getOptionalString('goldenPaths.sourceHost.host') ?? 'github.com',
      owner: config.getString('goldenPaths.sourceHost.owner'),
    };
  }
  throw new InputError(
    `goldenPaths.sourceHost.type must be local or github, not ${JSON.stringify(
      type,
    )}`,
  );
}
