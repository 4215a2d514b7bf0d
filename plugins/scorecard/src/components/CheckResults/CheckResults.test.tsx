import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderedContrast, renderInMode } from '../../__testUtils__/contrast';
import { checkResult } from '../../__testUtils__/scorecardApiMock';
import { CheckResults } from './CheckResults';

const passingAndNotApplicable = [
  checkResult('owned', { title: 'Owned' }),
  checkResult('slo', { title: 'Has an SLO', status: 'not-applicable' }),
];

describe('CheckResults', () => {
  it('leads with the failing checks that block the next level, with their values and fixes, then those of the levels above', () => {
    render(
      <CheckResults
        level="bronze"
        results={[
          checkResult('tagged', {
            title: 'Tagged',
            level: 'gold',
            status: 'fail',
            values: { 'catalog.tags': ['pci', 'sox'], 'gitops.tier': null },
            fix: { text: 'Add a tier tag.' },
          }),
          checkResult('owned', { title: 'Owned', level: 'bronze' }),
          checkResult('replicas', {
            title: 'Two replicas',
            level: 'silver',
            status: 'fail',
          }),
          checkResult('pdb', {
            title: 'Has a PDB',
            level: 'silver',
            status: 'fail',
          }),
          checkResult('slo', { level: 'gold', status: 'not-applicable' }),
        ]}
        actionsFor={result => <button>Act on {result.title}</button>}
      />,
    );

    const headings = screen
      .getAllByRole('heading', { level: 3 })
      .map(heading => heading.textContent);
    expect(headings).toEqual([
      'To reach Silver: these 2 checks',
      'Then, for Gold: 1 more check',
    ]);
    const toggles = screen
      .getAllByRole('button', { expanded: false })
      .map(button => button.textContent);
    expect(toggles).toEqual(['Passed (1)', 'Not applicable (1)']);
    const failing = within(screen.getByRole('region', { name: 'Failing' }))
      .getAllByRole('listitem')
      .filter(li => li.getAttribute('aria-labelledby'))
      .map(li => li.getAttribute('aria-labelledby'));
    expect(failing).toEqual(['check-replicas', 'check-pdb', 'check-tagged']);

    const tagged = within(screen.getByRole('listitem', { name: 'Tagged' }));
    expect(tagged.getByText('catalog.tags = [pci, sox]')).toBeInTheDocument();
    expect(tagged.getByText('gitops.tier = unknown')).toBeInTheDocument();
    expect(tagged.getByText(/Add a tier tag\./)).toBeVisible();
    // No link was given, so none is offered.
    expect(tagged.queryByRole('link')).toBeNull();
    expect(
      tagged.getByRole('button', { name: 'Act on Tagged' }),
    ).toBeInTheDocument();
  });

  it('says "this check" for one, and when the entity is at the top level', () => {
    const { rerender } = render(
      <CheckResults
        level="none"
        results={[checkResult('owned', { status: 'fail' })]}
      />,
    );
    expect(
      screen.getByRole('heading', { name: 'To reach Bronze: this check' }),
    ).toBeInTheDocument();

    rerender(
      <CheckResults
        level="gold"
        results={[checkResult('owned'), checkResult('docs', { level: 'gold' })]}
      />,
    );
    expect(
      screen.getByRole('heading', {
        name: 'Gold is the top level: every check passes or is waived.',
      }),
    ).toBeInTheDocument();
  });

  it('keeps passing and not-applicable checks collapsed behind their counts until opened', async () => {
    render(
      <CheckResults
        level="silver"
        results={[
          ...passingAndNotApplicable,
          checkResult('pdb', { title: 'Has a PDB', status: 'waived' }),
        ]}
      />,
    );

    // Waivers stay in sight; the rest wait behind their counts.
    expect(screen.getByRole('listitem', { name: 'Has a PDB' })).toBeVisible();
    expect(screen.queryByRole('listitem', { name: 'Owned' })).toBeNull();
    expect(screen.queryByRole('listitem', { name: 'Has an SLO' })).toBeNull();
    const passed = screen.getByRole('button', { name: 'Passed (1)' });
    expect(passed).toHaveAttribute('aria-expanded', 'false');

    await userEvent.click(passed);

    expect(passed).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('listitem', { name: 'Owned' })).toBeVisible();
    expect(screen.queryByRole('listitem', { name: 'Has an SLO' })).toBeNull();
  });

  it('opens and scrolls to the checks of a status when asked', () => {
    // jsdom does not scroll; record what would be.
    const scrolled: string[] = [];
    Element.prototype.scrollIntoView = function record(this: Element) {
      scrolled.push(this.id);
    };
    render(
      <CheckResults
        level="silver"
        results={passingAndNotApplicable}
        shown={{ status: 'not-applicable', key: 'one' }}
      />,
    );

    expect(screen.getByRole('listitem', { name: 'Has an SLO' })).toBeVisible();
    expect(screen.queryByRole('listitem', { name: 'Owned' })).toBeNull();
    expect(scrolled).toEqual(['checks-not-applicable']);
    delete (Element.prototype as Partial<Element>).scrollIntoView;
  });

  it('links to a fix only at an http(s) URL or a path in the portal', () => {
    render(
      <CheckResults
        level="none"
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
          level="none"
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
