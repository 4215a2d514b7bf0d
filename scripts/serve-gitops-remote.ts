/*
 * For scripts/test-image.sh: a GitOps repository on a git host, as production
 * needs it. Creates a bare repository (Causeway's initial layout) under the
 * folder given as the first argument, serves it over git smart HTTP on
 * 127.0.0.1 with basic auth (user causeway-bot, the password from
 * GITOPS_REMOTE_PASSWORD), prints its URL, then one line per request
 * (method, path, status), and serves until SIGTERM.
 *   node --require @backstage/cli-node/config/nodeTransform.cjs \
 *     scripts/serve-gitops-remote.ts FOLDER
 */
import http from 'node:http';
import path from 'node:path';
import { startGitHttpServer } from '../plugins/gitops-node/src/__testUtils__/repositories';
import { ensureLocalRepository } from '../plugins/gitops-node/src/ensureLocalRepository';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

async function main() {
  const [root] = process.argv.slice(2);
  const password = process.env.GITOPS_REMOTE_PASSWORD;
  if (!root || !password) {
    throw new Error(
      'usage: GITOPS_REMOTE_PASSWORD=... serve-gitops-remote.ts FOLDER',
    );
  }
  await ensureLocalRepository({
    repoPath: path.join(root, 'gitops.git'),
    branch: 'main',
    logger: silent as any,
  });
  // Each request's outcome, so the test sees the image fetch with credentials.
  const createServer = http.createServer;
  (http as any).createServer = (handler: http.RequestListener) =>
    createServer((req, res) => {
      res.on('finish', () =>
        process.stdout.write(`${req.method} ${req.url} ${res.statusCode}\n`),
      );
      handler(req, res);
    });
  const server = await startGitHttpServer({
    projectRoot: root,
    username: 'causeway-bot',
    password,
  });
  process.stdout.write(`${server.url}/gitops.git\n`);
  process.once('SIGTERM', () => server.close().then(() => process.exit(0)));
}

main().catch(error => {
  process.stderr.write(`${error}\n`);
  process.exit(1);
});
