import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '../__testUtils__/startCausewayBackend';

jest.setTimeout(120_000);

const postgresUrl = new URL(
  process.env.CAUSEWAY_TEST_POSTGRES_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres',
);

/** Starts the real backend entry point as the image does, until it exits. */
function startBackend(args: string[], env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(repoRoot, 'packages/backend/src/index.ts'),
      ...args,
    ],
    { cwd: repoRoot, env: { ...process.env, NODE_ENV: 'production', ...env } },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', chunk => {
    stderr += chunk;
  });
  child.stdout.on('data', chunk => {
    stdout += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>(
    resolve => child.on('exit', code => resolve({ code, stdout, stderr })),
  );
}

describe('the production configuration at start-up (real backend process)', () => {
  let scratch: string;
  let prefix: string;

  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-guard-'));
    prefix = `causeway_guard_${randomBytes(4).toString('hex')}_`;
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('refuses a local GitOps repository path, naming the key, before any plugin touches a database or disk', async () => {
    const gitopsPath = path.join(scratch, 'gitops.git');
    const override = path.join(scratch, 'override.yaml');
    fs.writeFileSync(
      override,
      `backend: { listen: { port: 0 }, database: { prefix: '${prefix}' } }\n`,
    );
    const { code, stderr } = await startBackend(
      [
        '--config',
        'app-config.yaml',
        '--config',
        'app-config.production.yaml',
        '--config',
        override,
      ],
      {
        POSTGRES_HOST: postgresUrl.hostname,
        POSTGRES_PORT: postgresUrl.port || '5432',
        POSTGRES_USER: decodeURIComponent(postgresUrl.username),
        POSTGRES_PASSWORD: decodeURIComponent(postgresUrl.password),
        CAUSEWAY_BASE_URL: 'http://localhost:7007',
        AUTH_GITHUB_CLIENT_ID: 'guard-test',
        AUTH_GITHUB_CLIENT_SECRET: 'guard-test',
        GITHUB_TOKEN: 'guard-test-token',
        GOLDEN_PATHS_GITHUB_OWNER: 'example',
        GITOPS_REPOSITORY_URL: gitopsPath,
      },
    );

    expect(code).toBe(1);
    const lastLine = stderr.trim().split('\n').pop();
    expect(lastLine).toMatch(
      /^Causeway failed to start: .*gitops\.repository\.url is a path on this machine .*causeway\.deployment\.mode is production/,
    );
    expect(lastLine).not.toContain('guard-test-token');
    expect(fs.existsSync(gitopsPath)).toBe(false);

    const client = new Client({ connectionString: postgresUrl.toString() });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
        [prefix],
      );
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('refuses SQLite and the local source host when several replicas are configured', async () => {
    const override = path.join(scratch, 'replicas.yaml');
    fs.writeFileSync(
      override,
      [
        `backend: { listen: { port: 0 }, database: { connection: { directory: ${JSON.stringify(
          path.join(scratch, 'sqlite'),
        )} } } }`,
        'causeway: { deployment: { replicas: 3 } }',
        `gitops: { repository: { url: 'https://git.example.com/gitops.git' } }`,
      ].join('\n'),
    );
    const { code, stderr } = await startBackend(
      ['--config', 'app-config.yaml', '--config', override],
      {},
    );

    expect(code).toBe(1);
    const lastLine = stderr.trim().split('\n').pop();
    expect(lastLine).toContain(
      'backend.database.client is better-sqlite3, but causeway.deployment.replicas is 3',
    );
    expect(lastLine).toContain(
      'goldenPaths.sourceHost.type is local, but causeway.deployment.replicas is 3',
    );
    expect(fs.existsSync(path.join(scratch, 'sqlite'))).toBe(false);
  });

  it('refuses a GitOps URL with credentials in it, naming the key to use and never printing the token', async () => {
    const override = path.join(scratch, 'credentials.yaml');
    fs.writeFileSync(
      override,
      [
        `backend: { listen: { port: 0 }, database: { connection: { directory: ${JSON.stringify(
          path.join(scratch, 'sqlite'),
        )} } } }`,
        `gitops: { repository: { url: 'https://bot:guard-secret-token@github.com/example/gitops.git' } }`,
      ].join('\n'),
    );
    const { code, stdout, stderr } = await startBackend(
      ['--config', 'app-config.yaml', '--config', override],
      {},
    );

    expect(code).toBe(1);
    const lastLine = stderr.trim().split('\n').pop();
    expect(lastLine).toContain(
      'gitops.repository.url must not carry credentials (https://***@github.com/example/gitops.git): set gitops.repository.credentials',
    );
    expect(`${stdout}${stderr}`).not.toContain('guard-secret-token');
    expect(fs.existsSync(path.join(scratch, 'sqlite'))).toBe(false);
  });
});
