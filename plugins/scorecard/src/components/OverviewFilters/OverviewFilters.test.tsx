import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { ScorecardCheck } from '../../api/ScorecardClient';
import { catalogEntity } from '../../__testUtils__/catalogEntity';
import { OverviewFilters, OverviewFilterValues } from './OverviewFilters';

const checks: ScorecardCheck[] = [
  { id: 'slo', title: 'Has an SLO', description: 'd', level: 'gold' },
  {
    id: 'replicas',
    title: 'At least two replicas',
    description: 'd',
    level: 'silver',
  },
  { id: 'owner', title: 'Owned by a team', description: 'd', level: 'bronze' },
  {
    id: 'pdb',
    title: 'Has a disruption budget',
    description: 'd',
    level: 'silver',
  },
];

function renderFilters(value: OverviewFilterValues) {
  const onChange = jest.fn();
  renderInTestApp(
    <OverviewFilters value={value} onChange={onChange} checks={checks} />,
    {
      apis: [
        catalogApiMock({
          entities: [
            catalogEntity('Group', 'payments', { title: 'Payments team' }),
            catalogEntity('Group', 'cards', {
              spec: { profile: { displayName: 'Cards Squad' } },
            }),
            catalogEntity('Group', 'platform'),
            catalogEntity('System', 'billing'),
            catalogEntity('Component', 'ledger-worker'),
          ],
        }),
      ],
    },
  );
  return onChange;
}

describe('OverviewFilters', () => {
  it('offers the catalog’s groups as owners and its systems, by the names entity links show', async () => {
    renderFilters({});

    await userEvent.click(screen.getByRole('combobox', { name: 'Owner' }));
    const owners = (await screen.findAllByRole('option')).map(
      o => o.textContent,
    );
    // A group's display name first, as the table's owner links show it.
    expect(owners).toEqual(['Cards Squad', 'Payments team', 'platform']);
    await userEvent.keyboard('{Escape}');

    await userEvent.click(screen.getByRole('combobox', { name: 'System' }));
    expect(
      (await screen.findAllByRole('option')).map(o => o.textContent),
    ).toEqual(['billing']);
  });

  it('drops a filter when it is cleared, keeping the others', async () => {
    const onChange = renderFilters({
      owner: 'group:default/payments',
      level: 'gold',
    });

    expect(
      await screen.findByDisplayValue('Payments team'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('combobox', { name: 'Level' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Any' }));

    expect(onChange).toHaveBeenLastCalledWith({
      owner: 'group:default/payments',
      level: undefined,
    });
  });

  it('offers the failing checks grouped by level, lowest first', async () => {
    renderFilters({});

    await userEvent.click(
      screen.getByRole('combobox', { name: 'Failing check' }),
    );
    expect(await screen.findByRole('listbox')).toHaveTextContent(
      'Bronze' +
        'Owned by a team' +
        'Silver' +
        'At least two replicas' +
        'Has a disruption budget' +
        'Gold' +
        'Has an SLO',
    );
  });

  it('offers entities below a level, and an exact level instead', async () => {
    const onChange = renderFilters({ level: 'gold' });

    await userEvent.click(screen.getByRole('combobox', { name: 'Level' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Below silver' }),
    );
    expect(onChange).toHaveBeenLastCalledWith({
      level: undefined,
      below: 'silver',
    });
  });

  it('shows a view’s "below" level and clears it for an exact one', async () => {
    const onChange = renderFilters({ below: 'gold' });

    const level = screen.getByRole('combobox', { name: 'Level' });
    expect(level).toHaveTextContent('Below gold');
    await userEvent.click(level);
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByRole('option', {
        name: 'Bronze',
      }),
    );
    expect(onChange).toHaveBeenLastCalledWith({
      level: 'bronze',
      below: undefined,
    });
  });
});
