import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  LEVELS,
  scorecardEvaluatePermission,
  scorecardReadPermission,
  scorecardWaiverCreatePermission,
  scorecardWaiverDeletePermission,
} from '@causeway/plugin-scorecard-common';
import express, { ErrorRequestHandler, Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { normalizeRef } from '../refs';
import { scorecardBadge } from './badge';
import { ReadDecisions } from './ReadDecisions';
import { ScorecardService } from './ScorecardService';
import { TooManyRequestsError } from './errors';
import { RequestLimit } from './RequestLimit';

const ENTITY = '/entities/:kind/:namespace/:name';
const GROUP = '/groups/:namespace/:name';

const entityLevel = z.enum([...LEVELS, 'none']);

const listQuery = {
  sort: z.enum(['level', 'name', 'failed']).default('level'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};

/**
 * The longest filter value: refs and check ids are stored in columns this
 * long, and each distinct filter's level counts are kept for a while.
 */
const MAX_FILTER_LENGTH = 255;
const filter = z.string().min(1).max(MAX_FILTER_LENGTH).optional();

/** The most owners one overview asks about (a user and their teams). */
const MAX_OWNERS = 50;

const overviewQuery = z.object({
  ...listQuery,
  /** One owner, or several separated by commas (refs never hold commas). */
  owner: z
    .string()
    .max(MAX_OWNERS * (MAX_FILTER_LENGTH + 1))
    .transform(v => v.split(','))
    .pipe(
      z
        .array(z.string().min(1).max(MAX_FILTER_LENGTH))
        .max(MAX_OWNERS, `at most ${MAX_OWNERS} owners`),
    )
    .optional(),
  system: filter,
  kind: filter,
  failingCheck: filter,
  /** One level, or several separated by commas. */
  level: z
    .string()
    .max(MAX_FILTER_LENGTH)
    .transform(v => v.split(','))
    .pipe(z.array(entityLevel))
    .optional(),
  /** Entities below this level: below=silver is no level or bronze. */
  below: z.enum(LEVELS).optional(),
});

const historyQuery = z.object({
  days: z.coerce.number().int().default(30),
});

const gateQuery = z.object({ minLevel: z.enum(LEVELS) });

const waiverBody = z.object({
  checkId: z.string().min(1),
  reason: z.string(),
  expiresOn: z.string(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(i => `${i.path.join('.') || 'request'}: ${i.message}`)
        .join('; '),
    );
  }
  return result.data;
}

/** An entity ref from a query parameter; a name alone takes the default kind. */
function refParam(value: string, defaultKind: string) {
  try {
    return normalizeRef(value, { defaultKind });
  } catch (error) {
    throw new InputError(`"${value}" is not an entity ref: ${error}`);
  }
}

/**
 * The scorecard API under /api/scorecard. Every read needs scorecard.read;
 * routes about one entity or group also need the caller to see it in the
 * catalog (404 "... is not in the catalog" otherwise).
 *
 *   GET    /health                                  open
 *   GET    /checks                                  { checks, problems, facts, waivers }
 *   GET    /overview?owner&system&level&below&failingCheck&kind&sort&order&limit&offset
 *                                                   owner and level: comma-separated lists
 *   GET    /history?days                            the organisation per day
 *   GET    /entities/:kind/:namespace/:name         404 when never evaluated
 *   POST   /entities/:kind/:namespace/:name/evaluate  users; scorecard.evaluate,
 *                                                   429 past the user's limit
 *   GET    /entities/:kind/:namespace/:name/history?days
 *   GET    /entities/:kind/:namespace/:name/waivers
 *   POST   /entities/:kind/:namespace/:name/waivers 201; scorecard.waiver.create
 *   DELETE /entities/:kind/:namespace/:name/waivers/:id  scorecard.waiver.delete
 *   GET    /groups/:namespace/:name/rollup?sort&order&limit&offset
 *   GET    /groups/:namespace/:name/history?days
 *   GET    /gate/:kind/:namespace/:name?minLevel    404 not in the catalog,
 *                                                   409 NotEvaluatedError
 *   GET    /badge/:kind/:namespace/:name            image/svg+xml
 */
export async function createRouter(options: {
  service: ScorecardService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  /** A user's read decisions, kept this long (scorecard.permissionCacheSeconds). */
  decisionTtlMs: number;
  /** Serve badges without sign-in (scorecard.badges.public). */
  publicBadges: boolean;
  /** Evaluations on request each user may ask for per minute. */
  evaluateLimit: RequestLimit;
}): Promise<express.Router> {
  const { service, auth, httpAuth, permissions, catalog, publicBadges } =
    options;
  const decisions = new ReadDecisions({
    permissions,
    auth,
    ttlMs: options.decisionTtlMs,
  });

  const notAllowed = (request: AuthorizePermissionRequest) =>
    new NotAllowedError(
      `Not allowed: ${request.permission.name}${
        request.resourceRef ? ` on ${request.resourceRef}` : ''
      }`,
    );

  const authorize = async (
    credentials: BackstageCredentials,
    request: AuthorizePermissionRequest,
  ) => {
    const [decision] = await permissions.authorize([request], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) throw notAllowed(request);
  };

  const authorizeRead = async (credentials: BackstageCredentials) => {
    const permission = scorecardReadPermission;
    const decision = await decisions.authorize(credentials, permission);
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw notAllowed({ permission });
    }
  };

  /**
   * The ref of an entity in the path, if the catalog shows it to the caller.
   * A caller the policy lets read every entity (a user allowed
   * catalog.entity.read outright, or a service, which the scorecard answers
   * as itself) sees what the scorecard knows without a catalog call; the
   * catalog is asked about anything else, and applies its conditions.
   */
  const visibleEntity = async (
    credentials: BackstageCredentials,
    ref: string,
  ) => {
    const isUser = auth.isPrincipal(credentials, 'user');
    if (isUser) {
      const decision = await decisions.authorizeConditional(
        credentials,
        catalogEntityReadPermission,
      );
      if (decision.result === AuthorizeResult.DENY) {
        throw new NotFoundError(`${ref} is not in the catalog`);
      }
      if (decision.result === AuthorizeResult.ALLOW) {
        if (await service.isKnown(ref)) return ref;
      }
    } else if (await service.isKnown(ref)) {
      return ref;
    }
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: [ref], fields: ['kind'] },
      {
        // A user sees what the catalog shows them. A service (a CI pipeline's
        // token, which may be restricted to this plugin) is not filtered by
        // the catalog's permissions, so ask as the scorecard itself.
        credentials: isUser
          ? credentials
          : await auth.getOwnServiceCredentials(),
      },
    );
    if (!items[0]) throw new NotFoundError(`${ref} is not in the catalog`);
    return ref;
  };

  /**
   * The entities a user may see, for lists (overview, rollups, history),
   * when the catalog's decision limits them; undefined when it does not.
   * Conditions are the catalog's to apply: one listing of the refs of the
   * kinds the checks select, as the user.
   */
  const visibleRefs = async (
    credentials: BackstageCredentials,
  ): Promise<string[] | undefined> => {
    if (!auth.isPrincipal(credentials, 'user')) return undefined;
    const decision = await decisions.authorizeConditional(
      credentials,
      catalogEntityReadPermission,
    );
    if (decision.result === AuthorizeResult.ALLOW) return undefined;
    if (decision.result === AuthorizeResult.DENY) return [];
    const kinds = service.selectedKinds();
    const { items } = await catalog.getEntities(
      {
        filter: kinds ? { kind: kinds } : undefined,
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    return items.map(e => normalizeRef(stringifyEntityRef(e)));
  };

  /** A list read: scorecard.read, and which entities the caller may see. */
  const lister = async (req: Request) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [, visible] = await Promise.all([
      authorizeRead(credentials),
      visibleRefs(credentials),
    ]);
    return visible;
  };

  const refOf = (req: Request, kind = req.params.kind) =>
    normalizeRef({
      kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });

  /** A read: scorecard.read, and the entity in the path visible to the caller. */
  const reader = async (req: Request, kind?: string) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const ref = refOf(req, kind);
    const [allowed, visible] = await Promise.allSettled([
      authorizeRead(credentials),
      visibleEntity(credentials, ref),
    ]);
    if (allowed.status === 'rejected') throw allowed.reason;
    if (visible.status === 'rejected') throw visible.reason;
    return ref;
  };

  /** A change to waivers: a signed-in user allowed to on this entity. */
  const waiverEditor = async (
    req: Request,
    permission:
      | typeof scorecardWaiverCreatePermission
      | typeof scorecardWaiverDeletePermission,
  ) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const ref = await visibleEntity(credentials, refOf(req));
    await authorize(credentials, { permission, resourceRef: ref });
    return { ref, user: credentials.principal.userEntityRef };
  };

  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/checks', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorizeRead(credentials);
    res.json(service.checks());
  });

  router.get('/overview', async (req, res) => {
    const visible = await lister(req);
    const query = parse(overviewQuery, req.query);
    res.json(
      await service.overview({
        ...query,
        visibleRefs: visible,
        levels: query.level,
        belowLevel: query.below,
        owners: query.owner && [
          ...new Set(query.owner.map(owner => refParam(owner, 'group'))),
        ],
        system: query.system && refParam(query.system, 'system'),
        kind: query.kind?.toLocaleLowerCase('en-US'),
      }),
    );
  });

  router.get(ENTITY, async (req, res) => {
    res.json(await service.scorecard(await reader(req)));
  });

  /*
   * Grading costs cluster listings and GitHub calls: users only (a CI
   * pipeline reads the gate), the entity's owners (scorecard.evaluate),
   * counted per user before anything else, and one grading per entity per
   * minimum interval.
   */
  router.post(`${ENTITY}/evaluate`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await options.evaluateLimit.take(credentials.principal.userEntityRef);
    const ref = await visibleEntity(credentials, refOf(req));
    await Promise.all([
      authorizeRead(credentials),
      authorize(credentials, {
        permission: scorecardEvaluatePermission,
        resourceRef: ref,
      }),
    ]);
    res.json(await service.evaluate(ref));
  });

  router.get(`${ENTITY}/history`, async (req, res) => {
    const ref = await reader(req);
    const { days } = parse(historyQuery, req.query);
    res.json(await service.entityHistory(ref, days));
  });

  router.get(`${ENTITY}/waivers`, async (req, res) => {
    res.json(await service.listWaivers(await reader(req)));
  });

  router.post(`${ENTITY}/waivers`, async (req, res) => {
    const { ref, user } = await waiverEditor(
      req,
      scorecardWaiverCreatePermission,
    );
    const input = parse(waiverBody, req.body);
    res.status(201).json(await service.createWaiver(ref, input, user));
  });

  router.delete(`${ENTITY}/waivers/:id`, async (req, res) => {
    const { ref, user } = await waiverEditor(
      req,
      scorecardWaiverDeletePermission,
    );
    res.json(await service.revokeWaiver(ref, req.params.id, user));
  });

  router.get(`${GROUP}/rollup`, async (req, res) => {
    const [ref, visible] = await Promise.all([
      reader(req, 'group'),
      lister(req),
    ]);
    const { sort, order, limit, offset } = parse(
      z.object(listQuery),
      req.query,
    );
    res.json(
      await service.rollup(ref, {
        sort,
        order,
        limit,
        offset,
        visibleRefs: visible,
      }),
    );
  });

  router.get(`${GROUP}/history`, async (req, res) => {
    const [ref, visible] = await Promise.all([
      reader(req, 'group'),
      lister(req),
    ]);
    const { days } = parse(historyQuery, req.query);
    res.json(await service.groupHistory(ref, days, visible));
  });

  // The whole organisation's level counts per day.
  router.get('/history', async (req, res) => {
    const visible = await lister(req);
    const { days } = parse(historyQuery, req.query);
    res.json(await service.groupHistory(undefined, days, visible));
  });

  router.get('/gate/:kind/:namespace/:name', async (req, res) => {
    const { minLevel } = parse(gateQuery, req.query);
    res.json(await service.gate(await reader(req), minLevel));
  });

  router.get('/badge/:kind/:namespace/:name', async (req, res) => {
    // Public badges show the stored level of any name, known or not, and
    // say nothing else; otherwise a badge is a read like any other.
    const ref = publicBadges ? refOf(req) : await reader(req);
    res
      .type('image/svg+xml')
      .set(
        'Cache-Control',
        publicBadges ? 'public, max-age=300' : 'private, max-age=60',
      )
      .send(scorecardBadge(await service.badgeLevel(ref)));
  });

  // The error middleware answers; this says when to ask again.
  const retryAfter: ErrorRequestHandler = (error, _req, res, next) => {
    if (error instanceof TooManyRequestsError) {
      res.set('Retry-After', String(error.retryAfterSeconds));
    }
    next(error);
  };
  router.use(retryAfter);

  return router;
}
