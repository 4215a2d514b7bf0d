import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { PlatformApi } from '@causeway/plugin-gitops-common';
import { GitOpsRepository } from '@causeway/plugin-gitops-node';
import { claimLocation, claimResources } from './claimResources';

/** A YAML file under infrastructure/, with no . or .. folder. */
const CLAIM_FILE = /^infrastructure(\/(?!\.\.?\/)[^/#?]+)+\.ya?ml$/i;

/**
 * Keeps one catalog Resource per Crossplane claim in the GitOps repository's
 * infrastructure/ folder: on a schedule, and at once when Causeway pushes
 * there (see refresh()).
 */
export class GitOpsClaimEntityProvider implements EntityProvider {
  #connection?: EntityProviderConnection;

  constructor(
    private readonly options: {
      repository: GitOpsRepository;
      apis: PlatformApi[];
      logger: LoggerService;
      taskRunner: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'causeway-gitops-claims';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.options.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /** Whether a location is a claim file this provider reads. */
  isOwnLocation(location: string): boolean {
    const prefix = claimLocation(this.options.repository.displayUrl, '');
    return (
      location.startsWith(prefix) &&
      CLAIM_FILE.test(location.slice(prefix.length))
    );
  }

  /** Reads every claim at the branch's head and replaces what it provided. */
  async refresh(): Promise<void> {
    if (!this.#connection) return;
    const { repository, apis, logger } = this.options;
    const snapshot = await repository.snapshot('infrastructure');
    const { entities, problems } = claimResources(
      snapshot.files,
      apis,
      repository.displayUrl,
    );
    for (const problem of problems) {
      logger.warn(`Skipping a claim in the GitOps repository: ${problem}`);
    }
    await this.#connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    logger.debug(
      `${entities.length} claims as Resources at GitOps commit ${snapshot.commitSha}`,
    );
  }
}
