import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import yaml from 'yaml';
import { JsonObject } from '@backstage/types';
import { eventually } from './apiClient';
import { embeddedConfigFiles, repoRoot } from './startCausewayBackend';

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The embedded default's configuration for a backend of its own: its data
 * folder (SQLite, GitOps repository, source repositories, task workspaces)
 * and a free port; `extra` is merged over it, and `database` (a
 * `backend.database` block, e.g. PostgreSQL) replaces the SQLite files.
 */
export function embeddedConfig(
  dataDir: string,
  port: number,
  extra: JsonObject = {},
  database?: JsonObject,
): JsonObject {
  const baseUrl = `http://localhost:${port}`;
  // The scaffolder wants its working directory to exist.
  fs.mkdirSync(path.join(dataDir, 'work'), { recursive: true });
  return {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port },
      cors: { origin: baseUrl },
      database: database ?? {
        client: 'better-sqlite3',
        connection: { directory: path.join(dataDir, 'sqlite') },
      },
      workingDirectory: path.join(dataDir, 'work'),
    },
    gitops: { repository: { url: path.join(dataDir, 'git', 'gitops.git') } },
    goldenPaths: { sourceHost: { path: path.join(dataDir, 'git', 'repos') } },
    ...extra,
  };
}

/**
 * The real backend entry point in a process of its own, from the
 * repository root with the embedded default's files and an override, as
 * `./causeway start` runs it; it can be killed like a crashed pod.
 */
export class BackendProcess {
  readonly baseUrl: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  #output = '';

  private constructor(child: ChildProcess, baseUrl: string) {
    this.#child = child;
    this.baseUrl = baseUrl;
    const keep = (chunk: Buffer) => {
      // The last lines are what a failure report needs.
      this.#output = (this.#output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.#exited = new Promise(resolve =>
      child.on('exit', code => resolve(code)),
    );
  }

  /** Starts it with embeddedConfigFiles plus `config` (written next to the data). */
  static async start(options: {
    config: JsonObject;
    configFile: string;
  }): Promise<BackendProcess> {
    fs.writeFileSync(options.configFile, yaml.stringify(options.config));
    const backend = options.config.backend as JsonObject;
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        path.join(repoRoot, 'packages/backend/src/index.ts'),
        ...embeddedConfigFiles.flatMap(file => ['--config', file]),
        '--config',
        options.configFile,
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, NODE_ENV: 'development' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const started = new BackendProcess(child, String(backend.baseUrl));
    let exited = false;
    const ready = await Promise.race([
      started.#exited.then(() => {
        exited = true;
        return false;
      }),
      eventually(
        async () => {
          if (exited) return false;
          const res = await fetch(
            `${started.baseUrl}/.backstage/health/v1/readiness`,
          );
          return res.ok || undefined;
        },
        'the backend to be ready',
        480,
      ),
    ]);
    if (!ready) {
      throw new Error(`The backend exited:\n${started.#output}`);
    }
    return started;
  }

  /** The end of what it printed, for failure messages. */
  get output(): string {
    return this.#output;
  }

  /** Kills it at once, as the kernel's OOM killer or a node failure would. */
  async kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null) {
      this.#child.kill('SIGTERM');
      await this.#exited;
    }
  }

  /** A token for user:default/guest, from the embedded default's guest sign-in. */
  async guestToken(): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    if (!res.ok) {
      throw new Error(`guest sign-in answered ${res.status}`);
    }
    const body = await res.json();
    return body.backstageIdentity.token;
  }
}
