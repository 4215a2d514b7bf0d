import useAsync from 'react-use/esm/useAsync';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { GroupRollup, levelRank } from '@causeway/plugin-scorecard-common';
import { scorecardApiRef } from '../../api/ScorecardClient';
import { EntityCells } from '../EntityCells/EntityCells';
import { LevelBadge } from '../LevelBadge/LevelBadge';
import { LoadProgress } from '../LoadProgress/LoadProgress';
import { ScorecardTable } from '../ScorecardTable/ScorecardTable';
import { LevelDistribution } from '../LevelDistribution/LevelDistribution';

function RollupBody(props: { rollup: GroupRollup }) {
  const { rollup } = props;
  if (rollup.entities === 0) {
    return (
      <Typography variant="body2">
        Nothing this team or its sub-teams own has been evaluated yet.
      </Typography>
    );
  }
  // Lowest level first: what needs attention.
  const items = [...rollup.items].sort(
    (a, b) =>
      levelRank(a.level) - levelRank(b.level) ||
      a.entityRef.localeCompare(b.entityRef),
  );
  const subGroups = rollup.groups.length - 1;
  return (
    <>
      <Typography variant="body2" gutterBottom>
        {rollup.entities} {rollup.entities === 1 ? 'entity' : 'entities'}
        {subGroups > 0 &&
          `, including ${subGroups} sub-team${subGroups === 1 ? '' : 's'}`}
      </Typography>
      <LevelDistribution levels={rollup.levels} />
      <ScorecardTable aria-label="Levels of the team's entities">
        <TableHead>
          <TableRow>
            <TableCell>Entity</TableCell>
            <TableCell>Owner</TableCell>
            <TableCell>Level</TableCell>
            <TableCell align="right">Failed</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(item => (
            <TableRow key={item.entityRef}>
              <EntityCells item={item} />
              <TableCell>
                <LevelBadge level={item.level} />
              </TableCell>
              <TableCell align="right">{item.failed}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </ScorecardTable>
    </>
  );
}

/** A group page card: the levels of what the team and its sub-teams own. */
export function GroupScorecardCard() {
  const { entity } = useEntity();
  const api = useApi(scorecardApiRef);
  const groupRef = stringifyEntityRef(entity);
  const rollup = useAsync(() => api.getGroupRollup(groupRef), [api, groupRef]);

  return (
    <InfoCard title="Scorecards">
      <LoadProgress
        what="the team's scorecards"
        loading={rollup.loading}
        error={rollup.error}
      />
      {rollup.value && <RollupBody rollup={rollup.value} />}
    </InfoCard>
  );
}
