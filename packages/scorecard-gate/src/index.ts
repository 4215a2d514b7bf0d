/**
 * The scorecard release gate for CI pipelines.
 *
 *   gate ENTITY_REF --min-level silver [--url URL] [--json]
 *
 * URL defaults to $CAUSEWAY_URL (https, or http to localhost only); the token
 * is $CAUSEWAY_TOKEN, never a command-line argument.
 *
 * @packageDocumentation
 */
import { EXIT, runGate } from './gate';
import { parseArgs } from './args';

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2), process.env);
  if ('usage' in parsed) {
    process.stderr.write(`${parsed.usage}\n`);
    return parsed.exitCode;
  }
  const { exitCode, output } = await runGate(parsed);
  (exitCode === EXIT.pass || exitCode === EXIT.fail
    ? process.stdout
    : process.stderr
  ).write(`${output}\n`);
  return exitCode;
}

main().then(code => {
  process.exitCode = code;
});
