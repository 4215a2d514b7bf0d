import { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import {
  CheckResult,
  CheckStatus,
  isSafeLink,
} from '@causeway/plugin-scorecard-common';
import { useChipColors } from '../../chipColors';
import { levelLabel } from '../../levels';
import { formatFactValue } from './formatFactValue';

const STATUS_LABELS: Record<CheckStatus, string> = {
  pass: 'Passed',
  fail: 'Failed',
  waived: 'Waived',
  'not-applicable': 'Not applicable',
};

/**
 * One check's result: its status, the fact values behind it, how to fix it
 * when it fails, and its waiver when waived.
 */
export function CheckResultItem(props: {
  result: CheckResult;
  actions?: ReactNode;
}) {
  const { result, actions } = props;
  const statusColors = useChipColors().statuses[result.status];
  const values = Object.entries(result.values);
  const titleId = `check-${result.checkId}`;

  return (
    <Box
      component="li"
      aria-labelledby={titleId}
      sx={{ py: 1.5, borderTop: 1, borderColor: 'divider', listStyle: 'none' }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Chip
          size="small"
          label={STATUS_LABELS[result.status]}
          sx={{ bgcolor: statusColors.background, color: statusColors.text }}
        />
        <Typography
          id={titleId}
          variant="subtitle1"
          component="h4"
          sx={{ flexGrow: 1, overflowWrap: 'anywhere' }}
        >
          {result.title}
        </Typography>
        <Typography variant="caption" color="text.secondary">
          {levelLabel(result.level)}
        </Typography>
        {actions}
      </Box>
      <Typography variant="body2" color="text.secondary">
        {result.description}
      </Typography>
      {values.length > 0 && (
        <Box
          component="ul"
          aria-label="Values checked"
          sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, p: 0, my: 1 }}
        >
          {values.map(([fact, value]) => (
            <Box
              component="li"
              key={fact}
              sx={{
                listStyle: 'none',
                fontFamily: 'monospace',
                fontSize: 13,
                overflowWrap: 'anywhere',
              }}
            >
              {fact} = {formatFactValue(value)}
            </Box>
          ))}
        </Box>
      )}
      {result.status === 'fail' && (
        <Typography variant="body2">
          <strong>How to fix:</strong> {result.fix.text}
          {/* The backend refuses other links; an older one is not shown. */}
          {result.fix.link && isSafeLink(result.fix.link) && (
            <>
              {' '}
              <Link href={result.fix.link} target="_blank" rel="noopener">
                Read how
              </Link>
            </>
          )}
        </Typography>
      )}
      {result.waiver && (
        <Typography variant="body2">
          <strong>Waived</strong> by {result.waiver.createdBy} until{' '}
          {result.waiver.expiresOn}: {result.waiver.reason}
        </Typography>
      )}
    </Box>
  );
}
