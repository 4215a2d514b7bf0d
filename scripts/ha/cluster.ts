/*
 * The HA harness's pieces, all on loopback: a private PostgreSQL cluster, the
 * GitOps remote over git smart HTTP, the stand-in GitHub, Causeway replicas as
 * containers of the image (podman run --network host) and haproxy in front.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import {
  PostgresCluster,
  run,
} from '../../packages/backend/src/__testUtils__/postgresCluster';

export {
  PostgresCluster,
  freePort,
  run,
} from '../../packages/backend/src/__testUtils__/postgresCluster';

const execFileAsync = promisify(execFile);
export const repoRoot = path.resolve(__dirname, '../..');
const nodeTransform = require.resolve(
  '@backstage/cli-node/config/nodeTransform.cjs',
);

export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it returns a value; undefined on timeout. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 500,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) return undefined;
    await sleep(everyMs);
  }
}

export const secret = () => randomBytes(24).toString('hex');

// --- PostgreSQL ------------------------------------------------------------

/**
 * Samples how many client connections PostgreSQL holds (the sampler's own
 * excluded), every `everyMs`, keeping the peak per labelled phase.
 */
export class ConnectionSampler {
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private phase = 'boot';
  readonly peaks = new Map<string, number>();

  constructor(private readonly cluster: PostgresCluster) {}

  setPhase(phase: string) {
    this.phase = phase;
  }

  start(everyMs = 500) {
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private async sample() {
    try {
      if (!this.client) {
        const client = new Client({
          host: '127.0.0.1',
          port: this.cluster.port,
          user: 'postgres',
          connectionTimeoutMillis: 2000,
        });
        client.on('error', () => {
          this.client = undefined;
        });
        await client.connect();
        this.client = client;
      }
      const [{ n }] = (
        await this.client.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
        )
      ).rows;
      this.peaks.set(this.phase, Math.max(this.peaks.get(this.phase) ?? 0, n));
    } catch {
      // PostgreSQL down (scenario 7): reconnect at the next sample.
      this.client?.end().catch(() => {});
      this.client = undefined;
    }
  }

  get peak() {
    return Math.max(0, ...this.peaks.values());
  }

  async stop() {
    clearInterval(this.timer);
    await this.client?.end().catch(() => {});
  }
}

// --- node helper processes ---------------------------------------------------

/** A TypeScript helper run with Backstage's transform, its output in `log`. */
export function startNodeScript(
  script: string,
  args: string[],
  log: string,
  env: NodeJS.ProcessEnv = {},
): ChildProcess {
  const out = fs.openSync(log, 'a');
  return spawn(
    process.execPath,
    ['--require', nodeTransform, path.join(repoRoot, script), ...args],
    { env: { ...process.env, ...env }, stdio: ['ignore', out, out] },
  );
}

export async function stopProcess(child?: ChildProcess) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null)
    child.kill('SIGKILL');
}

/** The GitOps remote: scripts/serve-gitops-remote.ts (basic auth). */
export async function startGitOpsRemote(dir: string) {
  const password = secret();
  const out = path.join(dir, 'gitops-remote.out');
  const child = startNodeScript(
    'scripts/serve-gitops-remote.ts',
    [dir],
    path.join(dir, 'gitops-remote.log'),
    { GITOPS_REMOTE_PASSWORD: password },
  );
  // The script prints its URL on stdout: read it from the log's first line.
  const url = await waitFor(async () => {
    const text = fs.readFileSync(path.join(dir, 'gitops-remote.log'), 'utf8');
    return text.match(/^http:\/\/\S+\/gitops\.git$/m)?.[0];
  }, 60_000);
  if (!url) throw new Error('the GitOps remote did not start');
  fs.writeFileSync(out, url);
  return {
    url,
    username: 'causeway-bot',
    password,
    bare: path.join(dir, 'gitops.git'),
    process: child,
  };
}

/** The stand-in GitHub (scripts/ha/serve-stand-in-github.ts). */
export async function startStandInGitHub(dir: string, organization: string) {
  const file = path.join(dir, 'stand-in-github.json');
  const child = startNodeScript(
    'scripts/ha/serve-stand-in-github.ts',
    [organization, file],
    path.join(dir, 'stand-in-github.log'),
  );
  const info = await waitFor(
    async () =>
      fs.existsSync(file)
        ? (JSON.parse(fs.readFileSync(file, 'utf8')) as {
            host: string;
            apiBaseUrl: string;
            token: string;
          })
        : undefined,
    60_000,
  );
  if (!info) throw new Error('the stand-in GitHub did not start');
  return { ...info, process: child };
}

// --- replicas ------------------------------------------------------------------

export const podman = (args: string[], timeoutMs = 120_000) =>
  run('podman', args, { timeoutMs });

/** One backend replica: a container of the image on the host's network. */
export class Replica {
  constructor(
    readonly name: string,
    readonly container: string,
    readonly port: number,
    private readonly runArgs: () => string[],
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Creates and starts the container from `image`: the image's own command
   * (what a deployment runs) with the harness's two config files after it.
   */
  async create(image: string) {
    await podman(['rm', '-f', '-t', '0', this.container]).catch(() => {});
    const command: string[] = JSON.parse(
      await podman([
        'image',
        'inspect',
        '--format',
        '{{json .Config.Cmd}}',
        image,
      ]),
    );
    await podman([
      'run',
      '-d',
      '--name',
      this.container,
      ...this.runArgs(),
      image,
      ...command,
      '--config',
      '/etc/causeway/app-config.ha.yaml',
      '--config',
      '/etc/causeway/app-config.replica.yaml',
    ]);
  }

  /** SIGTERM, then waits for the exit (the shutdown delay included). */
  async stop(timeoutSeconds = 60) {
    await podman(
      ['stop', '-t', String(timeoutSeconds), this.container],
      (timeoutSeconds + 30) * 1000,
    );
  }

  async start() {
    await podman(['start', this.container]);
  }

  /** Removes the container, keeping its log in `logFile` when given. */
  async remove(logFile?: string) {
    if (logFile) {
      await this.logs()
        .then(lines => fs.writeFileSync(logFile, `${lines.join('\n')}\n`))
        .catch(() => {});
    }
    await podman(['rm', '-f', '-t', '0', this.container]).catch(() => {});
  }

  /** Running, its exit code and when it last started. */
  async state() {
    const out = await podman([
      'inspect',
      '--format',
      '{{.State.Running}} {{.State.ExitCode}} {{.State.StartedAt}}',
      this.container,
    ]);
    const [running, exitCode, ...startedAt] = out.split(' ');
    return {
      running: running === 'true',
      exitCode: Number(exitCode),
      startedAt: startedAt.join(' '),
    };
  }

  async readiness(): Promise<number> {
    try {
      const res = await fetch(`${this.url}/.backstage/health/v1/readiness`, {
        signal: AbortSignal.timeout(2000),
      });
      return res.status;
    } catch {
      return 0;
    }
  }

  /** Waits until ready; the seconds it took, or throws once the container exits or time is up. */
  async waitReady(timeoutMs = 300_000): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if ((await this.readiness()) === 200)
        return (Date.now() - started) / 1000;
      const state = await this.state();
      if (!state.running) {
        throw new Error(
          `${this.name} exited with ${state.exitCode}: ${await this.logTail(
            15,
          )}`,
        );
      }
      await sleep(500);
    }
    throw new Error(`${this.name} not ready after ${timeoutMs / 1000} s`);
  }

  /** The container's log lines (stdout and stderr, in order) since `since`, all when omitted. */
  async logs(since?: Date): Promise<string[]> {
    const sinceArg = since ? `--since ${since.toISOString()}` : '';
    const { stdout } = await execFileAsync(
      'sh',
      ['-c', `podman logs --timestamps ${sinceArg} "$0" 2>&1`, this.container],
      { maxBuffer: 256 * 1024 * 1024 },
    );
    return stdout.split('\n').filter(Boolean);
  }

  async logTail(lines: number) {
    const all = await this.logs().catch(() => [] as string[]);
    return all.slice(-lines).join('\n');
  }
}

// --- haproxy ---------------------------------------------------------------------

/**
 * haproxy on a free loopback port, round-robin over the replicas, checking
 * readiness every second and taking a replica out after two failures (2 s,
 * well within the production shutdown delay of 20 s) and back after two
 * successes. Long tunnel timeout: the signals WebSockets stay open.
 */
export async function startHaproxy(
  dir: string,
  port: number,
  replicas: Replica[],
) {
  const socket = path.join(dir, 'haproxy.sock');
  const config = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(
    config,
    `global
  maxconn 4096
  stats socket ${socket} mode 600 level admin

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  option redispatch
  retries 2

frontend causeway
  bind 127.0.0.1:${port}
  default_backend replicas

backend replicas
  balance roundrobin
  option httpchk GET /.backstage/health/v1/readiness
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
${replicas.map(r => `  server ${r.name} 127.0.0.1:${r.port} check`).join('\n')}
`,
  );
  const log = fs.openSync(path.join(dir, 'haproxy.log'), 'a');
  const child = spawn('haproxy', ['-db', '-f', config], {
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  const up = await waitFor(
    () =>
      new Promise<true | undefined>(resolve => {
        const c = net.connect(port, '127.0.0.1', () => {
          c.end();
          resolve(true);
        });
        c.on('error', () => resolve(undefined));
      }),
    10_000,
    200,
  );
  if (!up) throw new Error('haproxy did not start');

  /** Each server's status as haproxy sees it (UP, DOWN...). */
  const status = () =>
    new Promise<Record<string, string>>((resolve, reject) => {
      const c = net.connect(socket);
      let data = '';
      c.on('data', chunk => {
        data += chunk;
      });
      c.on('end', () => {
        const result: Record<string, string> = {};
        for (const line of data.split('\n')) {
          const fields = line.split(',');
          if (fields[0] === 'replicas' && fields[1] !== 'BACKEND') {
            result[fields[1]] = fields[17];
          }
        }
        resolve(result);
      });
      c.on('error', reject);
      c.write('show stat\n');
    });
  return { url, port, process: child, status };
}
