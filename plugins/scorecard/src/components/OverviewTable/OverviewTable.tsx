import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { OverviewItem } from '@causeway/plugin-scorecard-common';
import { OverviewSort } from '../../api/ScorecardClient';
import { EntityCells } from '../EntityCells/EntityCells';
import { LevelBadge } from '../LevelBadge/LevelBadge';
import { ScorecardTable } from '../ScorecardTable/ScorecardTable';

export type OverviewPaging = {
  sort: OverviewSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
};

const FAILING_SHOWN = 3;

/** The overview's rows; sorting and paging are asked of the server. */
export function OverviewTable(props: {
  items: OverviewItem[];
  totalItems: number;
  paging: OverviewPaging;
  onPagingChange: (paging: OverviewPaging) => void;
  /** Check titles by id, for the failing checks column. */
  checkTitles: Map<string, string>;
}) {
  const { items, totalItems, paging, onPagingChange, checkTitles } = props;

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
            const failing = item.failingChecks.map(
              id => checkTitles.get(id) ?? id,
            );
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
        rowsPerPageOptions={[10, 25, 50, 100]}
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
