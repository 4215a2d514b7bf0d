import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export type Portal = {
  baseUrl: string;
  dataDir: string;
  /** Everything the portal printed so far. */
  output(): string;
  stop(): Promise<void>;
};

/**
 * Starts the portal with the README's start command, `./causeway start`,
 * on a free port and a private data folder (the override below), and waits
 * until it says where it is.
 */
export async function startPortal(
  options: { extraConfig?: string; waitForReady?: boolean } = {},
): Promise<Portal & { exit: Promise<number | null> }> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-e2e-'));
  const override = path.join(dataDir, 'app-config.e2e.yaml');
  fs.writeFileSync(
    override,
    [
      `app: { baseUrl: '${baseUrl}' }`,
      'backend:',
      `  baseUrl: '${baseUrl}'`,
      `  listen: { port: ${port} }`,
      `  cors: { origin: '${baseUrl}' }`,
      `  database: { client: better-sqlite3, connection: { directory: '${dataDir}/sqlite' } }`,
      `gitops: { repository: { url: '${dataDir}/git/gitops.git' } }`,
      `goldenPaths: { sourceHost: { path: '${dataDir}/git/repos' } }`,
    ].join('\n'),
  );
  const configArgs = ['--config', override];
  if (options.extraConfig) {
    const extra = path.join(dataDir, 'app-config.extra.yaml');
    fs.writeFileSync(extra, options.extraConfig);
    configArgs.push('--config', extra);
  }

  let output = '';
  const child: ChildProcess = spawn(
    path.join(repoRoot, 'causeway'),
    ['start', ...configArgs],
    {
      cwd: repoRoot,
      env: { ...process.env, CAUSEWAY_URL: baseUrl },
      detached: true, // its own process group, so stop() ends the whole tree
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', chunk => (output += chunk));
  child.stderr!.on('data', chunk => (output += chunk));
  const exit = new Promise<number | null>(resolve => child.on('exit', resolve));

  const stop = async () => {
    if (child.exitCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      await Promise.race([exit, new Promise(r => setTimeout(r, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  if (options.waitForReady !== false) {
    const ready = `Causeway is up: open ${baseUrl}`;
    for (let i = 0; !output.includes(ready); i++) {
      if (child.exitCode !== null || i > 1200) {
        await stop();
        throw new Error(`The portal did not come up:\n${output.slice(-4000)}`);
      }
      await new Promise(r => setTimeout(r, 250));
    }
  }
  return { baseUrl, dataDir, output: () => output, stop, exit };
}
