import { act, screen, within } from '@testing-library/react';
import { ScorecardApi } from '../../api/ScorecardClient';
import { renderInScorecardApp } from '../../__testUtils__/renderInScorecardApp';
import {
  checkResult,
  scorecard,
  scorecardApiMock,
} from '../../__testUtils__/scorecardApiMock';
import { catalogEntity } from '../../__testUtils__/catalogEntity';
import { EntityScorecardCard } from './EntityScorecardCard';
import { FIRST_EVALUATION_POLL_MS } from './useFirstEvaluationPoll';

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
    // Each count opens its checks on the Scorecard tab; nothing to open at 0.
    expect(screen.getByRole('link', { name: '5 passed' })).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/scorecard#checks-pass',
    );
    expect(screen.getByRole('link', { name: '4 failed' })).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/scorecard#checks-fail',
    );
    expect(screen.getByText(/0 waived/)).toBeVisible();
    expect(screen.queryByRole('link', { name: '0 waived' })).toBeNull();
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

  describe('before the first evaluation', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('shows the first evaluation when it lands, without a reload, then stops asking', async () => {
      const api = scorecardApiMock({
        getEntityScorecard: jest
          .fn()
          .mockResolvedValueOnce(undefined)
          .mockResolvedValueOnce(undefined)
          .mockResolvedValue(scorecard({ level: 'silver' })),
      });
      renderCard(api);
      expect(await screen.findByText(/Not evaluated yet/)).toBeVisible();

      // Still nothing: it keeps saying so, without a loading bar.
      await act(() => jest.advanceTimersByTimeAsync(FIRST_EVALUATION_POLL_MS));
      expect(screen.getByText(/Not evaluated yet/)).toBeVisible();
      expect(screen.queryByRole('progressbar')).toBeNull();

      await act(() => jest.advanceTimersByTimeAsync(FIRST_EVALUATION_POLL_MS));
      expect(await screen.findByLabelText('Level: Silver')).toBeVisible();
      expect(screen.queryByText(/Not evaluated yet/)).toBeNull();

      // Graded: no more reads.
      const reads = api.getEntityScorecard.mock.calls.length;
      await act(() =>
        jest.advanceTimersByTimeAsync(10 * FIRST_EVALUATION_POLL_MS),
      );
      expect(api.getEntityScorecard).toHaveBeenCalledTimes(reads);
    });
  });
});
