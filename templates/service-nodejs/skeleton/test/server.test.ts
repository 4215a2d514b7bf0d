import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SERVICE_NAME } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { createApp, type App } from '../src/server.js';

type Response = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

// By default a new connection per request keeps the tests independent.
function get(url: string, agent: Agent | false = false): Promise<Response> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', chunk => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
      );
    })
      .on('error', reject)
      .end();
  });
}

async function start(
  routes?: Parameters<typeof createApp>[0]['routes'],
): Promise<{ app: App; url: string }> {
  const app = createApp({
    serviceName: SERVICE_NAME,
    logger: createLogger({}, () => {}),
    routes,
  });
  app.server.listen(0, '127.0.0.1');
  await once(app.server, 'listening');
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

function requestCount(metrics: string, path: string, status: number): number {
  const line = metrics
    .split('\n')
    .find(l =>
      l.startsWith(
        `http_requests_total{method="GET",path="${path}",status="${status}"} `,
      ),
    );
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('HTTP server', () => {
  let app: App;
  let url: string;
  before(async () => ({ app, url } = await start()));
  after(() => app.shutdown(1000));

  it('is live', async () => {
    const res = await get(`${url}/health/live`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { status: 'ok' });
  });

  it('is ready', async () => {
    const res = await get(`${url}/health/ready`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { status: 'ok' });
  });

  it('answers the example route with its name', async () => {
    const res = await get(`${url}/?greeting=1`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(JSON.parse(res.body).service, SERVICE_NAME);
  });

  it('counts requests in Prometheus format', async () => {
    const before = requestCount((await get(`${url}/metrics`)).body, '/', 200);
    await get(`${url}/`);
    const res = await get(`${url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(
      String(res.headers['content-type']),
      /^text\/plain; version=0\.0\.4/,
    );
    assert.equal(requestCount(res.body, '/', 200), before + 1);
    assert.match(res.body, /^# HELP http_requests_total .+$/m);
    assert.match(res.body, /^# TYPE http_requests_total counter$/m);
    assert.match(res.body, /^# TYPE http_request_duration_seconds histogram$/m);
    assert.match(
      res.body,
      /^http_request_duration_seconds_bucket\{method="GET",path="\/",le="\+Inf"\} \d+$/m,
    );
    assert.match(
      res.body,
      /^http_request_duration_seconds_count\{method="GET",path="\/"\} \d+$/m,
    );
  });

  it('answers unknown paths with 404 under one metric label', async () => {
    assert.equal((await get(`${url}/no/such/path`)).status, 404);
    const metrics = (await get(`${url}/metrics`)).body;
    assert.ok(requestCount(metrics, 'unmatched', 404) >= 1);
    assert.doesNotMatch(metrics, /no\/such\/path/);
  });
});

describe('graceful shutdown', () => {
  it('finishes the request in flight and refuses new connections', async () => {
    let release = () => {};
    const { app, url } = await start({
      '/slow': (_req, res) =>
        new Promise<void>(resolve => {
          release = () => {
            res.end('done');
            resolve();
          };
        }),
    });
    // Over a keep-alive connection, as a proxy would send it.
    const agent = new Agent({ keepAlive: true });
    const inFlight = get(`${url}/slow`, agent);
    await new Promise(resolve => setTimeout(resolve, 50));
    const stopped = app.shutdown(5000);
    await assert.rejects(get(`${url}/health/live`), { code: 'ECONNREFUSED' });
    release();
    assert.equal((await inFlight).body, 'done');
    assert.equal(await stopped, true);
    agent.destroy();
  });

  it('exits 0 on SIGTERM', async () => {
    const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const logs: Array<Record<string, unknown>> = [];
    const listening = new Promise<number>(resolve => {
      createInterface({ input: child.stdout }).on('line', line => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'listening') resolve(Number(entry.port));
      });
    });
    const port = await listening;
    assert.equal(
      (await get(`http://127.0.0.1:${port}/health/live`)).status,
      200,
    );
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.ok(
      logs.some(
        entry => entry.msg === 'stopped' && entry.service === SERVICE_NAME,
      ),
    );
  });
});
