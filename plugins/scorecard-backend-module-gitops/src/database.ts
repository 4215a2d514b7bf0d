import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@causeway/plugin-scorecard-backend-module-gitops',
  'migrations',
);

/**
 * The module's tables in the scorecard plugin's database, migrated. Its
 * migrations are tracked apart from the plugin's own (a module's tables are
 * its own).
 */
export async function moduleDatabase(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({
      directory: migrationsDir,
      tableName: 'scorecard_gitops_knex_migrations',
    });
  }
  return client;
}
