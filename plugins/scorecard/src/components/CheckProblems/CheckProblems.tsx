import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import { CheckFileProblem } from '@causeway/plugin-scorecard-common';

/**
 * The check files' problems (file, line, reason), shown to everyone who
 * reads scorecards: a check with a problem is not evaluated until it is
 * fixed, which explains a check missing from the results.
 */
export function CheckProblems(props: { problems: CheckFileProblem[] }) {
  const { problems } = props;
  if (problems.length === 0) {
    return null;
  }
  return (
    <Alert severity="warning">
      <AlertTitle>
        {problems.length === 1
          ? '1 problem in the check files'
          : `${problems.length} problems in the check files`}
        : the checks concerned are not evaluated
      </AlertTitle>
      <Box component="ul" sx={{ m: 0, pl: 2 }}>
        {problems.map(problem => (
          <li key={`${problem.file}:${problem.line}:${problem.message}`}>
            <code>
              {problem.file}:{problem.line}
            </code>{' '}
            {problem.message}
          </li>
        ))}
      </Box>
    </Alert>
  );
}
