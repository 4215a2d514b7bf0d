import { screen } from '@testing-library/react';
import { renderInScorecardApp } from '../../__testUtils__/renderInScorecardApp';
import { CheckProblems } from './CheckProblems';

const problems = [
  {
    file: 'scorecards/availability.yaml',
    line: 13,
    message:
      'check typo: rule.fact: unknown fact "gitops.replica" (did you mean "gitops.replicas"?)',
  },
  { file: 'scorecards/x.yaml', line: 1, message: 'not valid YAML: bad' },
];

describe('CheckProblems', () => {
  it('lists each problem with file, line and reason', async () => {
    renderInScorecardApp(<CheckProblems problems={problems} />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      '2 problems in the check files: the checks concerned are not evaluated',
    );
    expect(alert).toHaveTextContent(
      'scorecards/availability.yaml:13 check typo: rule.fact: unknown fact "gitops.replica" (did you mean "gitops.replicas"?)',
    );
    expect(alert).toHaveTextContent('scorecards/x.yaml:1 not valid YAML: bad');
  });

  it('shows nothing when the check files are fine', async () => {
    renderInScorecardApp(
      <>
        <CheckProblems problems={[]} />
        <p>Rest of the page</p>
      </>,
    );

    expect(await screen.findByText('Rest of the page')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
