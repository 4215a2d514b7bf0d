import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Client, ClientConfig } from 'pg';

/** Backstage's default database name prefix (backend.database.prefix). */
const DEFAULT_PREFIX = 'backstage_plugin_';

/**
 * Makes replicas that share a PostgreSQL server start one at a time:
 * Backstage's plugins each run their migrations at start, and several
 * replicas migrating an empty database at once fail on knex's migration
 * tables ("already exists", MigrationLocked). A session advisory lock, keyed
 * by the database prefix, is held until this backend has started; a replica
 * that dies while holding it releases it with its connection. Returns the
 * release, or undefined on SQLite.
 */
export async function acquireStartupLock(
  config: Config,
  logger: LoggerService,
): Promise<(() => Promise<void>) | undefined> {
  const database = config.getConfig('backend.database');
  if (database.getString('client') !== 'pg') return undefined;
  const connection = database.get('connection');
  // The database Backstage itself connects to when it creates the plugins'
  // databases, unless the connection names one.
  const clientConfig: ClientConfig =
    typeof connection === 'string'
      ? { connectionString: connection }
      : { database: 'postgres', ...(connection as ClientConfig) };
  const key = `causeway-startup:${
    database.getOptionalString('prefix') ?? DEFAULT_PREFIX
  }`;
  const client = new Client({
    ...clientConfig,
    application_name: 'causeway_startup_lock',
  });
  await client.connect();
  const waiting = setTimeout(
    () => logger.info('Waiting for another replica to finish starting'),
    2000,
  );
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(waiting);
  }
  let released: Promise<void> | undefined;
  return () => {
    released ??= client
      .query('SELECT pg_advisory_unlock(hashtext($1))', [key])
      .then(
        () => client.end(),
        () => client.end(),
      );
    return released;
  };
}
