import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  BackendProcess,
  embeddedConfig,
  freePort,
} from '../__testUtils__/backendProcess';
import { repoRoot } from '../__testUtils__/startCausewayBackend';

jest.setTimeout(180_000);

/** This machine's addresses other than loopback (link-local ones aside). */
function networkAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter(info => info && !info.internal && !info.address.startsWith('fe80'))
    .map(info => info!.address);
}

/** Whether a TCP connection to address:port is accepted or refused. */
function connect(address: string, port: number): Promise<string> {
  return new Promise(resolve => {
    const socket = net.connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' ? 'refused' : String(error.code)),
    );
  });
}

/** A request with a Host header of our choosing (fetch does not allow one). */
function requestWithHost(
  port: number,
  route: string,
  host: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: route,
        headers: { host, 'x-requested-with': 'XMLHttpRequest' },
      },
      res => {
        let body = '';
        res.on('data', chunk => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** What an error body must not show a user: a stack or the server's paths. */
function expectNoServerDetails(body: string) {
  expect(body).not.toContain(repoRoot);
  expect(body).not.toContain('node_modules');
  expect(body).not.toMatch(/"stack"/);
  expect(body).not.toMatch(/\n\s+at /);
}

describe('the embedded default as ./causeway start runs it (real backend process, NODE_ENV=development)', () => {
  let dataDir: string;
  let port: number;
  let backend: BackendProcess;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-embedded-'));
    port = await freePort();
    backend = await BackendProcess.start({
      configFile: path.join(dataDir, 'override.yaml'),
      config: embeddedConfig(dataDir, port),
    });
  });

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers on 127.0.0.1 and at its base URL, and not on any other address of this machine (nor 127.0.0.2)', async () => {
    // This machine's network addresses, and 127.0.0.2, which a server on
    // every interface answers too: so the test holds on a machine with no
    // network.
    const addresses = [...networkAddresses(), '127.0.0.2'];
    const results = await Promise.all(
      addresses.map(async address => [address, await connect(address, port)]),
    );
    expect(Object.fromEntries(results)).toEqual(
      Object.fromEntries(addresses.map(address => [address, 'refused'])),
    );
    expect(await connect('127.0.0.1', port)).toBe('accepted');
    const ready = await fetch(
      `${backend.baseUrl}/.backstage/health/v1/readiness`,
    );
    expect(ready.status).toBe(200);
  });

  it('refuses a request addressed to another host name (DNS rebinding) while guest sign-in is on, saying which addresses it answers', async () => {
    const refused = await requestWithHost(
      port,
      '/api/auth/guest/refresh',
      'evil.example',
    );
    expect(refused.status).toBe(403);
    const error = JSON.parse(refused.body).error;
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toContain(
      `answers only requests addressed to localhost:${port}`,
    );
    expect(error.message).toContain(`not 'evil.example'`);
    expect(refused.body).not.toContain('backstageIdentity');
    expectNoServerDetails(refused.body);

    const rebound = await requestWithHost(
      port,
      '/api/auth/guest/refresh',
      `evil.example:${port}`,
    );
    expect(rebound.status).toBe(403);

    // Addressed to the portal: the guest signs in.
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      const signIn = await requestWithHost(
        port,
        '/api/auth/guest/refresh',
        host,
      );
      expect({ host, status: signIn.status }).toEqual({ host, status: 200 });
      expect(JSON.parse(signIn.body).backstageIdentity.token).toBeTruthy();
    }
  });

  it('answers API errors with the message only: no stack trace, no server path', async () => {
    const token = await backend.guestToken();
    const headers = { authorization: `Bearer ${token}` };

    // A plugin's error (the catalog's NotFoundError).
    const missing = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-name/component/default/no-such-service`,
      { headers },
    );
    expect(missing.status).toBe(404);
    const missingBody = await missing.text();
    expect(JSON.parse(missingBody).error.message).toContain('no-such-service');
    expectNoServerDetails(missingBody);

    // A caller's bad input (InputError from the catalog's query parser).
    const bad = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-query?limit=-5`,
      { headers },
    );
    expect(bad.status).toBe(400);
    const badBody = await bad.text();
    expect(JSON.parse(badBody).error.name).toBe('InputError');
    expectNoServerDetails(badBody);
  });
});
