import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { moduleDatabase } from '../database';

/** What a key names: a GitOps folder, or a source repository. */
export type ChangeIndexSource = 'gitops-folder' | 'source-repository';

/** An entity whose facts are read from what `key` names. */
export type ChangeIndexEntry = { key: string; entityRef: string };

const TABLE = 'scorecard_gitops_change_index';
/** Rows per statement: within SQLite's limit of bound values (3 per row). */
const BATCH = 300;

type Row = { source: string; key: string; entity_ref: string };

const rowKey = (key: string, entityRef: string) => `${key}\0${entityRef}`;

/**
 * Which entities read which folder or repository, in the database: written
 * when facts are collected, read when a change event arrives, on whichever
 * replica that is (the events bus hands an event to one replica only).
 */
export class DatabaseChangeIndex {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseChangeIndex> {
    return new DatabaseChangeIndex(await moduleDatabase(options.database));
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Records what the collected entities read. `all`: these are every entity
   * (a full run), so entries of other entities go; otherwise only these
   * entities' entries are replaced. Writes only what differs.
   */
  async record(
    source: ChangeIndexSource,
    collected: {
      entityRefs: string[];
      entries: ChangeIndexEntry[];
      all: boolean;
    },
  ): Promise<void> {
    const { entityRefs, entries, all } = collected;
    const wanted = new Map(
      entries.map(e => [rowKey(e.key, e.entityRef), e] as const),
    );
    await this.db.transaction(async tx => {
      const stored: Row[] = [];
      if (all) {
        stored.push(...(await tx<Row>(TABLE).where('source', source)));
      } else {
        for (let i = 0; i < entityRefs.length; i += BATCH) {
          stored.push(
            ...(await tx<Row>(TABLE)
              .where('source', source)
              .whereIn('entity_ref', entityRefs.slice(i, i + BATCH))),
          );
        }
      }
      const gone: Array<[string, string]> = [];
      for (const row of stored) {
        if (!wanted.delete(rowKey(row.key, row.entity_ref))) {
          gone.push([row.key, row.entity_ref]);
        }
      }
      for (let i = 0; i < gone.length; i += BATCH) {
        await tx(TABLE)
          .where('source', source)
          .whereIn(['key', 'entity_ref'], gone.slice(i, i + BATCH))
          .delete();
      }
      const added = [...wanted.values()].map(e => ({
        source,
        key: e.key,
        entity_ref: e.entityRef,
      }));
      for (let i = 0; i < added.length; i += BATCH) {
        await tx(TABLE)
          .insert(added.slice(i, i + BATCH))
          .onConflict(['source', 'key', 'entity_ref'])
          .ignore();
      }
    });
  }

  /** Every key of a source that some entity reads. */
  async keys(source: ChangeIndexSource): Promise<string[]> {
    return this.db<Row>(TABLE)
      .where('source', source)
      .distinct('key')
      .pluck('key');
  }

  /** The entities that read any of these keys. */
  async entitiesFor(
    source: ChangeIndexSource,
    keys: string[],
  ): Promise<string[]> {
    const refs = new Set<string>();
    for (let i = 0; i < keys.length; i += BATCH) {
      const rows = await this.db<Row>(TABLE)
        .where('source', source)
        .whereIn('key', keys.slice(i, i + BATCH))
        .distinct('entity_ref');
      for (const row of rows) refs.add(row.entity_ref);
    }
    return [...refs].sort();
  }
}
