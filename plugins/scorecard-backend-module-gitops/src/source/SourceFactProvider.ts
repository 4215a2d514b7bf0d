import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  listGitTree,
  LocalGitHost,
  readGitBlobs,
} from '@causeway/plugin-gitops-node';
import { Facts } from '@causeway/plugin-scorecard-common';
import { FactProvider } from '@causeway/plugin-scorecard-node';
import {
  filesToRead,
  SOURCE_FACTS,
  sourceFacts,
  UNREADABLE_SOURCE,
} from './sourceFacts';

export const SOURCE_LOCATION_ANNOTATION = 'backstage.io/source-location';

/** Repositories read at the same time when many changed. */
const CONCURRENCY = 8;

/**
 * The commit a branch of a bare repository points at, read from its ref
 * files (no process per repository); undefined when there is none.
 */
async function branchHead(
  repositoryDir: string,
  branch: string,
): Promise<string | undefined> {
  const loose = await fs
    .readFile(path.join(repositoryDir, 'refs', 'heads', branch), 'utf8')
    .catch(() => undefined);
  if (loose?.trim()) return loose.trim();
  const packed = await fs
    .readFile(path.join(repositoryDir, 'packed-refs'), 'utf8')
    .catch(() => '');
  const line = packed
    .split('\n')
    .find(l => l.endsWith(` refs/heads/${branch}`));
  return line?.split(' ')[0];
}

/**
 * Facts about a service's source repository, for the services whose
 * backstage.io/source-location points at a repository of the local git
 * host: its CI workflow, Dockerfile, README and tests. Other entities get
 * source.readable false and nothing else. A repository is read again only
 * when its branch moved: the head is looked up in its ref files, and what
 * was made of a commit is kept by repository.
 */
export class SourceFactProvider implements FactProvider {
  readonly id = 'source';
  readonly facts = SOURCE_FACTS;
  readonly #host: LocalGitHost;
  readonly #logger: LoggerService;
  #byRepository = new Map<string, { commitSha: string; facts: Facts }>();
  #entitiesByRepository = new Map<string, string[]>();
  #repositoriesRead = 0;

  constructor(options: { host: LocalGitHost; logger: LoggerService }) {
    this.#host = options.host;
    this.#logger = options.logger;
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

  /** The entities (of the last collect calls) whose source is this repository. */
  entitiesForRepository(name: string): string[] {
    return this.#entitiesByRepository.get(name) ?? [];
  }

  async collect(entities: Entity[]): Promise<Map<string, Facts>> {
    const result = new Map<string, Facts>();
    const byRepository = new Map<string, string[]>();
    for (const entity of entities) {
      const ref = stringifyEntityRef(entity);
      const name = this.repositoryOf(entity);
      if (!name) {
        result.set(ref, UNREADABLE_SOURCE);
        continue;
      }
      const refs = byRepository.get(name);
      if (refs) refs.push(ref);
      else byRepository.set(name, [ref]);
    }

    const names = [...byRepository.keys()];
    this.#repositoriesRead = 0;
    for (let i = 0; i < names.length; i += CONCURRENCY) {
      await Promise.all(
        names.slice(i, i + CONCURRENCY).map(async name => {
          const facts = await this.#repositoryFacts(name);
          for (const ref of byRepository.get(name)!) result.set(ref, facts);
        }),
      );
    }

    for (const [name, refs] of byRepository) {
      this.#entitiesByRepository.set(name, refs);
    }
    return result;
  }

  async #repositoryFacts(name: string): Promise<Facts> {
    const dir = this.#host.repositoryPath(name);
    const commitSha = await branchHead(dir, this.#host.defaultBranch);
    if (!commitSha) {
      this.#byRepository.delete(name);
      return UNREADABLE_SOURCE;
    }
    const cached = this.#byRepository.get(name);
    if (cached?.commitSha === commitSha) return cached.facts;
    this.#repositoriesRead++;
    let facts: Facts;
    try {
      const entries = await listGitTree(dir, commitSha);
      const wanted = new Set(filesToRead(entries.map(e => e.path)));
      const picked = entries.filter(e => wanted.has(e.path));
      const blobs = await readGitBlobs(
        dir,
        picked.map(e => e.blobId),
      );
      facts = sourceFacts(
        entries.map(e => e.path),
        new Map(picked.map(e => [e.path, blobs.get(e.blobId) ?? ''])),
      );
    } catch (error) {
      this.#logger.warn(
        `Cannot read the source repository ${name} on the local git host: ${error}`,
      );
      return UNREADABLE_SOURCE;
    }
    this.#byRepository.set(name, { commitSha, facts });
    return facts;
  }
}
