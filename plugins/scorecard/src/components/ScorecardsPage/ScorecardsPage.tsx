import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import { Content, InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import { scorecardApiRef } from '../../api/ScorecardClient';
import { CheckProblems } from '../CheckProblems/CheckProblems';
import { GroupTrend } from '../GroupTrend/GroupTrend';
import { LoadProgress } from '../LoadProgress/LoadProgress';
import { LevelDistribution } from '../LevelDistribution/LevelDistribution';
import {
  OverviewFilters,
  OverviewFilterValues,
} from '../OverviewFilters/OverviewFilters';
import { OverviewPaging, OverviewTable } from '../OverviewTable/OverviewTable';
import { overviewParams, readOverviewParams } from './overviewSearchParams';

/**
 * The Scorecards page: the organisation's levels, filtered, sorted and paged
 * by the server, with the trend of the chosen owner or of everyone. The
 * view lives in the URL, so it can be shared and survives reload and back.
 */
export function ScorecardsPage() {
  const api = useApi(scorecardApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const { filters, paging } = useMemo(
    () => readOverviewParams(searchParams),
    [searchParams],
  );
  // Replaced, not pushed: back leaves the page rather than undoing a pick.
  const show = (
    nextFilters: OverviewFilterValues,
    nextPaging: OverviewPaging,
  ) =>
    setSearchParams(overviewParams(nextFilters, nextPaging), { replace: true });

  const checks = useAsync(() => api.getChecks(), [api]);
  const overview = useAsync(
    () => api.getOverview({ ...filters, ...paging }),
    [api, filters, paging],
  );
  const history = useAsync(
    () => api.getHistory({ groupRef: filters.owner, days: 90 }),
    [api, filters.owner],
  );
  const checksById = useMemo(
    () => new Map(checks.value?.checks.map(c => [c.id, c])),
    [checks.value],
  );

  return (
    <Content>
      <Stack spacing={3}>
        {checks.value && <CheckProblems problems={checks.value.problems} />}
        {checks.error && (
          <Alert severity="warning">
            Could not load the checks: {checks.error.message}
          </Alert>
        )}
        {/*
         * A CSS grid, not MUI's Grid: inside a Stack, Grid's negative
         * margins are reset while its width stays 100% + spacing, which
         * pushed the trend card past the right edge and indented the first
         * card from the table. minmax(0, ...) lets the charts shrink.
         */}
        <Box
          sx={{
            display: 'grid',
            gap: 3,
            gridTemplateColumns: {
              xs: 'minmax(0, 1fr)',
              md: 'minmax(0, 5fr) minmax(0, 7fr)',
            },
          }}
        >
          <InfoCard variant="gridItem" title="Levels of the matching entities">
            {overview.value && (
              <LevelDistribution levels={overview.value.levels} />
            )}
          </InfoCard>
          <InfoCard
            variant="gridItem"
            title={
              <>
                Last 90 days:{' '}
                {filters.owner ? (
                  <EntityDisplayName
                    entityRef={filters.owner}
                    defaultKind="group"
                    hideIcon
                    disableTooltip
                  />
                ) : (
                  'the whole organisation'
                )}
              </>
            }
          >
            {history.error ? (
              <Alert severity="warning">
                Could not load the history: {history.error.message}
              </Alert>
            ) : (
              history.value && <GroupTrend points={history.value} />
            )}
          </InfoCard>
        </Box>
        <InfoCard title="Entities">
          <OverviewFilters
            value={filters}
            onChange={next => show(next, { ...paging, offset: 0 })}
            checks={checks.value?.checks ?? []}
          />
          <Box sx={{ mt: 2 }}>
            <LoadProgress
              what="the scorecards"
              loading={overview.loading}
              error={overview.error}
            />
          </Box>
          {overview.value && (
            <OverviewTable
              items={overview.value.items}
              totalItems={overview.value.totalItems}
              paging={paging}
              onPagingChange={next => show(filters, next)}
              checks={checksById}
            />
          )}
        </InfoCard>
      </Stack>
    </Content>
  );
}
