import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import { DriftSummary } from '@causeway/plugin-gitops-common';
import { DRIFT_STATUSES } from './driftStatus';

/** "3 in sync · 1 different · 1 missing in cluster · 0 not in git" as chips. */
export function DriftSummaryChips(props: { summary: DriftSummary }) {
  const { summary } = props;
  const counts = DRIFT_STATUSES.map(s => ({ ...s, count: summary[s.status] }));
  return (
    <Stack
      direction="row"
      spacing={1}
      useFlexGap
      flexWrap="wrap"
      aria-label={counts.map(c => `${c.count} ${c.counted}`).join(' · ')}
    >
      {counts.map(c => (
        <Chip
          key={c.status}
          size="small"
          label={`${c.count} ${c.counted}`}
          // A zero is not worth colouring.
          color={c.count > 0 ? c.color : 'default'}
          variant={c.count > 0 ? c.variant : 'outlined'}
        />
      ))}
    </Stack>
  );
}
