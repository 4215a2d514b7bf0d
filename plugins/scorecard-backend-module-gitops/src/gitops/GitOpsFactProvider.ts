import { createHash } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  GITOPS_PATH_ANNOTATION,
  gitopsLayout,
  isManifestPath,
  ParsedManifestFile,
  parseManifestFile,
  PlatformApi,
} from '@causeway/plugin-gitops-common';
import { GitOpsRepository, GitTreeEntry } from '@causeway/plugin-gitops-node';
import { Facts } from '@causeway/plugin-scorecard-common';
import { EntityRevisions, FactProvider } from '@causeway/plugin-scorecard-node';
import { CachedEntry, FactCache } from '../cache/FactCache';
import { DatabaseChangeIndex } from '../changes/ChangeIndex';
import {
  ClaimSummary,
  claimFacts,
  FileSummary,
  folderFacts,
  GITOPS_FACTS,
  NO_GITOPS_FACTS,
  ownString,
  summarizeFile,
} from './gitopsFacts';

const SERVICE_DIR = /^apps\/([^/]+)\/([^/]+)\/[^/]+$/;

/** What the last collect call read; for logs and tests. */
export type GitOpsCollectStats = {
  commitSha: string;
  entities: number;
  /** Files whose contents were read from the repository (not cached). */
  filesRead: number;
  filesParsed: number;
  /** Folders whose facts were worked out again (their files changed). */
  foldersEvaluated: number;
  /** Folders whose facts came from the fact cache (after a restart). */
  foldersRestored: number;
};

/** The fact cache's kind for a folder's facts. */
const CACHE_KIND = 'gitops-folder';
/**
 * Part of every cached folder's digest: change it when what a folder's
 * facts are made of changes, so that older entries no longer match.
 */
const FACTS_VERSION = '1';

type CachedFolder = Pick<Folder, 'facts' | 'claims'>;

type Folder = {
  /** The folder's paths and blob ids: its facts hold while this does. */
  key: string;
  /** The last head the key was checked at. */
  checkedAt: string;
  facts: Facts;
  claims: ClaimSummary[];
};

/** A list of tree entries sorted by path (as tree() gives them), searched by folder. */
class SortedTree {
  constructor(readonly entries: GitTreeEntry[]) {}

  /** The YAML files anywhere under a folder. */
  manifestsUnder(dir: string): GitTreeEntry[] {
    const prefix = `${dir}/`;
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entries[mid].path < prefix) low = mid + 1;
      else high = mid;
    }
    const found: GitTreeEntry[] = [];
    for (let i = low; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (!entry.path.startsWith(prefix)) break;
      if (isManifestPath(entry.path)) found.push(entry);
    }
    return found;
  }
}

const fileKey = (e: GitTreeEntry) => `${e.path}\0${e.blobId}`;
const keyOf = (entries: GitTreeEntry[]) => entries.map(fileKey).join('\n');

/** A file listed in the tree but missing from the batch read: a problem. */
const unreadable = (e: GitTreeEntry): ParsedManifestFile => ({
  objects: [],
  problems: [
    { path: e.path, document: 0, line: 1, message: 'could not be read' },
  ],
});

/** The gitops path of an entity, without a trailing slash. */
function gitopsPath(entity: Entity): string | undefined {
  const value = entity.metadata.annotations?.[GITOPS_PATH_ANNOTATION];
  const dir = value?.trim().replace(/\/+$/, '');
  return dir || undefined;
}

/** The infrastructure folder of a service folder's namespace. */
function infrastructureDirOf(dir: string): string | undefined {
  const match = SERVICE_DIR.exec(dir);
  return match ? gitopsLayout.infrastructureDir(match[1], match[2]) : undefined;
}

/**
 * Facts about a service's desired state in the GitOps repository: its
 * folder's manifests and the database claims of its namespace that are part
 * of it. Each collect call reads the repository once: the tree of apps/ and
 * infrastructure/ (paths and blob ids), then, in one batch, only the blobs
 * not seen before. What a file says (a small summary, not its objects) is
 * kept by path and blob id, and each folder's facts by its files' ids, so a
 * folder that did not change costs a lookup and a changed one parses only
 * its changed files.
 */
export class GitOpsFactProvider implements FactProvider {
  readonly id = 'gitops';
  readonly facts = GITOPS_FACTS;
  readonly #repository: GitOpsRepository;
  readonly #platformApis: PlatformApi[];
  readonly #logger: LoggerService;
  /** What each file says, by path and blob id. */
  #files = new Map<string, FileSummary>();
  /** Service and infrastructure folders, by path. */
  #folders = new Map<string, Folder>();
  #tree?: { commitSha: string; sorted: SortedTree };
  #lastCollect?: GitOpsCollectStats;
  readonly #changeIndex: DatabaseChangeIndex;
  readonly #cache?: FactCache;
  /** What the facts of a folder depend on besides its files. */
  readonly #digestPrefix: string;
  /** The cached folders, read once after a start, until a full collect. */
  #restored?: Promise<Map<string, CachedEntry<CachedFolder>>>;

  constructor(options: {
    repository: GitOpsRepository;
    platformApis: PlatformApi[];
    logger: LoggerService;
    /** Where it records which entities read which folders. */
    changeIndex: DatabaseChangeIndex;
    /** Keeps folders' facts across restarts; without it, a start parses all. */
    cache?: FactCache;
  }) {
    this.#repository = options.repository;
    this.#changeIndex = options.changeIndex;
    this.#platformApis = options.platformApis;
    this.#logger = options.logger;
    this.#cache = options.cache;
    // Claims' facts read the platform APIs' defaults.
    this.#digestPrefix = `${FACTS_VERSION}\0${createHash('sha256')
      .update(JSON.stringify(options.platformApis))
      .digest('hex')}\0`;
    if (this.#cache) {
      this.#restored = this.#cache
        .load<CachedFolder>(CACHE_KIND)
        .catch(error => {
          this.#logger.warn(
            `Could not read the GitOps facts kept from the last run; every folder is read again: ${error}`,
          );
          return new Map();
        });
    }
  }

  get lastCollect(): GitOpsCollectStats | undefined {
    return this.#lastCollect;
  }

  /**
   * The entities (as of the last collect, by any replica) whose facts a
   * change to these repository paths can change: those whose folder holds
   * one, and, for a claim, every service of that namespace.
   */
  async entitiesForPaths(paths: string[]): Promise<string[]> {
    const dirs = new Set<string>();
    for (const file of paths) {
      const segments = file.split('/');
      for (let i = segments.length - 1; i > 0; i--) {
        dirs.add(segments.slice(0, i).join('/'));
      }
    }
    return this.#changeIndex.entitiesFor('gitops-folder', [...dirs]);
  }

  /**
   * The commit at the head of the GitOps repository and, as the content, a
   * digest of the files of each entity's folders (its own and its
   * namespace's infrastructure folder, whose claims it may hold): a commit
   * to other services' folders leaves it as it was.
   */
  async revisions(entities: Entity[]): Promise<Map<string, EntityRevisions>> {
    const revisions = new Map<string, EntityRevisions>();
    const wanted = entities.flatMap(entity => {
      const dir = gitopsPath(entity);
      return dir ? [{ ref: stringifyEntityRef(entity), dir }] : [];
    });
    if (!wanted.length) return revisions;
    const tree = await this.#readTree();
    for (const { ref, dir } of wanted) {
      revisions.set(ref, { gitops: this.#revisionOf(tree, dir) });
    }
    return revisions;
  }

  /** The revision of a service folder (and its infrastructure folder) in a tree. */
  #revisionOf(
    tree: { commitSha: string; sorted: SortedTree },
    dir: string,
  ): { commit: string; content: string } {
    const infrastructureDir = infrastructureDirOf(dir);
    const hash = createHash('sha256').update(
      keyOf(tree.sorted.manifestsUnder(dir)),
    );
    if (infrastructureDir) {
      hash
        .update('\0\0')
        .update(keyOf(tree.sorted.manifestsUnder(infrastructureDir)));
    }
    return {
      commit: tree.commitSha,
      content: hash.digest('hex').slice(0, 40),
    };
  }

  async collect(
    entities: Entity[],
    options: {
      all?: boolean;
      revisions?: Map<string, EntityRevisions>;
    } = {},
  ): Promise<Map<string, Facts>> {
    const result = new Map<string, Facts>();
    const wanted: Array<{ ref: string; name: string; dir: string }> = [];
    for (const entity of entities) {
      const ref = stringifyEntityRef(entity);
      const dir = gitopsPath(entity);
      if (dir) wanted.push({ ref, name: entity.metadata.name, dir });
      else result.set(ref, NO_GITOPS_FACTS);
    }
    if (wanted.length === 0) {
      await this.#index(entities, wanted, new Set(), options.all ?? false);
      return result;
    }

    const tree = await this.#readTree();
    const dirs = new Set<string>();
    for (const { dir } of wanted) {
      dirs.add(dir);
      const infrastructureDir = infrastructureDirOf(dir);
      if (infrastructureDir) dirs.add(infrastructureDir);
    }

    // The folders whose files changed, and the files not read before: read
    // in one batch. After a start, a folder whose files are those its kept
    // facts were made of needs none.
    const restored = await this.#restored;
    const changed = new Map<string, GitTreeEntry[]>();
    let foldersRestored = 0;
    for (const dir of dirs) {
      const cached = this.#folders.get(dir);
      if (cached?.checkedAt === tree.commitSha) continue;
      const entries = tree.sorted.manifestsUnder(dir);
      const key = keyOf(entries);
      const kept = restored?.get(dir);
      if (cached?.key === key) {
        cached.checkedAt = tree.commitSha;
      } else if (kept && kept.digest === this.#digest(key)) {
        this.#folders.set(dir, {
          key,
          checkedAt: tree.commitSha,
          ...kept.value,
        });
        foldersRestored++;
      } else {
        changed.set(dir, entries);
      }
    }
    const unread = [...changed.values()]
      .flat()
      .filter(e => !this.#files.has(fileKey(e)));
    const contents = await this.#repository.readBlobs(
      unread.map(e => e.blobId),
    );
    for (const entry of unread) {
      const content = contents.get(entry.blobId);
      const parsed =
        content === undefined
          ? unreadable(entry)
          : parseManifestFile({ path: entry.path, content });
      this.#files.set(
        ownString(fileKey(entry)),
        summarizeFile(parsed, this.#platformApis),
      );
    }

    const toKeep: Array<{ key: string } & CachedEntry<CachedFolder>> = [];
    for (const [dir, entries] of changed) {
      const files = entries.map(e => this.#files.get(fileKey(e))!);
      const folder: Folder = {
        key: keyOf(entries),
        checkedAt: tree.commitSha,
        facts: folderFacts(files),
        claims: files.flatMap(f => f.claims),
      };
      this.#folders.set(dir, folder);
      toKeep.push({
        key: dir,
        digest: this.#digest(folder.key),
        value: { facts: folder.facts, claims: folder.claims },
      });
    }
    await this.#keep(toKeep);

    for (const { ref, name, dir } of wanted) {
      const folder = this.#folders.get(dir)!;
      const infrastructureDir = infrastructureDirOf(dir);
      const serviceName = dir.slice(dir.lastIndexOf('/') + 1);
      const claims = [
        ...folder.claims,
        ...(infrastructureDir
          ? this.#folders
              .get(infrastructureDir)!
              .claims.filter(c => c.partOf === name || c.partOf === serviceName)
          : []),
      ];
      result.set(ref, { ...folder.facts, ...claimFacts(claims) });
      if (options.revisions) {
        options.revisions.set(ref, {
          ...options.revisions.get(ref),
          gitops: this.#revisionOf(tree, dir),
        });
      }
    }

    await this.#index(entities, wanted, dirs, options.all ?? false);
    this.#lastCollect = {
      commitSha: tree.commitSha,
      entities: entities.length,
      filesRead: contents.size,
      filesParsed: unread.length,
      foldersEvaluated: changed.size,
      foldersRestored,
    };
    this.#logger.debug(
      `GitOps facts of ${entities.length} entities at ${tree.commitSha}: ${changed.size} folders evaluated, ${unread.length} files parsed`,
    );
    return result;
  }

  /**
   * Records which folders each collected entity reads, for
   * entitiesForPaths. After a full run (`all`), the folders no entity reads
   * any more are forgotten here and in the fact cache.
   */
  async #index(
    entities: Entity[],
    wanted: Array<{ ref: string; dir: string }>,
    dirs: Set<string>,
    all: boolean,
  ) {
    if (all) {
      for (const dir of this.#folders.keys()) {
        if (!dirs.has(dir)) this.#folders.delete(dir);
      }
      // Every folder read is now held, or changed since it was kept.
      this.#restored = undefined;
      this.#cache
        ?.retain(CACHE_KIND, dirs)
        .catch(error =>
          this.#logger.warn(
            `Could not forget GitOps facts of folders no entity reads: ${error}`,
          ),
        );
    }
    const entries = wanted.flatMap(({ ref, dir }) => {
      const infrastructureDir = infrastructureDirOf(dir);
      return (infrastructureDir ? [dir, infrastructureDir] : [dir]).map(
        key => ({ key, entityRef: ref }),
      );
    });
    await this.#changeIndex
      .record('gitops-folder', {
        entityRefs: entities.map(e => stringifyEntityRef(e)),
        entries,
        all,
      })
      .catch(error =>
        this.#logger.warn(
          `Could not record which GitOps folders ${entities.length} entities read; changes to them wait for the next scheduled run: ${error}`,
        ),
      );
  }

  /** A folder's cache digest: its files, and what else its facts depend on. */
  #digest(folderKey: string): string {
    return createHash('sha256')
      .update(this.#digestPrefix)
      .update(folderKey)
      .digest('hex');
  }

  /** Writes folders' new facts to the cache; a failure costs a parse later. */
  async #keep(entries: Array<{ key: string } & CachedEntry<CachedFolder>>) {
    if (!this.#cache || !entries.length) return;
    await this.#cache
      .save(CACHE_KIND, entries)
      .catch(error =>
        this.#logger.warn(
          `Could not keep the GitOps facts of ${entries.length} folders for the next start: ${error}`,
        ),
      );
  }

  /**
   * The tree at the branch head. When the head moved, what is kept of files
   * no longer in it is forgotten: only the changed files' when the
   * repository says what changed since the tree held here.
   */
  async #readTree() {
    const tree = await this.#repository.tree(['apps', 'infrastructure']);
    const held = this.#tree;
    if (held?.commitSha === tree.commitSha) return held;
    this.#tree = {
      commitSha: tree.commitSha,
      sorted: new SortedTree(tree.entries),
    };
    if (held && tree.since?.commitSha === held.commitSha) {
      for (const change of tree.since.changes) {
        if (change.previousBlobId) {
          this.#files.delete(
            fileKey({ path: change.path, blobId: change.previousBlobId }),
          );
        }
      }
    } else {
      const present = new Set(tree.entries.map(fileKey));
      for (const key of this.#files.keys()) {
        if (!present.has(key)) this.#files.delete(key);
      }
    }
    return this.#tree;
  }
}
