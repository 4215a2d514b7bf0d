import { stringifyEntityRef } from '@backstage/catalog-model';
import { ScorecardApi } from '@causeway/plugin-scorecard';
import { EntityLevel, levelRank } from '@causeway/plugin-scorecard-common';

// The overview's largest page: the services a home page can rank.
const MAX_SERVICES = 1000;
// The overview takes at most this many owners in one request.
const OWNERS_PER_REQUEST = 50;

/**
 * The scorecard level of each component the refs own, by lowercase entity
 * ref; components never graded are missing. One request for the user and
 * their teams (more only past the overview's owners per request).
 */
export async function serviceLevels(
  scorecardApi: ScorecardApi,
  ownershipEntityRefs: string[],
): Promise<Map<string, EntityLevel>> {
  const chunks: string[][] = [];
  for (let i = 0; i < ownershipEntityRefs.length; i += OWNERS_PER_REQUEST) {
    chunks.push(ownershipEntityRefs.slice(i, i + OWNERS_PER_REQUEST));
  }
  const pages = await Promise.all(
    chunks.map(owner =>
      scorecardApi.getOverview({
        owner,
        kind: 'component',
        limit: MAX_SERVICES,
      }),
    ),
  );
  return new Map(
    pages.flatMap(page =>
      page.items.map(item => [
        item.entityRef.toLocaleLowerCase('en-US'),
        item.level,
      ]),
    ),
  );
}

/**
 * The lowest level first; last, those without one (kinds of component no
 * check selects, or a new service before its first grading).
 */
export const worstFirstRank = (level: EntityLevel | undefined) =>
  level === undefined ? Number.MAX_SAFE_INTEGER : levelRank(level);

export const refKey = (ref: Parameters<typeof stringifyEntityRef>[0]) =>
  stringifyEntityRef(ref).toLocaleLowerCase('en-US');
