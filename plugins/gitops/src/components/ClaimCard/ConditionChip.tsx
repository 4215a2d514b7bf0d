import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { ClaimConditionView } from '@causeway/plugin-gitops-common';

const COLORS = {
  True: 'success',
  False: 'error',
  Unknown: 'default',
} as const;

/**
 * A claim's Ready or Synced condition as a chip, with the cluster's reason
 * and message beneath when it is not True: that is what says what to fix.
 */
export function ConditionChip(props: {
  type: 'Ready' | 'Synced';
  condition?: ClaimConditionView;
}) {
  const { type, condition } = props;
  // Not reported yet: Crossplane has not reconciled the claim.
  const status = condition?.status ?? 'Unknown';
  const why = [condition?.reason, condition?.message]
    .filter(Boolean)
    .join(': ');
  return (
    <Box>
      <Chip
        size="small"
        label={status}
        color={COLORS[status]}
        aria-label={`${type}: ${status}`}
      />
      {status !== 'True' && why && (
        <Typography
          variant="body2"
          color={status === 'False' ? 'error' : 'text.secondary'}
        >
          {why}
        </Typography>
      )}
    </Box>
  );
}
