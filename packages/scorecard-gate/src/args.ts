import { LEVELS, Level } from '@causeway/plugin-scorecard-common';
import { EXIT, GateOptions } from './gate';

export const USAGE = `usage: gate ENTITY_REF --min-level bronze|silver|gold [--url URL] [--token TOKEN] [--json]

Asks the Causeway portal whether ENTITY_REF (e.g. component:default/payment-service)
is at least at the given scorecard level. URL and TOKEN default to $CAUSEWAY_URL and
$CAUSEWAY_TOKEN. Exit codes: 0 pass, 1 fail, 2 not in the catalog, 3 not evaluated yet,
4 error (usage, connection, token).`;

/** Command-line arguments to gate options, or what to print instead. */
export function parseArgs(
  argv: string[],
  env: Record<string, string | undefined>,
): GateOptions | { usage: string; exitCode: number } {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json' || arg === '--help' || arg === '-h') {
      flags[arg.replace(/^-+/, '')] = true;
    } else if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=', 2);
      const value = inline ?? argv[++i];
      if (value === undefined)
        return {
          usage: `--${key} needs a value\n\n${USAGE}`,
          exitCode: EXIT.error,
        };
      flags[key] = value;
    } else {
      positional.push(arg);
    }
  }
  if (flags.help || flags.h) return { usage: USAGE, exitCode: EXIT.pass };
  const minLevel = flags['min-level'];
  const url = (flags.url as string | undefined) ?? env.CAUSEWAY_URL;
  const problems = [
    positional.length !== 1 && 'give exactly one ENTITY_REF',
    !LEVELS.includes(minLevel as Level) &&
      `--min-level must be one of ${LEVELS.join(', ')}`,
    !url && 'give --url or set CAUSEWAY_URL',
  ].filter(Boolean);
  if (problems.length) {
    return {
      usage: `${problems.join('; ')}\n\n${USAGE}`,
      exitCode: EXIT.error,
    };
  }
  return {
    entityRef: positional[0],
    minLevel: minLevel as Level,
    url: url!,
    token: (flags.token as string | undefined) ?? env.CAUSEWAY_TOKEN,
    json: flags.json === true,
  };
}
