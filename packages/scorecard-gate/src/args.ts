import { LEVELS, Level } from '@causeway/plugin-scorecard-common';
import { EXIT, GateOptions } from './gate';

export const USAGE = `usage: gate ENTITY_REF --min-level bronze|silver|gold [--url URL] [--json]

Asks the Causeway portal whether ENTITY_REF (e.g. component:default/payment-service)
is at least at the given scorecard level. URL defaults to $CAUSEWAY_URL and must be
https (http only to localhost); the token is read from $CAUSEWAY_TOKEN only. Exit
codes: 0 pass, 1 fail, 2 not in the catalog, 3 not evaluated yet, 4 error (usage,
connection, token).`;

/** The hosts a token may reach over plain http: this machine only. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Why the token must not be sent to this portal URL, or undefined when it may. */
export function portalUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `the portal URL ${JSON.stringify(url)} is not a URL`;
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.includes(parsed.hostname))
    return undefined;
  return `the portal URL must be https:// (http:// only to localhost, 127.0.0.1 or ::1), or the token crosses the network in the clear: ${parsed.protocol}//${parsed.host}`;
}

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
    } else if (arg === '--token' || arg.startsWith('--token=')) {
      // On the command line a token shows in ps and shell history: the
      // value is neither read nor echoed.
      return {
        usage: `--token is not accepted (a command line shows in ps and shell history): set CAUSEWAY_TOKEN in the environment instead\n\n${USAGE}`,
        exitCode: EXIT.error,
      };
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
    url ? portalUrlProblem(url) : 'give --url or set CAUSEWAY_URL',
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
    token: env.CAUSEWAY_TOKEN,
    json: flags.json === true,
  };
}
