import { screen, within } from '@testing-library/react';
import { ScorecardApi } from '../../api/ScorecardClient';
import { renderInScorecardApp } from '../../__testUtils__/renderInScorecardApp';
import {
  checkResult,
  scorecard,
  scorecardApiMock,
} from '../../__testUtils__/scorecardApiMock';
import { catalogEntity } from '../../__testUtils__/catalogEntity';
import { EntityScorecardCard } from './EntityScorecardCard';

const entity = catalogEntity('Component', 'payments-api');

function renderCard(api: ScorecardApi) {
  return renderInScorecardApp(<EntityScorecardCard />, { api, entity: entity });
}

describe('EntityScorecardCard', () => {
  it('shows the level, the counts and the failing checks that block the next level first', async () => {
    const fail = (id: string, level: 'bronze' | 'silver' | 'gold') =>
      checkResult(id, {
        title: `Check ${id}`,
        level,
        status: 'fail',
        fix: { text: `Fix ${id}.` },
      });
    renderCard(
      scorecardApiMock({
        getEntityScorecard: jest.fn(async () =>
          scorecard({
            level: 'none',
            passed: 5,
            failed: 4,
            results: [
              fail('g1', 'gold'),
              fail('s1', 'silver'),
              checkResult('ok'),
              fail('b1', 'bronze'),
              fail('s2', 'silver'),
            ],
          }),
        ),
      }),
    );

    expect(await screen.findByLabelText('Level: No level')).toBeVisible();
    expect(screen.getByText('5 passed · 4 failed · 0 waived')).toBeVisible();
    const failing = within(
      screen.getByRole('list', { name: 'Top failing checks' }),
    )
      .getAllByRole('listitem')
      .map(li => li.textContent);
    expect(failing).toEqual([
      'Check b1Bronze · Fix b1.',
      'Check s1Silver · Fix s1.',
      'Check s2Silver · Fix s2.',
    ]);
    expect(
      screen.getByRole('link', { name: 'View the scorecard' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/scorecard',
    );
  });

  it('says when the entity was never evaluated', async () => {
    renderCard(scorecardApiMock());

    expect(await screen.findByText(/Not evaluated yet/)).toBeVisible();
    expect(screen.queryByRole('list')).toBeNull();
  });
});
