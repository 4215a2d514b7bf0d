import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { moduleDatabase } from '../database';

/** A repository's head and when Causeway first saw it there. */
export type HostedHead = { sha: string; seenAt: Date };

/** The latest known heads of hosted source repositories. */
export interface HostedHeadStore {
  /** The known heads of these repositories, keyed by the URLs as given. */
  heads(repositoryUrls: string[]): Promise<Map<string, HostedHead>>;
  /** Records a repository's head; seenAt moves only when the sha does. */
  record(repositoryUrl: string, sha: string): Promise<void>;
}

const TABLE = 'scorecard_gitops_hosted_heads';
const BATCH = 500;
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

type Row = { repository_url: string; sha: string; seen_at: string };

/**
 * One key per repository whatever URL form names it: an entity's
 * source-location (`https://github.com/o/r/tree/main/`), a clone URL
 * (`https://github.com/o/r.git`) and a webhook's `html_url` agree.
 */
export function hostedRepositoryKey(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/^url:/, ''));
  } catch {
    return url;
  }
  if (!/^https?:$/.test(parsed.protocol)) return url;
  const [owner, repo] = parsed.pathname.split('/').filter(Boolean);
  if (!owner || !repo) return url;
  return `${
    parsed.protocol
  }//${parsed.host.toLowerCase()}/${owner.toLowerCase()}/${repo
    .replace(/\.git$/, '')
    .toLowerCase()}`;
}

/**
 * Hosted heads in the scorecard plugin's database: written by whichever
 * replica received a push webhook or ran the head poll, read by any.
 */
export class DatabaseHostedHeadStore implements HostedHeadStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseHostedHeadStore> {
    return new DatabaseHostedHeadStore(await moduleDatabase(options.database));
  }

  private constructor(private readonly db: Knex) {}

  async heads(repositoryUrls: string[]): Promise<Map<string, HostedHead>> {
    const keys = [...new Set(repositoryUrls.map(hostedRepositoryKey))];
    const byKey = new Map<string, HostedHead>();
    for (let i = 0; i < keys.length; i += BATCH) {
      const rows = await this.db<Row>(TABLE).whereIn(
        'repository_url',
        keys.slice(i, i + BATCH),
      );
      for (const row of rows) {
        byKey.set(row.repository_url, {
          sha: row.sha,
          seenAt: new Date(row.seen_at),
        });
      }
    }
    const heads = new Map<string, HostedHead>();
    for (const url of repositoryUrls) {
      const head = byKey.get(hostedRepositoryKey(url));
      if (head) heads.set(url, head);
    }
    return heads;
  }

  async record(repositoryUrl: string, sha: string): Promise<void> {
    if (!SHA.test(sha)) throw new TypeError(`Not a commit sha: ${sha}`);
    const key = hostedRepositoryKey(repositoryUrl);
    const seenAt = new Date().toISOString();
    // The same head recorded again (a poll after the webhook) keeps the
    // time it was first seen.
    await this.db<Row>(TABLE)
      .insert({ repository_url: key, sha, seen_at: seenAt })
      .onConflict('repository_url')
      .merge({
        sha,
        seen_at: this.db.raw(
          `CASE WHEN ${TABLE}.sha = ? THEN ${TABLE}.seen_at ELSE ? END`,
          [sha, seenAt],
        ),
      });
  }
}
