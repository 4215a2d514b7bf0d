import { parseEntityRef } from '@backstage/catalog-model';
import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import type {
  CheckDefinition,
  CheckFileProblem,
  EntityHistoryPoint,
  EntityLevel,
  EntityScorecard,
  GroupHistoryPoint,
  Level,
  GroupRollup,
  OverviewResponse,
  Waiver,
  WaiverRules,
} from '@causeway/plugin-scorecard-common';

/** A check as GET /checks lists it (with more fields than the views use). */
export type ScorecardCheck = Pick<
  CheckDefinition,
  'id' | 'title' | 'description' | 'level'
>;

/**
 * GET /checks: the loaded checks, what is wrong in the check files, and how
 * far ahead a waiver may expire.
 */
export type ChecksResponse = {
  checks: ScorecardCheck[];
  problems: CheckFileProblem[];
  waivers: WaiverRules;
};

/** A waiver as stored, with the id it is revoked by. */
export type StoredWaiver = Waiver;

export type NewWaiver = {
  checkId: string;
  reason: string;
  /** The last day it applies, YYYY-MM-DD. */
  expiresOn: string;
};

export type OverviewSort = 'level' | 'name' | 'failed';

/** GET /overview's query; the server filters, sorts and pages. */
export type OverviewQuery = {
  /** One owner's ref, or several: entities owned by any of them. */
  owner?: string | string[];
  system?: string;
  level?: EntityLevel;
  /** Entities below this level: below silver is no level or bronze. */
  below?: Level;
  failingCheck?: string;
  kind?: string;
  sort?: OverviewSort;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
};

/** What the scorecard views need from the scorecard backend. */
export interface ScorecardApi {
  /** The entity's last evaluation; undefined when it was never evaluated. */
  getEntityScorecard(entityRef: string): Promise<EntityScorecard | undefined>;
  /** Evaluates the entity now and returns the new scorecard. */
  evaluateEntity(entityRef: string): Promise<EntityScorecard>;
  getEntityHistory(
    entityRef: string,
    options?: { days?: number },
  ): Promise<EntityHistoryPoint[]>;
  getOverview(query: OverviewQuery): Promise<OverviewResponse>;
  /** The group's and its child groups' entities with their levels. */
  getGroupRollup(groupRef: string): Promise<GroupRollup>;
  /** A group's level counts per day; without a group, the organisation's. */
  getHistory(options: {
    groupRef?: string;
    days?: number;
  }): Promise<GroupHistoryPoint[]>;
  getChecks(): Promise<ChecksResponse>;
  getWaivers(entityRef: string): Promise<StoredWaiver[]>;
  createWaiver(entityRef: string, waiver: NewWaiver): Promise<StoredWaiver>;
  revokeWaiver(entityRef: string, waiverId: string): Promise<void>;
}

export const scorecardApiRef = createApiRef<ScorecardApi>().with({
  id: 'plugin.scorecard',
  pluginId: 'scorecard',
});

/** A failed request, with the server's own message when it sent one. */
export class ScorecardRequestError extends Error {
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.name = 'ScorecardRequestError';
    this.status = status;
  }
}

const segment = encodeURIComponent;

/** /entities/:kind/:namespace/:name, kind in lowercase as in catalog URLs. */
function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/entities/${segment(kind.toLowerCase())}/${segment(
    namespace,
  )}/${segment(name)}`;
}

/** /groups/:namespace/:name */
function groupPath(groupRef: string): string {
  const { namespace, name } = parseEntityRef(groupRef, {
    defaultKind: 'group',
  });
  return `/groups/${segment(namespace)}/${segment(name)}`;
}

/** Lists come as a bare array or as {items: [...]}; both are accepted. */
function itemsOf<T>(body: T[] | { items: T[] }): T[] {
  return Array.isArray(body) ? body : body.items;
}

function queryString(query: Record<string, string | number | undefined>) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Talks to the scorecard backend plugin (plugins/scorecard-backend). */
export class ScorecardClient implements ScorecardApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntityScorecard(
    entityRef: string,
  ): Promise<EntityScorecard | undefined> {
    try {
      return await this.request('GET', entityPath(entityRef));
    } catch (error) {
      if (error instanceof ScorecardRequestError && error.status === 404) {
        return undefined;
      }
      throw error;
    }
  }

  evaluateEntity(entityRef: string): Promise<EntityScorecard> {
    return this.request('POST', `${entityPath(entityRef)}/evaluate`);
  }

  async getEntityHistory(
    entityRef: string,
    options: { days?: number } = {},
  ): Promise<EntityHistoryPoint[]> {
    return itemsOf(
      await this.request(
        'GET',
        `${entityPath(entityRef)}/history${queryString(options)}`,
      ),
    );
  }

  getOverview(query: OverviewQuery): Promise<OverviewResponse> {
    // The server takes several owners separated by commas.
    const { owner } = query;
    const owners = Array.isArray(owner) ? owner.join(',') : owner;
    return this.request(
      'GET',
      `/overview${queryString({ ...query, owner: owners })}`,
    );
  }

  getGroupRollup(groupRef: string): Promise<GroupRollup> {
    return this.request('GET', `${groupPath(groupRef)}/rollup`);
  }

  async getHistory(options: {
    groupRef?: string;
    days?: number;
  }): Promise<GroupHistoryPoint[]> {
    const { groupRef, days } = options;
    const base = groupRef ? groupPath(groupRef) : '';
    return itemsOf(
      await this.request('GET', `${base}/history${queryString({ days })}`),
    );
  }

  getChecks(): Promise<ChecksResponse> {
    return this.request('GET', '/checks');
  }

  async getWaivers(entityRef: string): Promise<StoredWaiver[]> {
    return itemsOf(
      await this.request('GET', `${entityPath(entityRef)}/waivers`),
    );
  }

  createWaiver(entityRef: string, waiver: NewWaiver): Promise<StoredWaiver> {
    return this.request('POST', `${entityPath(entityRef)}/waivers`, waiver);
  }

  async revokeWaiver(entityRef: string, waiverId: string): Promise<void> {
    await this.request(
      'DELETE',
      `${entityPath(entityRef)}/waivers/${encodeURIComponent(waiverId)}`,
    );
  }

  private async request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('scorecard');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      ...(body !== undefined && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
    if (!response.ok) {
      throw new ScorecardRequestError(
        await errorMessage(response, `${method} ${baseUrl}${path}`),
        response.status,
      );
    }
    if (response.status === 204) {
      return undefined as T;
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** Backstage's error body is {error: {name, message}}; say that message. */
async function errorMessage(response: Response, request: string) {
  try {
    const body = await response.json();
    if (typeof body?.error?.message === 'string' && body.error.message) {
      return body.error.message;
    }
  } catch {
    // Not JSON: fall back to the status.
  }
  return `${request} answered ${response.status} ${response.statusText}`.trim();
}
