import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { EntityScorecard } from '@causeway/plugin-scorecard-common';
import { LevelBadge } from '../LevelBadge/LevelBadge';

/** The level badge, the pass/fail/waive counts and when it was evaluated. */
export function ScorecardSummary(props: { scorecard: EntityScorecard }) {
  const { level, passed, failed, waived, evaluatedAt } = props.scorecard;
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
    </Box>
  );
}
