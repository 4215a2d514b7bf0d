import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { moduleDatabase } from '../database';

/** An entry: its value holds while its digest matches what it was made from. */
export type CachedEntry<T> = { digest: string; value: T };

/**
 * What fact providers made of what they read, by kind and key, kept across
 * restarts. A lost or stale entry only costs reading and parsing again.
 */
export interface FactCache {
  /** Every entry of a kind, or only those of some keys, by key. */
  load<T>(kind: string, keys?: string[]): Promise<Map<string, CachedEntry<T>>>;
  /** Writes entries of a kind, replacing those with the same keys. */
  save<T>(
    kind: string,
    entries: Array<{ key: string } & CachedEntry<T>>,
  ): Promise<void>;
  /** Forgets the entries of a kind whose keys are not kept. */
  retain(kind: string, keys: Set<string>): Promise<void>;
}

const TABLE = 'scorecard_gitops_fact_cache';
/** Rows per statement: within SQLite's limit of bound values (5 per row). */
const BATCH = 100;

type Row = {
  kind: string;
  key: string;
  digest: string;
  value: string;
  updated_at: string;
};

/** The fact cache in the scorecard plugin's database. */
export class DatabaseFactCache implements FactCache {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseFactCache> {
    return new DatabaseFactCache(await moduleDatabase(options.database));
  }

  private constructor(private readonly db: Knex) {}

  async load<T>(
    kind: string,
    keys?: string[],
  ): Promise<Map<string, CachedEntry<T>>> {
    const rows: Array<Pick<Row, 'key' | 'digest' | 'value'>> = [];
    if (!keys) {
      rows.push(
        ...(await this.db<Row>(TABLE)
          .where('kind', kind)
          .select('key', 'digest', 'value')),
      );
    }
    for (let i = 0; keys && i < keys.length; i += 500) {
      rows.push(
        ...(await this.db<Row>(TABLE)
          .where('kind', kind)
          .whereIn('key', keys.slice(i, i + 500))
          .select('key', 'digest', 'value')),
      );
    }
    const entries = new Map<string, CachedEntry<T>>();
    for (const row of rows) {
      try {
        entries.set(row.key, {
          digest: row.digest,
          value: JSON.parse(row.value),
        });
      } catch {
        // Not JSON: read and parsed again, then overwritten.
      }
    }
    return entries;
  }

  async save<T>(
    kind: string,
    entries: Array<{ key: string } & CachedEntry<T>>,
  ): Promise<void> {
    if (!entries.length) return;
    const now = new Date().toISOString();
    await this.db.transaction(async tx => {
      for (let i = 0; i < entries.length; i += BATCH) {
        await tx<Row>(TABLE)
          .insert(
            entries.slice(i, i + BATCH).map(e => ({
              kind,
              key: e.key,
              digest: e.digest,
              value: JSON.stringify(e.value),
              updated_at: now,
            })),
          )
          .onConflict(['kind', 'key'])
          .merge(['digest', 'value', 'updated_at']);
      }
    });
  }

  async retain(kind: string, keys: Set<string>): Promise<void> {
    const stored = await this.db<Row>(TABLE).where('kind', kind).pluck('key');
    const gone = stored.filter(key => !keys.has(key));
    for (let i = 0; i < gone.length; i += 500) {
      await this.db<Row>(TABLE)
        .where('kind', kind)
        .whereIn('key', gone.slice(i, i + 500))
        .delete();
    }
  }
}
