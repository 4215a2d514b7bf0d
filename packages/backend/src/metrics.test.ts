import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './__testUtils__/startCausewayBackend';

jest.setTimeout(180_000);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/** Polls until `read` gives a value, or the backend exits. */
async function until<T>(
  child: ChildProcess,
  read: () => Promise<T | undefined>,
): Promise<T> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) {
      throw new Error(`the backend exited with ${child.exitCode}`);
    }
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error('gave up waiting');
}

describe('Prometheus metrics (real backend process, as the image starts it)', () => {
  let child: ChildProcess | undefined;
  let scratch: string;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-metrics-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise(resolve => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("serves Backstage's own metrics at CAUSEWAY_METRICS_PORT, for the chart's ServiceMonitor", async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const override = path.join(scratch, 'override.yaml');
    fs.writeFileSync(
      override,
      JSON.stringify({
        app: { baseUrl: `http://localhost:${port}` },
        backend: {
          baseUrl: `http://localhost:${port}`,
          listen: { port },
          database: { connection: { directory: path.join(scratch, 'db') } },
        },
        gitops: { repository: { url: path.join(scratch, 'gitops.git') } },
        goldenPaths: {
          sourceHost: { type: 'local', path: path.join(scratch, 'repos') },
        },
      }),
    );
    child = spawn(
      process.execPath,
      [
        '--require',
        path.join(repoRoot, 'packages/backend/instrumentation.js'),
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        path.join(repoRoot, 'packages/backend/src/index.ts'),
        '--config',
        'app-config.yaml',
        '--config',
        override,
      ],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          NODE_ENV: 'development',
          CAUSEWAY_METRICS_PORT: String(metricsPort),
        },
        stdio: 'ignore',
      },
    );

    const metrics = await until(child, async () => {
      const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      const text = await response.text();
      // The catalog's gauge, once the demo catalog has been processed.
      return /^catalog_entities_count\{kind="component",[^}]*\} [1-9]/m.test(
        text,
      )
        ? text
        : undefined;
    });
    expect(metrics).toMatch(/^# TYPE catalog_entities_count gauge$/m);
    expect(metrics).toMatch(
      /^catalog_registered_locations_count\{[^}]*\} [1-9]/m,
    );
  });
});
