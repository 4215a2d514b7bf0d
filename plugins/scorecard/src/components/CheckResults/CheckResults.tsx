import { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { CheckResult, LEVELS } from '@causeway/plugin-scorecard-common';
import { levelLabel } from '../../levels';
import { CheckResultItem } from './CheckResultItem';

/** An entity's check results, one section per level, bronze first. */
export function CheckResults(props: {
  results: CheckResult[];
  /** The Waive or Revoke button beside a result, when the user may. */
  actionsFor?: (result: CheckResult) => ReactNode;
}) {
  const { results, actionsFor } = props;
  return (
    <>
      {LEVELS.map(level => {
        const inLevel = results.filter(r => r.level === level);
        if (inLevel.length === 0) return null;
        const counting = inLevel.filter(r => r.status !== 'not-applicable');
        const passing = counting.filter(r => r.status !== 'fail');
        const headingId = `scorecard-level-${level}`;
        return (
          <Box
            component="section"
            aria-labelledby={headingId}
            key={level}
            mb={3}
          >
            <Typography id={headingId} variant="h6" component="h3">
              {levelLabel(level)}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {passing.length} of {counting.length} passing
            </Typography>
            <Box component="ul" sx={{ p: 0, m: 0 }}>
              {inLevel.map(result => (
                <CheckResultItem
                  key={result.checkId}
                  result={result}
                  actions={actionsFor?.(result)}
                />
              ))}
            </Box>
          </Box>
        );
      })}
    </>
  );
}
