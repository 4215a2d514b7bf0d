import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  gitopsLayout,
  isManifestPath,
  parseManifestFile,
  ParsedManifestFile,
  PlatformApi,
} from '@causeway/plugin-gitops-common';
import { GitOpsRepository, GitTreeEntry } from '@causeway/plugin-gitops-node';
import { Facts } from '@causeway/plugin-scorecard-common';
import { FactProvider } from '@causeway/plugin-scorecard-node';
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

/** Where a service's manifests are: apps/ENVIRONMENT/NAMESPACE/NAME. */
export const GITOPS_PATH_ANNOTATION = 'causeway.dev/gitops-path';

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
};

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
  /** The folders each entity reads, and the entities of each folder. */
  #foldersByEntity = new Map<string, string[]>();
  #entitiesByFolder = new Map<string, string[]>();
  #lastCollect?: GitOpsCollectStats;

  constructor(options: {
    repository: GitOpsRepository;
    platformApis: PlatformApi[];
    logger: LoggerService;
  }) {
    this.#repository = options.repository;
    this.#platformApis = options.platformApis;
    this.#logger = options.logger;
  }

  get lastCollect(): GitOpsCollectStats | undefined {
    return this.#lastCollect;
  }

  /**
   * The entities (as of the last collect call) whose facts a change to
   * these repository paths can change: those whose folder holds one, and,
   * for a claim, every service of that namespace.
   */
  entitiesForPaths(paths: string[]): string[] {
    const refs = new Set<string>();
    for (const file of paths) {
      const segments = file.split('/');
      for (let i = segments.length - 1; i > 0; i--) {
        const dir = segments.slice(0, i).join('/');
        this.#entitiesByFolder.get(dir)?.forEach(ref => refs.add(ref));
      }
    }
    return [...refs];
  }

  async collect(entities: Entity[]): Promise<Map<string, Facts>> {
    const result = new Map<string, Facts>();
    const wanted: Array<{ ref: string; name: string; dir: string }> = [];
    for (const entity of entities) {
      const ref = stringifyEntityRef(entity);
      const dir = gitopsPath(entity);
      if (dir) wanted.push({ ref, name: entity.metadata.name, dir });
      else result.set(ref, NO_GITOPS_FACTS);
    }
    if (wanted.length === 0) return result;

    const tree = await this.#readTree();
    const dirs = new Set<string>();
    for (const { dir } of wanted) {
      dirs.add(dir);
      const infrastructureDir = infrastructureDirOf(dir);
      if (infrastructureDir) dirs.add(infrastructureDir);
    }

    // The folders whose files changed, and the files not read before: read
    // in one batch.
    const changed = new Map<string, GitTreeEntry[]>();
    for (const dir of dirs) {
      const cached = this.#folders.get(dir);
      if (cached?.checkedAt === tree.commitSha) continue;
      const entries = tree.sorted.manifestsUnder(dir);
      if (cached?.key === keyOf(entries)) cached.checkedAt = tree.commitSha;
      else changed.set(dir, entries);
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

    for (const [dir, entries] of changed) {
      const files = entries.map(e => this.#files.get(fileKey(e))!);
      this.#folders.set(dir, {
        key: keyOf(entries),
        checkedAt: tree.commitSha,
        facts: folderFacts(files),
        claims: files.flatMap(f => f.claims),
      });
    }

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
    }

    this.#index(wanted, dirs);
    this.#lastCollect = {
      commitSha: tree.commitSha,
      entities: entities.length,
      filesRead: contents.size,
      filesParsed: unread.length,
      foldersEvaluated: changed.size,
    };
    this.#logger.debug(
      `GitOps facts of ${entities.length} entities at ${tree.commitSha}: ${changed.size} folders evaluated, ${unread.length} files parsed`,
    );
    return result;
  }

  /**
   * Remembers which folders each entity reads, for entitiesForPaths. A call
   * with at least as many entities as are known is the scheduled run: it
   * replaces the index, and the folders no entity reads any more are
   * forgotten. A smaller one (a re-evaluation) updates its entities.
   */
  #index(wanted: Array<{ ref: string; dir: string }>, dirs: Set<string>) {
    const replace = wanted.length >= this.#foldersByEntity.size;
    const byEntity = replace
      ? new Map<string, string[]>()
      : this.#foldersByEntity;
    for (const { ref, dir } of wanted) {
      const infrastructureDir = infrastructureDirOf(dir);
      byEntity.set(ref, infrastructureDir ? [dir, infrastructureDir] : [dir]);
    }
    if (replace) {
      for (const dir of this.#folders.keys()) {
        if (!dirs.has(dir)) this.#folders.delete(dir);
      }
    }
    this.#foldersByEntity = byEntity;
    this.#entitiesByFolder = new Map();
    for (const [ref, folders] of byEntity) {
      for (const dir of folders) {
        const refs = this.#entitiesByFolder.get(dir);
        if (refs) refs.push(ref);
        else this.#entitiesByFolder.set(dir, [ref]);
      }
    }
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
