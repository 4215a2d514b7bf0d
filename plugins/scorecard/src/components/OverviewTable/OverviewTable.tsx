import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { levelRank, OverviewItem } from '@causeway/plugin-scorecard-common';
import { OverviewSort, ScorecardCheck } from '../../api/ScorecardClient';
import { EntityCells } from '../EntityCells/EntityCells';
import { LevelBadge } from '../LevelBadge/LevelBadge';
import { ScorecardTable } from '../ScorecardTable/ScorecardTable';

/** The page sizes offered; a shared URL may ask for one of these only. */
export const PAGE_SIZES = [10, 25, 50, 100];

export type OverviewPaging = {
  sort: OverviewSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
};

const FAILING_SHOWN = 3;

/**
 * The failing checks' titles, lowest level first: an entity passes every
 * check up to its level, so what blocks its next level leads. Checks no
 * longer loaded go last, by id.
 */
function failingTitles(
  failing: string[],
  checks: Map<string, ScorecardCheck>,
): string[] {
  const rank = (id: string) => {
    const check = checks.get(id);
    return check ? levelRank(check.level) : Number.MAX_SAFE_INTEGER;
  };
  // Stable: the check files' order within a level.
  return [...failing]
    .sort((a, b) => rank(a) - rank(b))
    .map(id => checks.get(id)?.title ?? id);
}

/** The overview's rows; sorting and paging are asked of the server. */
export function OverviewTable(props: {
  items: OverviewItem[];
  totalItems: number;
  paging: OverviewPaging;
  onPagingChange: (paging: OverviewPaging) => void;
  /** The loaded checks by id, for the failing checks column. */
  checks: Map<string, ScorecardCheck>;
}) {
  const { items, totalItems, paging, onPagingChange, checks } = props;

  const sortHeader = (sort: OverviewSort, label: string) => (
    <TableSortLabel
      active={paging.sort === sort}
      direction={paging.sort === sort ? paging.order : 'asc'}
      onClick={() =>
        onPagingChange({
          ...paging,
          sort,
          order:
            paging.sort === sort && paging.order === 'asc' ? 'desc' : 'asc',
          offset: 0,
        })
      }
    >
      {label}
    </TableSortLabel>
  );

  return (
    <>
      <ScorecardTable aria-label="Scorecards">
        <TableHead>
          <TableRow>
            <TableCell>{sortHeader('name', 'Entity')}</TableCell>
            <TableCell>Owner</TableCell>
            <TableCell>System</TableCell>
            <TableCell>{sortHeader('level', 'Level')}</TableCell>
            <TableCell align="right">Passed</TableCell>
            <TableCell align="right">
              {sortHeader('failed', 'Failed')}
            </TableCell>
            <TableCell align="right">Waived</TableCell>
            {/* Titles wrap between words in a column left room for them. */}
            <TableCell sx={{ minWidth: 200 }}>Failing checks</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.length === 0 && (
            <TableRow>
              <TableCell colSpan={8}>No evaluated entity matches.</TableCell>
            </TableRow>
          )}
          {items.map(item => {
            const failing = failingTitles(item.failingChecks, checks);
            return (
              <TableRow key={item.entityRef}>
                <EntityCells item={item} />
                <TableCell>
                  {item.system && (
                    <EntityRefLink
                      entityRef={item.system}
                      defaultKind="system"
                    />
                  )}
                </TableCell>
                <TableCell>
                  <LevelBadge level={item.level} />
                </TableCell>
                <TableCell align="right">{item.passed}</TableCell>
                <TableCell align="right">{item.failed}</TableCell>
                <TableCell align="right">{item.waived}</TableCell>
                <TableCell>
                  {failing.slice(0, FAILING_SHOWN).join(', ')}
                  {failing.length > FAILING_SHOWN &&
                    ` and ${failing.length - FAILING_SHOWN} more`}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </ScorecardTable>
      <TablePagination
        component="div"
        count={totalItems}
        page={Math.floor(paging.offset / paging.limit)}
        rowsPerPage={paging.limit}
        rowsPerPageOptions={PAGE_SIZES}
        onPageChange={(_event, page) =>
          onPagingChange({ ...paging, offset: page * paging.limit })
        }
        onRowsPerPageChange={event =>
          onPagingChange({
            ...paging,
            limit: Number(event.target.value),
            offset: 0,
          })
        }
      />
    </>
  );
}
