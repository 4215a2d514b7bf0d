import { randomBytes } from 'node:crypto';
import { JsonObject } from '@backstage/types';
import { Client } from 'pg';

/**
 * The databases every backend integration test runs against. PostgreSQL is
 * required, never skipped: a test run without it fails at connection time.
 */
export const backendDatabaseIds = ['SQLITE', 'POSTGRES'] as const;
export type BackendDatabaseId = (typeof backendDatabaseIds)[number];

export type BackendTestDatabase = {
  /** The `backend.database` config block. */
  config: JsonObject;
  /** Drops what the test created (PostgreSQL databases). */
  cleanup(): Promise<void>;
};

function postgresUrl(): URL {
  return new URL(
    process.env.CAUSEWAY_TEST_POSTGRES_URL ??
      'postgresql://postgres@127.0.0.1:5432/postgres',
  );
}

/**
 * A fresh database configuration for one test backend. On PostgreSQL every
 * plugin gets its own database under a random prefix, exactly as in
 * production, and cleanup drops them all.
 */
export async function createBackendTestDatabase(
  id: BackendDatabaseId,
): Promise<BackendTestDatabase> {
  if (id === 'SQLITE') {
    return {
      config: { client: 'better-sqlite3', connection: ':memory:' },
      cleanup: async () => {},
    };
  }

  const url = postgresUrl();
  const prefix = `causeway_test_${randomBytes(4).toString('hex')}_`;
  return {
    config: {
      client: 'pg',
      prefix,
      connection: {
        host: url.hostname,
        port: Number(url.port || 5432),
        user: decodeURIComponent(url.username || 'postgres'),
        password: decodeURIComponent(url.password),
      },
    },
    cleanup: async () => {
      const client = new Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const { rows } = await client.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE datname LIKE $1',
          [`${prefix}%`],
        );
        for (const { datname } of rows) {
          await client.query(
            `DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`,
          );
        }
      } finally {
        await client.end();
      }
    },
  };
}
