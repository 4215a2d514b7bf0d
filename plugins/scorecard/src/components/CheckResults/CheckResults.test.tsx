import { render, screen, within } from '@testing-library/react';
import { renderedContrast, renderInMode } from '../../__testUtils__/contrast';
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

  it('links to a fix only at an http(s) URL or a path in the portal', () => {
    render(
      <CheckResults
        results={[
          checkResult('docs', {
            title: 'Documented',
            status: 'fail',
            fix: { text: 'Add docs.', link: 'https://docs.example.com/docs' },
          }),
          checkResult('golden', {
            title: 'From a golden path',
            status: 'fail',
            fix: { text: 'Start over.', link: '/create' },
          }),
          checkResult('scripted', {
            title: 'Scripted',
            status: 'fail',
            // eslint-disable-next-line no-script-url
            fix: { text: 'Click me.', link: 'javascript:alert(1)' },
          }),
        ]}
      />,
    );
    const link = (title: string) =>
      within(screen.getByRole('listitem', { name: title })).queryByRole('link');
    expect(link('Documented')).toHaveAttribute(
      'href',
      'https://docs.example.com/docs',
    );
    expect(link('From a golden path')).toHaveAttribute('href', '/create');
    expect(link('Scripted')).toBeNull();
    expect(screen.getByText(/Click me\./)).toBeInTheDocument();
  });

  it.each(['light', 'dark'] as const)(
    'labels every status with text at least 4.5:1 against its chip (WCAG AA) in the %s theme',
    mode => {
      const statuses = {
        pass: 'Passed',
        fail: 'Failed',
        waived: 'Waived',
        'not-applicable': 'Not applicable',
      } as const;
      renderInMode(
        mode,
        <CheckResults
          results={Object.keys(statuses).map(status =>
            checkResult(status, { status: status as keyof typeof statuses }),
          )}
        />,
      );
      const ratios = Object.values(statuses).map(label => {
        const chip = screen.getByText(label).closest('.MuiChip-root')!;
        return [label, renderedContrast(chip)] as const;
      });
      expect(ratios.filter(([, ratio]) => ratio < 4.5)).toEqual([]);
    },
  );
});
