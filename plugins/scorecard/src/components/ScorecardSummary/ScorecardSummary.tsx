import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { EntityScorecard } from '@causeway/plugin-scorecard-common';
import { LevelBadge } from '../LevelBadge/LevelBadge';

/** "gitops 1a2b3c4 / source 5d6e7f8": the commits graded, short. */
function gradedAt(graded: EntityScorecard['graded'] | undefined) {
  return Object.entries(graded ?? {})
    .map(([input, { commit }]) => `${input} ${commit.slice(0, 7)}`)
    .join(' / ');
}

/**
 * The level badge, the pass/fail/waive counts, when it was evaluated and
 * the commits (GitOps repository, source repository) it was graded at.
 */
export function ScorecardSummary(props: { scorecard: EntityScorecard }) {
  const { level, passed, failed, waived, evaluatedAt, graded } =
    props.scorecard;
  const commits = gradedAt(graded);
  return (
    <Box
      sx={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 2 }}
    >
      <LevelBadge level={level} size="medium" />
      <Typography variant="body2">
        {passed} passed · {failed} failed · {waived} waived
      </Typography>
      <Typography variant="caption" color="text.secondary">
        Evaluated {new Date(evaluatedAt).toLocaleString()}
      </Typography>
      {commits && (
        <Typography variant="caption" color="text.secondary">
          Graded at {commits}
        </Typography>
      )}
    </Box>
  );
}
