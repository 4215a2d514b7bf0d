import { ReactNode, useEffect, useState } from 'react';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { RiArrowDownSLine } from '@remixicon/react';
import {
  CheckResult,
  CheckStatus,
  EntityLevel,
} from '@causeway/plugin-scorecard-common';
import { levelLabel } from '../../levels';
import { CheckResultItem } from './CheckResultItem';
import { checksAnchor, groupChecks, nextLevel } from './checkGroups';

type Collapsible = Exclude<CheckStatus, 'fail'>;

/** A request to show the checks of a status, e.g. from a summary count. */
export type ShownChecks = {
  status: CheckStatus;
  /** Differs per request, so asking twice scrolls twice. */
  key: string;
};

function CheckList(props: {
  results: CheckResult[];
  actionsFor?: (result: CheckResult) => ReactNode;
}) {
  return (
    <Box component="ul" sx={{ p: 0, m: 0 }}>
      {props.results.map(result => (
        <CheckResultItem
          key={result.checkId}
          result={result}
          actions={props.actionsFor?.(result)}
        />
      ))}
    </Box>
  );
}

const count = (n: number) => (n === 1 ? 'this check' : `these ${n} checks`);

/** The failing checks, those that block the next level first. */
function FailingChecks(props: {
  level: EntityLevel;
  results: CheckResult[];
  actionsFor?: (result: CheckResult) => ReactNode;
}) {
  const { level, results, actionsFor } = props;
  const [first, ...later] = groupChecks(results).failing;
  const next = nextLevel(level);
  let lead: string;
  if (first) {
    lead = `To reach ${levelLabel(first.level)}: ${count(
      first.results.length,
    )}`;
  } else if (next) {
    lead = 'No check fails.';
  } else {
    lead = `${levelLabel(
      level,
    )} is the top level: every check passes or is waived.`;
  }
  return (
    <Box component="section" id={checksAnchor('fail')} aria-label="Failing">
      <Typography variant="h6" component="h3">
        {lead}
      </Typography>
      {first && <CheckList results={first.results} actionsFor={actionsFor} />}
      {later.map(group => (
        <Box key={group.level} mt={2}>
          <Typography variant="subtitle1" component="h3" fontWeight={600}>
            Then, for {levelLabel(group.level)}:{' '}
            {group.results.length === 1
              ? '1 more check'
              : `${group.results.length} more checks`}
          </Typography>
          <CheckList results={group.results} actionsFor={actionsFor} />
        </Box>
      ))}
    </Box>
  );
}

const COLLAPSIBLE_TITLES: Record<Collapsible, string> = {
  waived: 'Waived',
  pass: 'Passed',
  'not-applicable': 'Not applicable',
};

/**
 * An entity's check results as a to-do list: the failing checks that
 * block the next level first, with their fixes, then those of the levels
 * above; waived checks next; passing and not-applicable ones collapsed
 * behind their counts.
 */
export function CheckResults(props: {
  /** The entity's level, which decides which failing checks lead. */
  level: EntityLevel;
  results: CheckResult[];
  /** The Waive or Revoke button beside a result, when the user may. */
  actionsFor?: (result: CheckResult) => ReactNode;
  /** Opens and scrolls to the checks of a status. */
  shown?: ShownChecks;
}) {
  const { level, results, actionsFor, shown } = props;
  const groups = groupChecks(results);
  const [open, setOpen] = useState<Record<Collapsible, boolean>>({
    // Waivers are few and expire, so they stay in sight.
    waived: true,
    pass: false,
    'not-applicable': false,
  });

  useEffect(() => {
    if (!shown) return;
    const { status } = shown;
    if (status !== 'fail') setOpen(o => ({ ...o, [status]: true }));
    // jsdom has no scrollIntoView.
    document.getElementById(checksAnchor(status))?.scrollIntoView?.({
      behavior: 'smooth',
      block: 'start',
    });
  }, [shown]);

  const collapsible: [Collapsible, CheckResult[]][] = [
    ['waived', groups.waived],
    ['pass', groups.passed],
    ['not-applicable', groups.notApplicable],
  ];
  return (
    <>
      <FailingChecks level={level} results={results} actionsFor={actionsFor} />
      <Box mt={3}>
        {collapsible
          .filter(([, inGroup]) => inGroup.length > 0)
          .map(([status, inGroup]) => (
            <Accordion
              key={status}
              id={checksAnchor(status)}
              expanded={open[status]}
              onChange={(_, expanded) =>
                setOpen(o => ({ ...o, [status]: expanded }))
              }
              disableGutters
              elevation={0}
              sx={{ '&::before': { display: 'none' } }}
            >
              <AccordionSummary
                expandIcon={<RiArrowDownSLine aria-hidden />}
                id={`${checksAnchor(status)}-summary`}
                aria-controls={`${checksAnchor(status)}-list`}
                sx={{ px: 0 }}
              >
                {/* A heading inside a button would lose its role. */}
                <Typography variant="h6" component="span">
                  {COLLAPSIBLE_TITLES[status]} ({inGroup.length})
                </Typography>
              </AccordionSummary>
              <AccordionDetails sx={{ px: 0 }}>
                <CheckList results={inGroup} actionsFor={actionsFor} />
              </AccordionDetails>
            </Accordion>
          ))}
      </Box>
    </>
  );
}
