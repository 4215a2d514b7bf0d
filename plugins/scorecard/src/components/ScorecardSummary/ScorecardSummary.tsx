import { Fragment } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import {
  CheckStatus,
  EntityScorecard,
} from '@causeway/plugin-scorecard-common';
import { LevelBadge } from '../LevelBadge/LevelBadge';

/** "gitops 1a2b3c4 / source 5d6e7f8": the commits graded, short. */
function gradedAt(graded: EntityScorecard['graded'] | undefined) {
  return Object.entries(graded ?? {})
    .map(([input, { commit }]) => `${input} ${commit.slice(0, 7)}`)
    .join(' / ');
}

/** Each count's status and the words after its number. */
const COUNTS: [CheckStatus, string][] = [
  ['pass', 'passed'],
  ['fail', 'failed'],
  ['waived', 'waived'],
  ['not-applicable', 'not applicable'],
];

function counts(scorecard: EntityScorecard): Record<CheckStatus, number> {
  return {
    pass: scorecard.passed,
    fail: scorecard.failed,
    waived: scorecard.waived,
    'not-applicable': scorecard.results.filter(
      r => r.status === 'not-applicable',
    ).length,
  };
}

/**
 * The level badge, the pass/fail/waive counts (each a link to its checks
 * when `checksLink` is given), when it was evaluated and the commits
 * (GitOps repository, source repository) it was graded at.
 */
export function ScorecardSummary(props: {
  scorecard: EntityScorecard;
  /** Where the checks of a status are shown. */
  checksLink?: (status: CheckStatus) => string;
}) {
  const { scorecard, checksLink } = props;
  const { level, evaluatedAt, graded } = scorecard;
  const commits = gradedAt(graded);
  const byStatus = counts(scorecard);
  const shownCounts = COUNTS.filter(
    // "0 not applicable" says nothing.
    ([status]) => status !== 'not-applicable' || byStatus[status] > 0,
  );
  return (
    <Box
      sx={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 2 }}
    >
      <LevelBadge level={level} size="medium" />
      <Typography variant="body2">
        {shownCounts.map(([status, words], index) => {
          const text = `${byStatus[status]} ${words}`;
          return (
            <Fragment key={status}>
              {index > 0 && ' · '}
              {checksLink && byStatus[status] > 0 ? (
                <Link component={RouterLink} to={checksLink(status)}>
                  {text}
                </Link>
              ) : (
                text
              )}
            </Fragment>
          );
        })}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        Evaluated {new Date(evaluatedAt).toLocaleString()}
      </Typography>
      {commits && (
        <Typography
          variant="caption"
          color="text.secondary"
          sx={{ overflowWrap: 'anywhere' }}
        >
          Graded at {commits}
        </Typography>
      )}
    </Box>
  );
}
