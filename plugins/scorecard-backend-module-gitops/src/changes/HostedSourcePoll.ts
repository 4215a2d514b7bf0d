import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { EventsService } from '@backstage/plugin-events-node';
import {
  SOURCE_REPOSITORY_PUSHED_TOPIC,
  SourceRepositoryPushedEvent,
} from '@causeway/plugin-gitops-node';
import { DatabaseChangeIndex } from './ChangeIndex';
import { hostedRepositoryKey, HostedHeadStore } from './HostedHeadStore';

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const BRANCH = /^refs\/heads\/([A-Za-z0-9._/-]{1,200})$/;

/** The known repositories of one owner on one GitHub host. */
type Owner = {
  host: string;
  apiBaseUrl: string;
  owner: string;
  /** By repository key: the branch entities read, when their URL says. */
  repositories: Map<string, string | undefined>;
};

/**
 * The safety net for hosted source repositories when no webhook is
 * configured: one conditional call per organisation per poll to GitHub's
 * organisation events (GET /orgs/{org}/events with the last ETag; a 304
 * costs no rate limit), whatever the number of repositories. A push event
 * whose head is not the head recorded re-grades the repository's entities
 * (SOURCE_REPOSITORY_PUSHED_TOPIC); a repository seen for the first time is
 * only recorded. GitHub delays these events by up to minutes: webhooks are
 * the fast way.
 */
export class HostedSourcePoll {
  readonly #changeIndex: DatabaseChangeIndex;
  readonly #heads: HostedHeadStore;
  readonly #events: EventsService;
  readonly #integrations: ScmIntegrations;
  readonly #credentials: GithubCredentialsProvider;
  readonly #logger: LoggerService;
  /** The last ETag of each events URL: losing it costs one full answer. */
  readonly #etags = new Map<string, string>();
  readonly #warned = new Set<string>();

  constructor(options: {
    changeIndex: DatabaseChangeIndex;
    heads: HostedHeadStore;
    events: EventsService;
    integrations: ScmIntegrations;
    logger: LoggerService;
  }) {
    this.#changeIndex = options.changeIndex;
    this.#heads = options.heads;
    this.#events = options.events;
    this.#integrations = options.integrations;
    this.#credentials = DefaultGithubCredentialsProvider.fromIntegrations(
      options.integrations,
    );
    this.#logger = options.logger;
  }

  async poll(): Promise<void> {
    for (const owner of await this.#owners()) {
      await this.#pollOwner(owner).catch(error =>
        this.#warnOnce(owner, `${error}`),
      );
    }
  }

  /** The owners of the hosted repositories entities read, from the change index. */
  async #owners(): Promise<Owner[]> {
    const owners = new Map<string, Owner>();
    for (const key of await this.#changeIndex.keys('source-repository')) {
      if (!key.startsWith('url:')) continue;
      const url = key.slice('url:'.length);
      const integration = this.#integrations.github.byUrl(url);
      if (!integration) continue;
      let segments: string[];
      try {
        segments = new URL(url).pathname.split('/').filter(Boolean);
      } catch {
        continue;
      }
      const [owner, , tree, branch] = segments;
      if (!owner) continue;
      const { host, apiBaseUrl } = integration.config;
      const id = `${host}/${owner.toLowerCase()}`;
      let entry = owners.get(id);
      if (!entry) {
        entry = {
          host,
          apiBaseUrl: apiBaseUrl ?? 'https://api.github.com',
          owner,
          repositories: new Map(),
        };
        owners.set(id, entry);
      }
      entry.repositories.set(
        hostedRepositoryKey(url),
        tree === 'tree' ? branch : undefined,
      );
    }
    return [...owners.values()];
  }

  async #pollOwner(owner: Owner): Promise<void> {
    const url = `${owner.apiBaseUrl}/orgs/${encodeURIComponent(
      owner.owner,
    )}/events?per_page=100`;
    const { headers } = await this.#credentials.getCredentials({
      url: `https://${owner.host}/${owner.owner}`,
    });
    const etag = this.#etags.get(url);
    const response = await fetch(url, {
      headers: {
        accept: 'application/vnd.github+json',
        ...headers,
        ...(etag ? { 'if-none-match': etag } : {}),
      },
      signal: AbortSignal.timeout(20_000),
    });
    if (response.status === 304) return;
    if (!response.ok) {
      // The status only: the answer may quote the request.
      throw new Error(`GitHub answered ${response.status}`);
    }
    const events = (await response.json()) as unknown;
    const newEtag = response.headers.get('etag');
    if (!Array.isArray(events)) throw new Error('GitHub answered no list');

    // Newest first: the first push event of a repository is its head.
    const seen = new Set<string>();
    for (const event of events) {
      const repoName = event?.repo?.name;
      const ref = BRANCH.exec(String(event?.payload?.ref ?? ''))?.[1];
      const head = event?.payload?.head;
      if (
        event?.type !== 'PushEvent' ||
        typeof repoName !== 'string' ||
        !/^[^/\s]+\/[^/\s]+$/.test(repoName) ||
        !ref ||
        !SHA.test(String(head))
      ) {
        continue;
      }
      const repositoryUrl = `https://${owner.host}/${repoName}`;
      const key = hostedRepositoryKey(repositoryUrl);
      if (!owner.repositories.has(key) || seen.has(key)) continue;
      const branch = owner.repositories.get(key);
      if (branch !== undefined && branch !== ref) continue;
      seen.add(key);
      await this.#pushed(repositoryUrl, ref, head, branch !== undefined);
    }
    if (newEtag) this.#etags.set(url, newEtag);
  }

  async #pushed(
    repositoryUrl: string,
    branch: string,
    commitSha: string,
    branchKnown: boolean,
  ) {
    const known = (await this.#heads.heads([repositoryUrl])).get(repositoryUrl);
    if (known?.sha === commitSha) return;
    // Only the branch entities read is a head worth recording.
    if (branchKnown) await this.#heads.record(repositoryUrl, commitSha);
    if (!known && branchKnown) return;
    await this.#events.publish({
      topic: SOURCE_REPOSITORY_PUSHED_TOPIC,
      eventPayload: {
        url: repositoryUrl,
        branch,
        commitSha,
      } as SourceRepositoryPushedEvent,
    });
  }

  #warnOnce(owner: Owner, problem: string) {
    const id = `${owner.host}/${owner.owner}`;
    if (this.#warned.has(id)) return;
    this.#warned.add(id);
    this.#logger.warn(
      `Cannot poll the events of ${id} for pushes (${problem}); its repositories are re-graded by webhooks and the scheduled run only`,
    );
  }
}
