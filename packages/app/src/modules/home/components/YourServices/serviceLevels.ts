import { stringifyEntityRef } from '@backstage/catalog-model';
import { ScorecardApi } from '@causeway/plugin-scorecard';
import { EntityLevel, levelRank } from '@causeway/plugin-scorecard-common';

// What one owner can own; the overview's largest page.
const MAX_PER_OWNER = 1000;

/**
 * The scorecard level of each component the refs own, by lowercase entity
 * ref; components never graded are missing. The overview filters by one
 * owner, so one request per ref (the user and their teams).
 */
export async function serviceLevels(
  scorecardApi: ScorecardApi,
  ownershipEntityRefs: string[],
): Promise<Map<string, EntityLevel>> {
  const pages = await Promise.all(
    ownershipEntityRefs.map(owner =>
      scorecardApi.getOverview({
        owner,
        kind: 'component',
        limit: MAX_PER_OWNER,
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
