import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { JsonObject, JsonValue } from '@backstage/types';
import yaml from 'yaml';
import { eventually } from '../__testUtils__/apiClient';
import {
  repoRoot,
  startCausewayBackend,
} from '../__testUtils__/startCausewayBackend';

jest.setTimeout(180_000);

const productionFile = path.join(repoRoot, 'app-config.production.yaml');

/** ${NAME} replaced from `env`, as the config loader does; nulls dropped. */
function substitute(value: JsonValue, env: Record<string, string>): any {
  if (typeof value === 'string') {
    return value.replace(/\$\{(\w+)\}/g, (_, name) => env[name] ?? '');
  }
  if (Array.isArray(value)) return value.map(v => substitute(v, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, substitute(v as JsonValue, env)]),
    );
  }
  return value;
}

/**
 * The commented-out `auth:` example under `backend:` in the production file
 * (external callers' static tokens), uncommented: what an operator enables.
 */
function documentedExternalAccess(text: string): JsonObject[] {
  const lines = text.split('\n');
  const start = lines.findIndex(line => /^\s+#\s*auth:\s*$/.test(line));
  if (start < 0) return [];
  const block: string[] = [];
  for (let i = start; i < lines.length && /^\s+#/.test(lines[i]); i++) {
    block.push(lines[i].replace(/^(\s*)# ?/, '$1'));
  }
  return (yaml.parse(block.join('\n')).auth.externalAccess ??
    []) as JsonObject[];
}

/**
 * A legacy backend token as Backstage's former shared-secret scheme minted
 * them (and anyone holding the secret can): HS256, subject backstage-server,
 * keyed by the base64url-decoded secret.
 */
function mintLegacyToken(secret: string): string {
  const encode = (part: object) =>
    Buffer.from(JSON.stringify(part)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    sub: 'backstage-server',
    iat: now,
    exp: now + 3600,
  })}`;
  const signature = createHmac('sha256', Buffer.from(secret, 'base64url'))
    .update(unsigned)
    .digest('base64url');
  return `${unsigned}.${signature}`;
}

/**
 * A stand-in for GitHub's user API (no GitHub here): the access token
 * `login:NAME` belongs to the GitHub account NAME, as any account's token
 * would after the OAuth flow, which anyone with a GitHub account can finish.
 */
async function startGitHubUserApi(): Promise<{
  url: string;
  close: () => Promise<void>;
}> {
  const server = http.createServer((req, res) => {
    const login = /login:([\w-]+)/.exec(req.headers.authorization ?? '')?.[1];
    if (req.url !== '/api/v3/user' || !login) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Bad credentials' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        login,
        id: 4242,
        name: login,
        html_url: `https://github.com/${login}`,
      }),
    );
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}

describe('app-config.production.yaml: backend tokens and GitHub sign-in (real auth backend, PostgreSQL)', () => {
  // What an attacker could hold: the secret production used to set.
  const formerSecret = randomBytes(24).toString('hex');
  const gateToken = randomBytes(24).toString('hex');
  let stop: () => Promise<void>;
  let baseUrl: string;
  let github: Awaited<ReturnType<typeof startGitHubUserApi>>;
  let externalAccess: JsonObject[];

  beforeAll(async () => {
    github = await startGitHubUserApi();
    const text = fs.readFileSync(productionFile, 'utf8');
    const env = {
      BACKEND_SECRET: formerSecret,
      CAUSEWAY_GATE_TOKEN: gateToken,
      CAUSEWAY_BASE_URL: 'http://localhost:7007',
      AUTH_GITHUB_CLIENT_ID: 'causeway-test',
      AUTH_GITHUB_CLIENT_SECRET: randomBytes(12).toString('hex'),
      AUTH_SESSION_SECRET: randomBytes(24).toString('hex'),
    };
    const production = substitute(yaml.parse(text), env);
    externalAccess = substitute(documentedExternalAccess(text), env);
    const auth = production.auth;
    // Not under test, and its store's cleanup timer (connect-session-knex)
    // outlives a test backend and its database.
    delete auth.session;
    // GitHub's endpoints at the stand-in (the GitHub Enterprise setting).
    auth.providers.github.production.enterpriseInstanceUrl = github.url;
    const started = await startCausewayBackend({
      database: 'POSTGRES',
      config: {
        backend: {
          auth: { ...production.backend.auth, externalAccess },
        },
        auth: { ...auth, providers: { github: auth.providers.github } },
      },
    });
    stop = started.stop;
    baseUrl = started.backend.baseUrl;
    // The catalog has the demo organisation's users.
    await eventually(async () => {
      const res = await fetch(
        `${baseUrl}/api/auth/github/refresh?env=production&scope=read:user`,
        { headers: githubSession('alice') },
      );
      return res.ok || undefined;
    }, 'user:default/alice to sign in with GitHub');
  });

  afterAll(async () => {
    await stop?.();
    await github?.close();
  });

  /** The cookies a finished GitHub OAuth flow leaves for `login`. */
  function githubSession(login: string) {
    return {
      'x-requested-with': 'XMLHttpRequest',
      cookie: `github-refresh-token=access-token-v2.login:${login}; github-granted-scope=read:user`,
    };
  }

  it('refuses a legacy token minted with the former BACKEND_SECRET, on every plugin', async () => {
    const token = mintLegacyToken(formerSecret);
    const statuses: Record<string, number> = {};
    for (const route of [
      '/api/catalog/entities?limit=1',
      '/api/scorecard/checks',
      '/api/scaffolder/v2/tasks',
    ]) {
      statuses[route] = (
        await fetch(`${baseUrl}${route}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status;
    }
    expect(statuses).toEqual({
      '/api/catalog/entities?limit=1': 401,
      '/api/scorecard/checks': 401,
      '/api/scaffolder/v2/tasks': 401,
    });
  });

  it('documents a static external token restricted to the scorecard: it reads the scorecard and is refused by the catalog', async () => {
    expect(externalAccess).toEqual([
      expect.objectContaining({
        type: 'static',
        options: expect.objectContaining({ token: gateToken }),
        accessRestrictions: [{ plugin: 'scorecard' }],
      }),
    ]);
    const headers = { authorization: `Bearer ${gateToken}` };
    const checks = await fetch(`${baseUrl}/api/scorecard/checks`, { headers });
    expect(checks.status).toBe(200);
    expect((await checks.json()).checks.length).toBeGreaterThan(0);
    const catalog = await fetch(`${baseUrl}/api/catalog/entities?limit=1`, {
      headers,
    });
    expect(catalog.status).toBe(403);
  });

  it('signs a GitHub login in as the catalog User of that name', async () => {
    const res = await fetch(
      `${baseUrl}/api/auth/github/refresh?env=production&scope=read:user`,
      { headers: githubSession('alice') },
    );
    expect(res.status).toBe(200);
    const token = (await res.json()).backstageIdentity.token;
    const info = await fetch(`${baseUrl}/api/auth/v1/userinfo`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect((await info.json()).claims.sub).toBe('user:default/alice');
  });

  it('refuses a GitHub login that has no User entity in the catalog', async () => {
    const res = await fetch(
      `${baseUrl}/api/auth/github/refresh?env=production&scope=read:user`,
      { headers: githubSession('mallory') },
    );
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.backstageIdentity).toBeUndefined();
    expect(body.error.message).toContain(
      'Failed to sign-in, unable to resolve user identity',
    );
  });
});
