import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Client, ClientConfig } from 'pg';

/** Backstage's default database name prefix (backend.database.prefix). */
const DEFAULT_PREFIX = 'backstage_plugin_';

/**
 * How to reach the PostgreSQL server of `backend.database` (pg only): the
 * database Backstage itself connects to when it creates the plugins'
 * databases, unless the connection names one.
 */
export function serverClientConfig(config: Config): ClientConfig {
  const connection = config.get('backend.database.connection');
  return typeof connection === 'string'
    ? { connectionString: connection }
    : { database: 'postgres', ...(connection as ClientConfig) };
}

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
  const key = `causeway-startup:${
    database.getOptionalString('prefix') ?? DEFAULT_PREFIX
  }`;
  const client = new Client({
    ...serverClientConfig(config),
    application_name: 'causeway_startup_lock',
  });
  // A client without an 'error' listener throws from the event when the
  // server goes away; the lock goes with the connection, nothing to undo.
  client.on('error', error =>
    logger.warn(`The start-up lock's connection was lost: ${error.message}`),
  );
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
