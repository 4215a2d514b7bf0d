/*
 * A private PostgreSQL 15 cluster for tests that stop, restart or crash the
 * database (the shared server on 5432 is never touched): used by the backend's
 * database-outage tests and by the HA harness (scripts/ha).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const execFileAsync = promisify(execFile);

/** Runs a command; its output, or an error carrying stderr's tail. */
export async function run(
  command: string,
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, {
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
      env: options.env ?? process.env,
    });
    return stdout.trim();
  } catch (error: any) {
    const stderr = String(error.stderr ?? '')
      .trim()
      .split('\n')
      .slice(-5)
      .join('\n');
    throw new Error(`${command} ${args[0]} failed: ${stderr || error.message}`);
  }
}

/** A free TCP port on 127.0.0.1. */
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

const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL 15 cluster of its own in `dir`, run as the postgres OS user
 * (initdb refuses root), trust auth on 127.0.0.1 only, max_connections 100
 * (the default, stated so the harness measures against it). The shared
 * server on 5432 is never touched.
 */
export class PostgresCluster {
  readonly dataDir: string;
  private constructor(readonly dir: string, readonly port: number) {
    this.dataDir = path.join(dir, 'data');
  }

  static async create(dir: string): Promise<PostgresCluster> {
    fs.mkdirSync(dir, { recursive: true });
    const uid = Number(await run('id', ['-u', 'postgres']));
    const gid = Number(await run('id', ['-g', 'postgres']));
    fs.chownSync(dir, uid, gid);
    fs.chmodSync(dir, 0o700);
    const cluster = new PostgresCluster(dir, await freePort());
    await cluster.asPostgres('initdb', [
      '-D',
      cluster.dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await cluster.start();
    return cluster;
  }

  private asPostgres(tool: string, args: string[], timeoutMs = 120_000) {
    return run(
      'runuser',
      ['-u', 'postgres', '--', `${PG_BIN}/${tool}`, ...args],
      {
        timeoutMs,
      },
    );
  }

  private get options() {
    return [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=100',
    ].join(' ');
  }

  private pgCtl(action: 'start' | 'stop' | 'restart') {
    const log = ['-l', path.join(this.dir, 'postgres.log'), '-o', this.options];
    const fast = ['-m', 'fast'];
    return this.asPostgres('pg_ctl', [
      '-D',
      this.dataDir,
      ...(action === 'stop' ? [] : log),
      ...(action === 'start' ? [] : fast),
      '-w',
      action,
    ]);
  }

  start() {
    return this.pgCtl('start');
  }

  stop() {
    return this.pgCtl('stop');
  }

  restart() {
    return this.pgCtl('restart');
  }

  /** Stops the server (if running) and removes its folder. */
  async destroy() {
    await this.stop().catch(() => undefined);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs one query in `database`; the rows. */
  async query<T = any>(
    sql: string,
    params: unknown[] = [],
    database = 'postgres',
  ): Promise<T[]> {
    const client = new Client({
      host: '127.0.0.1',
      port: this.port,
      user: 'postgres',
      database,
      connectionTimeoutMillis: 3000,
    });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** The databases the plugins made (backstage_plugin_ID). */
  async pluginDatabases(): Promise<string[]> {
    const rows = await this.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'backstage_plugin_%' ORDER BY 1",
    );
    return rows.map(r => r.datname);
  }
}
