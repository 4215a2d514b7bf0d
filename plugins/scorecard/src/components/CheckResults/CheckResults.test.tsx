import { render, screen, within } from '@testing-library/react';
import { checkResult } from '../../__testUtils__/scorecardApiMock';
import { CheckResults } from './CheckResults';

describe('CheckResults', () => {
  it('shows each level that has checks, bronze first, with the values each check saw', () => {
    render(
      <CheckResults
        results={[
          checkResult('tagged', {
            title: 'Tagged',
            level: 'gold',
            status: 'fail',
            values: { 'catalog.tags': ['pci', 'sox'], 'gitops.tier': null },
            fix: { text: 'Add a tier tag.' },
          }),
          checkResult('owned', { title: 'Owned', level: 'bronze' }),
        ]}
        actionsFor={result => <button>Act on {result.title}</button>}
      />,
    );

    const headings = screen
      .getAllByRole('heading', { level: 3 })
      .map(heading => heading.textContent);
    expect(headings).toEqual(['Bronze', 'Gold']);

    const tagged = within(screen.getByRole('listitem', { name: 'Tagged' }));
    expect(tagged.getByText('catalog.tags = [pci, sox]')).toBeInTheDocument();
    expect(tagged.getByText('gitops.tier = unknown')).toBeInTheDocument();
    expect(tagged.getByText(/Add a tier tag\./)).toBeInTheDocument();
    // No link was given, so none is offered.
    expect(tagged.queryByRole('link')).toBeNull();
    expect(
      tagged.getByRole('button', { name: 'Act on Tagged' }),
    ).toBeInTheDocument();
  });
});
