import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { catalogEntity } from '../../__testUtils__/catalogEntity';
import { OverviewFilters, OverviewFilterValues } from './OverviewFilters';

function renderFilters(value: OverviewFilterValues) {
  const onChange = jest.fn();
  renderInTestApp(
    <OverviewFilters value={value} onChange={onChange} checks={[]} />,
    {
      apis: [
        catalogApiMock({
          entities: [
            catalogEntity('Group', 'payments', { title: 'Payments team' }),
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
  it('offers the catalog’s groups as owners and its systems, by title', async () => {
    renderFilters({});

    await userEvent.click(screen.getByRole('combobox', { name: 'Owner' }));
    const owners = (await screen.findAllByRole('option')).map(
      o => o.textContent,
    );
    expect(owners).toEqual(['Payments team', 'platform']);
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
});
