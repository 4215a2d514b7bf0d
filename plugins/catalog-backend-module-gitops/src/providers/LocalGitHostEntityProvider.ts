import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { pathToFileURL } from 'node:url';
import { LocalGitHost } from '@causeway/plugin-gitops-node';
import { parseManifestFile } from '@causeway/plugin-gitops-common';
import { describeParseProblem } from './describeParseProblem';

const CATALOG_FILE = 'catalog-info.yaml';
const READS_AT_ONCE = 8;

/**
 * The entities in catalog-info.yaml of every repository on the local git
 * host: all of them on a schedule (which also drops deleted repositories),
 * and one repository at once when a golden path creates it.
 */
export class LocalGitHostEntityProvider implements EntityProvider {
  #connection?: EntityProviderConnection;

  constructor(
    private readonly options: {
      host: LocalGitHost;
      logger: LoggerService;
      taskRunner: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'causeway-local-git-host';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.options.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  async refresh(): Promise<void> {
    if (!this.#connection) return;
    const names = await this.options.host.list();
    const entities = [];
    // A few git reads at a time: a host can hold thousands of repositories.
    for (let i = 0; i < names.length; i += READS_AT_ONCE) {
      const batch = names.slice(i, i + READS_AT_ONCE);
      for (const found of await Promise.all(batch.map(n => this.#read(n)))) {
        entities.push(...found);
      }
    }
    await this.#connection.applyMutation({ type: 'full', entities });
  }

  /** Adds or updates the entities of one repository right away. */
  async refreshRepository(name: string): Promise<void> {
    if (!this.#connection) return;
    await this.#connection.applyMutation({
      type: 'delta',
      added: await this.#read(name),
      removed: [],
    });
  }

  /** Whether a location is a catalog file this provider reads. */
  isOwnLocation(location: string): boolean {
    const prefix = `url:${pathToFileURL(this.options.host.root).href}/`;
    const suffix = `.git#${CATALOG_FILE}`;
    if (!location.startsWith(prefix) || !location.endsWith(suffix)) {
      return false;
    }
    try {
      // Throws for a name the host would not have made.
      return (
        location ===
        this.#location(location.slice(prefix.length, -suffix.length))
      );
    } catch {
      return false;
    }
  }

  #location(name: string): string {
    return `url:${this.options.host.url(name)}#${CATALOG_FILE}`;
  }

  async #read(name: string) {
    const { host, logger } = this.options;
    const content = await host.readFile(name, CATALOG_FILE);
    if (content === undefined) {
      return [];
    }
    const location = this.#location(name);
    const entities: { entity: Entity; locationKey: string }[] = [];
    // A broken document (or an alias bomb) is this repository's problem:
    // its file is skipped, the other repositories are still read.
    const parsed = parseManifestFile({ path: CATALOG_FILE, content });
    for (const problem of parsed.problems) {
      logger.warn(
        `Skipping ${CATALOG_FILE} of ${name}: ${describeParseProblem(problem)}`,
      );
    }
    if (parsed.problems.length) return [];
    for (const { object } of parsed.objects) {
      const entity = object as unknown as Entity;
      entities.push({
        locationKey: `${this.getProviderName()}:${name}`,
        entity: {
          ...entity,
          metadata: {
            ...entity.metadata,
            annotations: {
              ...entity.metadata.annotations,
              'backstage.io/managed-by-location': location,
              'backstage.io/managed-by-origin-location': location,
            },
          },
        },
      });
    }
    return entities;
  }
}
