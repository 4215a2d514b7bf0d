import { screen, within } from '@testing-library/react';
import { ScorecardApi } from '../../api/ScorecardClient';
import { renderInScorecardApp } from '../../__testUtils__/renderInScorecardApp';
import {
  overviewItem,
  scorecardApiMock,
} from '../../__testUtils__/scorecardApiMock';
import { catalogEntity } from '../../__testUtils__/catalogEntity';
import { GroupScorecardCard } from './GroupScorecardCard';

const group = catalogEntity('Group', 'payments', {
  spec: { type: 'team', children: ['payments-ledger'] },
});

function renderCard(api: ScorecardApi) {
  return renderInScorecardApp(<GroupScorecardCard />, { api, entity: group });
}

describe('GroupScorecardCard', () => {
  it("lists the team's and its sub-teams' entities, lowest level first, with counts per level", async () => {
    const api = scorecardApiMock({
      getGroupRollup: jest.fn(async () => ({
        groupRef: 'group:default/payments',
        groups: ['group:default/payments', 'group:default/payments-ledger'],
        entities: 3,
        levels: { none: 1, bronze: 0, silver: 1, gold: 1 },
        items: [
          overviewItem('component:default/payments-api', {
            level: 'gold',
            owner: 'group:default/payments',
            failed: 0,
          }),
          overviewItem('component:default/ledger-worker', {
            title: 'Ledger worker',
            level: 'none',
            owner: 'group:default/payments-ledger',
            failed: 4,
          }),
          overviewItem('component:default/payments-web', {
            level: 'silver',
            owner: 'group:default/payments',
            failed: 1,
          }),
        ],
      })),
    });
    renderCard(api);

    const table = await screen.findByRole('table', {
      name: "Levels of the team's entities",
    });
    expect(api.getGroupRollup).toHaveBeenCalledWith('group:default/payments');
    expect(
      screen.getByText('3 entities, including 1 sub-team'),
    ).toBeInTheDocument();
    expect(screen.getByRole('img')).toHaveAccessibleName(
      'Entities per level: Gold 1, Silver 1, Bronze 0, No level 1',
    );

    const [, ...rows] = within(table).getAllByRole('row');
    expect(
      rows.map(row => within(row).getAllByRole('cell')[0].textContent),
    ).toEqual(['Ledger worker', 'payments-web', 'payments-api']);
    const ledger = within(rows[0]);
    expect(ledger.getByRole('link', { name: 'Ledger worker' })).toHaveAttribute(
      'href',
      '/catalog/default/component/ledger-worker/scorecard',
    );
    expect(ledger.getByText('payments-ledger')).toBeInTheDocument();
    expect(ledger.getByLabelText('Level: No level')).toBeInTheDocument();
    expect(ledger.getByText('4')).toBeInTheDocument();
  });

  it('says when nothing the team owns was evaluated', async () => {
    renderCard(
      scorecardApiMock({
        getGroupRollup: jest.fn(async () => ({
          groupRef: 'group:default/payments',
          groups: ['group:default/payments'],
          entities: 0,
          levels: { none: 0, bronze: 0, silver: 0, gold: 0 },
          items: [],
        })),
      }),
    );

    expect(
      await screen.findByText(/Nothing this team or its sub-teams own/),
    ).toBeVisible();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows why the rollup could not be read', async () => {
    renderCard(
      scorecardApiMock({
        getGroupRollup: jest.fn(async () => {
          throw new Error('Group group:default/payments not found');
        }),
      }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Could not load the team's scorecards: Group group:default/payments not found",
    );
  });
});
