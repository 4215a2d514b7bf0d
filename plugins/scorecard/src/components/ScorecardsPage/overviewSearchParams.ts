import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { LEVELS } from '@causeway/plugin-scorecard-common';
import { OverviewSort } from '../../api/ScorecardClient';
import { ENTITY_LEVELS } from '../../levels';
import { OverviewFilterValues } from '../OverviewFilters/OverviewFilters';
import { OverviewPaging, PAGE_SIZES } from '../OverviewTable/OverviewTable';

export const FIRST_PAGE: OverviewPaging = {
  sort: 'level',
  order: 'asc',
  limit: 25,
  offset: 0,
};

const SORTS: readonly OverviewSort[] = ['level', 'name', 'failed'];
const ORDERS = ['asc', 'desc'] as const;

const oneOf = <T extends string>(values: readonly T[], value: string | null) =>
  values.find(v => v === value);

/** A ref as the catalog writes it; "payments-team" is group:default/payments-team. */
function ref(value: string | null, defaultKind: string) {
  if (!value) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(value, { defaultKind }));
  } catch {
    // Not a ref: the server says what is wrong with it.
    return value;
  }
}

/**
 * The Scorecards page's view from its URL (?owner=...&below=silver&sort=...),
 * so a view can be shared and survives reload and back. Values the page
 * cannot show are dropped; refs and check ids are the server's to judge.
 */
export function readOverviewParams(params: URLSearchParams): {
  filters: OverviewFilterValues;
  paging: OverviewPaging;
} {
  const filters: OverviewFilterValues = {
    owner: ref(params.get('owner'), 'group'),
    system: ref(params.get('system'), 'system'),
    level: oneOf(ENTITY_LEVELS, params.get('level')),
    below: oneOf(LEVELS, params.get('below')),
    failingCheck: params.get('failingCheck') || undefined,
  };
  const limit = Number(params.get('limit'));
  const offset = Number(params.get('offset'));
  return {
    filters: Object.fromEntries(
      Object.entries(filters).filter(([, v]) => v !== undefined),
    ),
    paging: {
      sort: oneOf(SORTS, params.get('sort')) ?? FIRST_PAGE.sort,
      order: oneOf(ORDERS, params.get('order')) ?? FIRST_PAGE.order,
      limit: PAGE_SIZES.includes(limit) ? limit : FIRST_PAGE.limit,
      offset: Number.isSafeInteger(offset) && offset > 0 ? offset : 0,
    },
  };
}

/** The URL's query for a view; the first page's defaults are left out. */
export function overviewParams(
  filters: OverviewFilterValues,
  paging: OverviewPaging,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...paging })) {
    const unchanged = FIRST_PAGE[key as keyof OverviewPaging] === value;
    if (value !== undefined && value !== '' && !unchanged) {
      params.set(key, String(value));
    }
  }
  return params;
}
