import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  GitObjectReader,
  listCommitFiles,
  LocalGitHost,
  readBranchHead,
} from '@causeway/plugin-gitops-node';
import { Facts } from '@causeway/plugin-scorecard-common';
import { CachedEntry, FactCache } from '../cache/FactCache';
import { DatabaseChangeIndex } from '../changes/ChangeIndex';
import { hostedRepositoryKey } from '../changes/HostedHeadStore';
import { EntityRevisions, FactProvider } from '@causeway/plugin-scorecard-node';
import {
  filesToRead,
  mayNeedContent,
  SOURCE_FACTS,
  sourceFacts,
  UNREADABLE_SOURCE,
} from './sourceFacts';

export const SOURCE_LOCATION_ANNOTATION = 'backstage.io/source-location';

/** The fact cache's kind for a local repository's facts. */
const CACHE_KIND = 'source-repository';
/**
 * The fact cache's kind for a hosted repository's facts and when it was
 * last asked about: shared by the replicas, so a scheduled run on any of
 * them asks a hosting service at most hourly per repository in all.
 */
const HOSTED_KIND = 'hosted-source';
type HostedEntry = { facts: Facts; checkedAt: number };
/**
 * Part of every cached repository's digest, before its commit: change it
 * when what the facts are made of changes.
 */
const FACTS_VERSION = '1';

/** Repositories read at the same time when many changed. */
const CONCURRENCY = 8;

/**
 * How often any run asks a hosting service about a repository whose head
 * was not seen to move: one API call per repository per hour (a token
 * allows 5,000 an hour, shared with the catalog and golden paths; a GitHub
 * App 15,000). No run asks sooner, not even one a user asked for: users
 * could otherwise spend the portal's token. A head seen to move (webhook,
 * poll) is read at once.
 */
const HOSTED_RECHECK_MS = 60 * 60 * 1000;

/**
 * The latest known heads of hosted repositories (pushes seen by webhook or
 * poll), keyed by the URLs asked about: the changes' HostedHeadStore.
 */
export type HostedHeads = {
  heads(
    repositoryUrls: string[],
  ): Promise<Map<string, { sha: string; seenAt: Date }>>;
};

type HostedHead = { sha: string; seenAt: Date };

/** A repository's facts and the commit they were made of (none when unreadable). */
type Graded = { facts: Facts; commitSha?: string };

/** Where an entity's source is: a local git host repository, or a URL. */
type SourceRepository =
  | { type: 'local'; key: string; name: string }
  | { type: 'url'; key: string; url: string };

/**
 * Facts about a service's source repository: its CI workflow, Dockerfile,
 * README and tests. Read for the services whose
 * backstage.io/source-location points at a repository of the local git
 * host, or at a URL of a host in `integrations` (GitHub, as the golden
 * paths publish there) through the backend's UrlReader. Other entities get
 * source.readable false and nothing else.
 *
 * A repository is read again only when its branch moved: a local one's head
 * is looked up in its ref files; a hosted one (GitHub, with a token or an
 * App in integrations) is asked with the last commit as etag, one API call
 * when nothing changed and its archive when it did, at most hourly unless
 * a push was seen to move its head, whoever asked for the run. What was
 * made of a commit is kept by repository.
 */
export class SourceFactProvider implements FactProvider {
  readonly id = 'source';
  readonly facts = SOURCE_FACTS;
  readonly #host: LocalGitHost;
  readonly #logger: LoggerService;
  readonly #urlReader?: UrlReaderService;
  readonly #integrations?: ScmIntegrationRegistry;
  #byRepository = new Map<
    string,
    { commitSha: string; facts: Facts; checkedAt?: number }
  >();
  #repositoriesRead = 0;
  /**
   * Hosted repositories a push was heard for (by repository key) and when:
   * read at the next collect here, where the push's re-grade runs.
   */
  #pushedAt = new Map<string, number>();
  /** Hosted repositories that failed, and when: said once, until they read again. */
  #failing = new Map<string, number>();
  readonly #clock: () => number;
  readonly #cache?: FactCache;
  readonly #changeIndex: DatabaseChangeIndex;
  /** Local repositories' facts kept by the last process, until the first collect. */
  #restored?: Promise<Map<string, CachedEntry<Facts>>>;
  /** Repositories read (or hosted ones asked about) since last kept. */
  #toKeep = new Set<string>();
  readonly #hostedHeads?: HostedHeads;

  constructor(options: {
    host: LocalGitHost;
    logger: LoggerService;
    /** With integrations: reads sources hosted elsewhere (GitHub). */
    urlReader?: UrlReaderService;
    integrations?: ScmIntegrationRegistry;
    /** Where it records which entities read which repositories. */
    changeIndex: DatabaseChangeIndex;
    /** Keeps local repositories' facts across restarts. */
    cache?: FactCache;
    /**
     * Hosted repositories' heads as pushes were last seen: a hosted
     * repository whose known head is the commit its facts were read at is
     * not asked about again, and one whose head moved is asked at once.
     */
    hostedHeads?: HostedHeads;
    /** Milliseconds now; for tests. */
    clock?: () => number;
  }) {
    this.#host = options.host;
    this.#logger = options.logger;
    this.#urlReader = options.urlReader;
    this.#integrations = options.integrations;
    this.#clock = options.clock ?? Date.now;
    this.#cache = options.cache;
    this.#changeIndex = options.changeIndex;
    this.#hostedHeads = options.hostedHeads;
    this.#restored = this.#cache?.load<Facts>(CACHE_KIND).catch(error => {
      this.#logger.warn(
        `Could not read the source facts kept from the last run; local repositories are read again: ${error}`,
      );
      return new Map();
    });
  }

  /** Repositories read by the last collect call (their branch had moved). */
  get repositoriesRead(): number {
    return this.#repositoriesRead;
  }

  /**
   * The name of the local git host repository an entity's source is in:
   * its source location is that repository's file URL.
   */
  repositoryOf(entity: Entity): string | undefined {
    const location =
      entity.metadata.annotations?.[SOURCE_LOCATION_ANNOTATION]?.trim();
    const target = location?.replace(/^url:/, '');
    if (!target?.startsWith('file:')) return undefined;
    let file: string;
    try {
      file = fileURLToPath(target).replace(/\/+$/, '');
    } catch {
      return undefined;
    }
    if (path.dirname(file) !== this.#host.root || !file.endsWith('.git')) {
      return undefined;
    }
    const name = path.basename(file, '.git');
    try {
      return this.#host.repositoryPath(name) === file ? name : undefined;
    } catch {
      return undefined;
    }
  }

  /** The entities (as of the last collect, by any replica) whose source is this local git host repository. */
  async entitiesForRepository(name: string): Promise<string[]> {
    return this.#changeIndex.entitiesFor('source-repository', [
      `local:${name}`,
    ]);
  }

  /**
   * A push to a hosted repository was heard (GitHub's organisation events,
   * which do not say whether the branch is the one read): the next collect
   * of its entities reads it instead of waiting for the hour.
   */
  pushed(repositoryUrl: string): void {
    this.#pushedAt.set(hostedRepositoryKey(repositoryUrl), this.#clock());
  }

  /** Where an entity's source is, if this provider can read it. */
  #sourceOf(entity: Entity): SourceRepository | undefined {
    const name = this.repositoryOf(entity);
    if (name) return { type: 'local', key: `local:${name}`, name };
    if (!this.#urlReader || !this.#integrations) return undefined;
    const location = entity.metadata.annotations?.[
      SOURCE_LOCATION_ANNOTATION
    ]?.trim().replace(/^url:/, '');
    if (!location || !/^https?:\/\//.test(location)) return undefined;
    // Only with credentials: anonymous GitHub allows 60 requests an hour.
    const github = this.#integrations.github.byUrl(location);
    if (!github?.config.token && !github?.config.apps?.length) {
      return undefined;
    }
    return { type: 'url', key: `url:${location}`, url: location };
  }

  /**
   * The commit each entity's source repository is at: a local one's branch
   * head from its ref files; a hosted one's head as last seen by a push
   * webhook or poll, or what it was last read at when that is more recent,
   * never a call to the hosting service. An entity whose repository cannot
   * be read (or was never read) is left out, as collect leaves it out.
   */
  async revisions(entities: Entity[]): Promise<Map<string, EntityRevisions>> {
    const revisions = new Map<string, EntityRevisions>();
    const sources = entities.flatMap(entity => {
      const source = this.#sourceOf(entity);
      return source ? [{ ref: stringifyEntityRef(entity), source }] : [];
    });
    const hosted = sources.flatMap(({ source }) =>
      source.type === 'url' ? [source] : [],
    );
    const heads = await this.#headsOf(hosted.map(h => h.url));
    await this.#adoptHostedChecks(hosted.map(h => h.key));
    for (const { ref, source } of sources) {
      let commit: string | undefined;
      if (source.type === 'local') {
        commit = await readBranchHead(
          this.#host.repositoryPath(source.name),
          this.#host.defaultBranch,
        );
      } else {
        const cached = this.#byRepository.get(source.key);
        const head = heads.get(source.url);
        // A repository that does not read has no revision, whatever its head.
        commit =
          cached && head && this.#moved(cached, head)
            ? head.sha
            : cached?.commitSha;
      }
      if (commit) revisions.set(ref, { source: { commit } });
    }
    return revisions;
  }

  /** Whether a hosted repository's head was seen at another commit after it was last read. */
  #moved(
    cached: { commitSha: string; checkedAt?: number } | undefined,
    head: HostedHead,
  ): boolean {
    return (
      head.sha !== cached?.commitSha &&
      head.seenAt.getTime() > (cached?.checkedAt ?? -Infinity)
    );
  }

  /** The known heads of hosted repositories; none when they cannot be read. */
  async #headsOf(urls: string[]): Promise<Map<string, HostedHead>> {
    if (!this.#hostedHeads || !urls.length) return new Map();
    return this.#hostedHeads.heads(urls).catch(error => {
      this.#logger.warn(
        `Could not read the known heads of ${urls.length} hosted source repositories: ${error}`,
      );
      return new Map();
    });
  }

  async collect(
    entities: Entity[],
    options: {
      all?: boolean;
      revisions?: Map<string, EntityRevisions>;
    } = {},
  ): Promise<Map<string, Facts>> {
    const result = new Map<string, Facts>();
    const byRepository = new Map<
      string,
      { source: SourceRepository; refs: string[] }
    >();
    for (const entity of entities) {
      const ref = stringifyEntityRef(entity);
      const source = this.#sourceOf(entity);
      if (!source) {
        result.set(ref, UNREADABLE_SOURCE);
        continue;
      }
      const group = byRepository.get(source.key);
      if (group) group.refs.push(ref);
      else byRepository.set(source.key, { source, refs: [ref] });
    }

    await this.#restore();
    const groups = [...byRepository.values()];
    const hosted = groups.flatMap(({ source }) =>
      source.type === 'url' ? [source] : [],
    );
    const heads = await this.#headsOf(hosted.map(h => h.url));
    await this.#adoptHostedChecks(hosted.map(h => h.key));
    this.#repositoriesRead = 0;
    for (let i = 0; i < groups.length; i += CONCURRENCY) {
      await Promise.all(
        groups.slice(i, i + CONCURRENCY).map(async ({ source, refs }) => {
          const { facts, commitSha } =
            source.type === 'local'
              ? await this.#localFacts(source.key, source.name)
              : await this.#urlFacts(
                  source.key,
                  source.url,
                  heads.get(source.url),
                );
          for (const ref of refs) {
            result.set(ref, facts);
            if (commitSha && options.revisions) {
              options.revisions.set(ref, {
                ...options.revisions.get(ref),
                source: { commit: commitSha },
              });
            }
          }
        }),
      );
    }

    await this.#changeIndex
      .record('source-repository', {
        entityRefs: entities.map(e => stringifyEntityRef(e)),
        entries: [...byRepository].flatMap(([key, { refs }]) =>
          refs.map(entityRef => ({ key, entityRef })),
        ),
        all: options.all ?? false,
      })
      .catch(error =>
        this.#logger.warn(
          `Could not record which source repositories ${entities.length} entities read; pushes to them wait for the next scheduled run: ${error}`,
        ),
      );
    await this.#keep();
    return result;
  }

  /** Takes in what the last process kept: a repository at the same commit is not read. */
  async #restore() {
    const restored = await this.#restored;
    this.#restored = undefined;
    for (const [key, { digest, value }] of restored ?? []) {
      const [version, commitSha] = digest.split(':');
      if (
        version === FACTS_VERSION &&
        commitSha &&
        !this.#byRepository.has(key)
      ) {
        this.#byRepository.set(key, { commitSha, facts: value });
      }
    }
  }

  /**
   * Takes in when other replicas (or this one before a restart) last asked
   * about these hosted repositories, and what they learned, when it is more
   * recent than what this process knows.
   */
  async #adoptHostedChecks(keys: string[]) {
    if (!this.#cache || !keys.length) return;
    const shared = await this.#cache
      .load<HostedEntry>(HOSTED_KIND, keys)
      .catch(error => {
        this.#logger.warn(
          `Could not read when hosted source repositories were last checked; they are asked about again: ${error}`,
        );
        return new Map<string, CachedEntry<HostedEntry>>();
      });
    for (const [key, { digest, value }] of shared) {
      const [version, commitSha] = digest.split(':');
      const known = this.#byRepository.get(key);
      if (
        version === FACTS_VERSION &&
        commitSha &&
        typeof value?.checkedAt === 'number' &&
        (known?.checkedAt ?? -Infinity) < value.checkedAt
      ) {
        this.#byRepository.set(key, {
          commitSha,
          facts: value.facts,
          checkedAt: value.checkedAt,
        });
      }
    }
  }

  /** Writes the facts of the repositories read; a failure costs a read later. */
  async #keep() {
    if (!this.#cache || !this.#toKeep.size) return;
    const local: Array<{ key: string } & CachedEntry<Facts>> = [];
    const hosted: Array<{ key: string } & CachedEntry<HostedEntry>> = [];
    for (const key of this.#toKeep) {
      const kept = this.#byRepository.get(key);
      if (!kept) continue;
      const digest = `${FACTS_VERSION}:${kept.commitSha}`;
      if (kept.checkedAt === undefined) {
        local.push({ key, digest, value: kept.facts });
      } else {
        hosted.push({
          key,
          digest,
          value: { facts: kept.facts, checkedAt: kept.checkedAt },
        });
      }
    }
    this.#toKeep.clear();
    const entries = [...local, ...hosted];
    await Promise.all([
      this.#cache.save(CACHE_KIND, local),
      this.#cache.save(HOSTED_KIND, hosted),
    ]).catch(error =>
      this.#logger.warn(
        `Could not keep the source facts of ${entries.length} repositories for the next start: ${error}`,
      ),
    );
  }

  /**
   * A hosted repository, through the UrlReader: the archive of its default
   * branch (or the URL's ref), keeping only the contents the facts need.
   */
  async #urlFacts(
    key: string,
    url: string,
    head?: HostedHead,
  ): Promise<Graded> {
    const cached = this.#byRepository.get(key);
    const failedAt = this.#failing.get(key);
    const checkedAt = cached?.checkedAt ?? failedAt;
    // A head seen to move (or a push heard) is read at once; the known
    // head at the commit read needs no call; otherwise at most hourly.
    const pushedAt = this.#pushedAt.get(hostedRepositoryKey(url));
    const moved =
      (head !== undefined && this.#moved(cached, head)) ||
      (pushedAt !== undefined && pushedAt > (checkedAt ?? -Infinity));
    const confirmed = head !== undefined && cached !== undefined && !moved;
    if (
      !moved &&
      checkedAt !== undefined &&
      (confirmed || this.#clock() - checkedAt < HOSTED_RECHECK_MS)
    ) {
      return cached
        ? { facts: cached.facts, commitSha: cached.commitSha }
        : { facts: UNREADABLE_SOURCE };
    }
    try {
      // The reader calls the filter with every file's path: all of them are
      // listed (tests, README), only those the facts read are kept.
      const paths: string[] = [];
      const tree = await this.#urlReader!.readTree(url, {
        etag: cached?.commitSha,
        filter: file => {
          paths.push(file);
          return mayNeedContent(file);
        },
      });
      const contents = new Map<string, string>();
      for (const file of await tree.files()) {
        contents.set(file.path, (await file.content()).toString('utf8'));
      }
      this.#repositoriesRead++;
      const facts = sourceFacts(paths, contents);
      this.#pushedAt.delete(hostedRepositoryKey(url));
      this.#byRepository.set(key, {
        commitSha: tree.etag,
        facts,
        checkedAt: this.#clock(),
      });
      this.#toKeep.add(key);
      this.#failing.delete(key);
      return { facts, commitSha: tree.etag };
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'NotModifiedError' && cached) {
        this.#pushedAt.delete(hostedRepositoryKey(url));
        cached.checkedAt = this.#clock();
        this.#toKeep.add(key);
        return { facts: cached.facts, commitSha: cached.commitSha };
      }
      this.#byRepository.delete(key);
      const failedBefore = this.#failing.has(key);
      this.#failing.set(key, this.#clock());
      if (!failedBefore) {
        // The reader's messages carry the URL and status, never the token.
        this.#logger.warn(
          `Cannot read the source repository ${url}: ${
            (error as Error)?.message
          }; its source facts say source.readable false until it can be read`,
        );
      }
      return { facts: UNREADABLE_SOURCE };
    }
  }

  async #localFacts(key: string, name: string): Promise<Graded> {
    const dir = this.#host.repositoryPath(name);
    const commitSha = await readBranchHead(dir, this.#host.defaultBranch);
    if (!commitSha) {
      this.#byRepository.delete(key);
      return { facts: UNREADABLE_SOURCE };
    }
    const cached = this.#byRepository.get(key);
    if (cached?.commitSha === commitSha)
      return { facts: cached.facts, commitSha };
    this.#repositoriesRead++;
    let facts: Facts;
    // One process reads the tree and the files; a scheduled run may read
    // many repositories, so it does not outlive the read.
    const reader = new GitObjectReader(dir);
    try {
      const entries = await listCommitFiles(reader, commitSha);
      const wanted = new Set(filesToRead(entries.map(e => e.path)));
      const picked = entries.filter(e => wanted.has(e.path));
      const blobs = await reader.read(picked.map(e => e.blobId));
      facts = sourceFacts(
        entries.map(e => e.path),
        new Map(
          picked.map(e => [
            e.path,
            blobs.get(e.blobId)?.data.toString('utf8') ?? '',
          ]),
        ),
      );
    } catch (error) {
      this.#logger.warn(
        `Cannot read the source repository ${name} on the local git host: ${error}`,
      );
      return { facts: UNREADABLE_SOURCE };
    } finally {
      reader.close();
    }
    this.#byRepository.set(key, { commitSha, facts });
    this.#toKeep.add(key);
    return { facts, commitSha };
  }
}
