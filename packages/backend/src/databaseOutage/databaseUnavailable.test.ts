import { mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import net from 'node:net';
import { Client } from 'pg';
import {
  DATABASE_UNAVAILABLE_MESSAGE,
  isDatabaseConnectionError,
} from './databaseUnavailable';
import { createDatabaseProbe } from './databaseProbe';
import { createDatabaseUnavailableHandler } from './databaseUnavailableHandler';

const postgresUrl = new URL(
  process.env.CAUSEWAY_TEST_POSTGRES_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres',
);

/** A port nothing listens on: a PostgreSQL server that is away. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const caught = async (work: () => Promise<unknown>) => {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

describe('database connection errors', () => {
  let awayPort: number;
  /** A query on the server that is away, as a plugin's pool makes it. */
  const queryAway = async () => {
    const client = new Client({
      host: '127.0.0.1',
      port: awayPort,
      user: 'postgres',
    });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('select 1');
  };

  beforeAll(async () => {
    awayPort = await closedPort();
  });

  it('are told from other errors: a refused connection, a session ended by the server, a connection lost; not a refused HTTP request or an input error', async () => {
    const refused = await caught(() => queryAway());
    expect(isDatabaseConnectionError(refused)).toBe(true);

    // A session the server ends (57P01, as at a restart), then used again.
    const victim = new Client({ connectionString: postgresUrl.toString() });
    victim.on('error', () => undefined);
    await victim.connect();
    const { rows } = await victim.query('SELECT pg_backend_pid() AS pid');
    const admin = new Client({ connectionString: postgresUrl.toString() });
    await admin.connect();
    try {
      const running = caught(() => victim.query('SELECT pg_sleep(30)'));
      await new Promise(resolve => setTimeout(resolve, 200));
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      const ended = (await running) as any;
      expect(ended.code).toBe('57P01');
      expect(isDatabaseConnectionError(ended)).toBe(true);
      const lost = await caught(() => victim.query('SELECT 1'));
      expect(isDatabaseConnectionError(lost)).toBe(true);
    } finally {
      await admin.end();
      await victim.end().catch(() => undefined);
    }

    const http = await caught(() => fetch(`http://127.0.0.1:${awayPort}/`));
    expect(isDatabaseConnectionError(http)).toBe(false);
    expect(isDatabaseConnectionError(new InputError('bad name'))).toBe(false);
    expect(
      isDatabaseConnectionError(
        new Error('GitHub answered 502: Connection reset by peer'),
      ),
    ).toBe(false);
  });

  it('answer 503 with the JSON error and Retry-After, without a stack (even in development) or the server address', async () => {
    const logger = mockServices.logger.mock();
    const config = new ConfigReader({
      backend: {
        database: {
          client: 'pg',
          connection: { host: '127.0.0.1', port: awayPort, user: 'postgres' },
        },
      },
    });
    const app = express();
    const router = Router();
    router.get('/knex', async () => {
      await queryAway();
    });
    // An error that lost its cause on the way (a message string only).
    router.get('/wrapped', async () => {
      const error = await caught(() => queryAway());
      throw new Error(`Fact provider gitops failed: ${error}`);
    });
    router.get('/input', async () => {
      throw new InputError('bad name');
    });
    app.use(router);
    app.use(
      createDatabaseUnavailableHandler({
        logger,
        probe: createDatabaseProbe(config),
      }),
    );
    app.use(
      MiddlewareFactory.create({ config, logger }).error({
        showStackTraces: true,
      }),
    );
    const server = app.listen(0);
    const { port } = server.address() as net.AddressInfo;
    try {
      for (const route of ['/knex', '/wrapped']) {
        const res = await fetch(`http://127.0.0.1:${port}${route}`);
        const text = await res.text();
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(JSON.parse(text).error).toEqual({
          name: 'ServiceUnavailableError',
          message: DATABASE_UNAVAILABLE_MESSAGE,
        });
        expect(text).not.toContain('stack');
        expect(text).not.toContain(String(awayPort));
      }
      const input = await fetch(`http://127.0.0.1:${port}/input`);
      expect(input.status).toBe(400);
    } finally {
      server.close();
    }
  });

  it('with the database up, an error that merely mentions a connection stays what it was', async () => {
    const logger = mockServices.logger.mock();
    const config = new ConfigReader({
      backend: {
        database: {
          client: 'pg',
          connection: {
            host: postgresUrl.hostname,
            port: Number(postgresUrl.port || 5432),
            user: decodeURIComponent(postgresUrl.username),
            password: decodeURIComponent(postgresUrl.password),
          },
        },
      },
    });
    const app = express();
    app.get('/', () => {
      throw new Error('Fact provider kubernetes failed: cluster unreachable');
    });
    app.use(
      createDatabaseUnavailableHandler({
        logger,
        probe: createDatabaseProbe(config),
      }),
    );
    app.use(MiddlewareFactory.create({ config, logger }).error());
    const server = app.listen(0);
    const { port } = server.address() as net.AddressInfo;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(500);
    } finally {
      server.close();
    }
  });
});
