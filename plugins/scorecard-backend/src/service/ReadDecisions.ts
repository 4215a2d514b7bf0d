import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  BasicPermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { LruMap } from '../lruMap';

type Kept = { at: number; decision: Promise<PolicyDecision> };

/** How many users' decisions are kept at most; the least recently used go first. */
const MAX_KEPT = 10_000;

/**
 * The permission framework's decisions on the read permissions a scorecard
 * read needs (scorecard.read, and catalog.entity.read without a resource),
 * kept for a user for a few seconds. Each of them is a call to the
 * permission backend, which asks the auth backend who the user is: two
 * HTTP calls, most of a read's time. A page of the portal makes several
 * reads at once, and a user's decisions do not change between them.
 *
 * Decisions of service principals (a CI pipeline) are not kept: the
 * permissions service answers them without a call. Decisions that name a
 * resource (waivers) are never kept. A policy change reaches readers within
 * `ttlMs`; 0 keeps nothing.
 */
export class ReadDecisions {
  readonly #permissions: PermissionsService;
  readonly #auth: AuthService;
  readonly #ttlMs: number;
  readonly #clock: () => number;
  readonly #kept = new LruMap<string, Kept>(MAX_KEPT);

  constructor(options: {
    permissions: PermissionsService;
    auth: AuthService;
    ttlMs: number;
    clock?: () => number;
  }) {
    this.#permissions = options.permissions;
    this.#auth = options.auth;
    this.#ttlMs = options.ttlMs;
    this.#clock = options.clock ?? Date.now;
  }

  /** The decision on a permission without a resource. */
  authorize(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<PolicyDecision> {
    return this.#decide(credentials, permission, async () => {
      const [decision] = await this.#permissions.authorize([{ permission }], {
        credentials,
      });
      return decision;
    });
  }

  /**
   * The decision on a resource permission for every resource: ALLOW, DENY,
   * or CONDITIONAL with the conditions the resource's plugin applies.
   */
  authorizeConditional(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<PolicyDecision> {
    return this.#decide(credentials, permission, async () => {
      const [decision] = await this.#permissions.authorizeConditional(
        [{ permission }],
        { credentials },
      );
      return decision;
    });
  }

  #decide(
    credentials: BackstageCredentials,
    permission: BasicPermission | ResourcePermission,
    ask: () => Promise<PolicyDecision>,
  ): Promise<PolicyDecision> {
    if (this.#ttlMs <= 0 || !this.#auth.isPrincipal(credentials, 'user')) {
      return ask();
    }
    const { userEntityRef, actor } = credentials.principal;
    const key = `${userEntityRef}\0${actor?.subject ?? ''}\0${permission.name}`;
    const now = this.#clock();
    const kept = this.#kept.get(key);
    if (kept && now - kept.at < this.#ttlMs) return kept.decision;

    // Reads that arrive together share one call; a failed call is not kept.
    const decision = ask();
    this.#kept.set(key, { at: now, decision });
    decision.catch(() => {
      if (this.#kept.get(key)?.decision === decision) this.#kept.delete(key);
    });
    return decision;
  }
}
