/*
 * For the HA harness (scripts/ha/run.sh): the stand-in GitHub of the backend
 * tests (packages/backend/src/__testUtils__/standInGitHub.ts, not GitHub) as
 * a process of its own, so several backend replicas can publish new services'
 * source repositories to it. Writes { host, apiBaseUrl, token } to FILE (mode
 * 600: the token is a secret), then serves until SIGTERM.
 *   node --require @backstage/cli-node/config/nodeTransform.cjs \
 *     scripts/ha/serve-stand-in-github.ts ORGANISATION FILE
 */
import fs from 'node:fs';
import { startStandInGitHub } from '../../packages/backend/src/__testUtils__/standInGitHub';

async function main() {
  const [organization, file] = process.argv.slice(2);
  if (!organization || !file) {
    throw new Error('usage: serve-stand-in-github.ts ORGANISATION FILE');
  }
  const standIn = await startStandInGitHub({ organizations: [organization] });
  const { host, apiBaseUrl, token } = standIn;
  fs.writeFileSync(
    `${file}.partial`,
    JSON.stringify({ host, apiBaseUrl, token }),
    {
      mode: 0o600,
    },
  );
  fs.renameSync(`${file}.partial`, file);
  process.once('SIGTERM', () => standIn.close().then(() => process.exit(0)));
}

main().catch(error => {
  process.stderr.write(`${error}\n`);
  process.exit(1);
});
