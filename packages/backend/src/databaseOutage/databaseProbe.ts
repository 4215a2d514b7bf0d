import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Client } from 'pg';
import { serverClientConfig } from '../deployment/startupLock';

/** Asks whether the database server answers, at most once a second. */
export interface DatabaseProbe {
  reachable(): Promise<boolean>;
}

const PROBE_TIMEOUT_MS = 2000;
const RESULT_TTL_MS = 1000;

/**
 * Connects to the PostgreSQL server of `backend.database` and runs one
 * trivial query; SQLite, a file of this process, is always reachable. The
 * answer is kept for a second so that many failing requests during an
 * outage cost one connection attempt.
 */
export function createDatabaseProbe(config: Config): DatabaseProbe {
  if (config.getString('backend.database.client') !== 'pg') {
    return { reachable: async () => true };
  }
  let last: { at: number; answer: Promise<boolean> } | undefined;
  const ask = async () => {
    const client = new Client({
      ...serverClientConfig(config),
      application_name: 'causeway_database_probe',
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
      query_timeout: PROBE_TIMEOUT_MS,
    });
    // Without a listener a dropped connection would throw from the event.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  return {
    reachable() {
      if (!last || Date.now() - last.at > RESULT_TTL_MS) {
        last = { at: Date.now(), answer: ask() };
      }
      return last.answer;
    },
  };
}

export const databaseProbeServiceRef = createServiceRef<DatabaseProbe>({
  id: 'causeway.databaseProbe',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => createDatabaseProbe(config),
    }),
});
