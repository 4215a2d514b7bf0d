import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CheckResult } from '@causeway/plugin-scorecard-common';
import { ScorecardApi } from '../../api/ScorecardClient';
import {
  checkResult,
  scorecard,
  scorecardApiMock,
} from '../../__testUtils__/scorecardApiMock';
import { renderInScorecardApp } from '../../__testUtils__/renderInScorecardApp';
import { dayFromToday } from '../../days';
import { catalogEntity } from '../../__testUtils__/catalogEntity';
import { FIRST_EVALUATION_POLL_MS } from '../EntityScorecardCard/useFirstEvaluationPoll';
import { EntityScorecardContent } from './EntityScorecardContent';

const ENTITY_REF = 'component:default/payments-api';
const entity = catalogEntity('Component', 'payments-api', {
  spec: { type: 'service', owner: 'group:default/payments-team' },
});

const evaluated = scorecard({
  level: 'bronze',
  passed: 2,
  failed: 1,
  waived: 1,
  graded: {
    gitops: { commit: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d' },
    source: { commit: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432' },
  },
  results: [
    checkResult('owned-by-team', {
      title: 'Owned by a team',
      level: 'bronze',
      values: { 'catalog.ownerKind': 'Group' },
    }),
    checkResult('two-replicas', {
      title: 'At least two replicas',
      level: 'silver',
      status: 'fail',
      values: { 'gitops.replicas': 1 },
      fix: {
        text: 'Set replicas to 2 or more.',
        link: 'https://docs.example.com/availability',
      },
    }),
    checkResult('has-pdb', {
      title: 'Has a PodDisruptionBudget',
      level: 'silver',
      status: 'waived',
      values: { 'gitops.hasPodDisruptionBudget': false },
      waiver: {
        id: 'waiver-7',
        entityRef: ENTITY_REF,
        checkId: 'has-pdb',
        reason: 'Singleton by design until the Q3 migration.',
        expiresOn: '2026-09-30',
        createdBy: 'user:default/jane',
        createdAt: '2026-02-01T09:00:00Z',
      },
    }),
    checkResult('slo-defined', {
      title: 'Has an SLO',
      level: 'gold',
      status: 'not-applicable',
    }),
  ],
});

/** The scorecard as it reads after one check's result changed. */
function withResult(checkId: string, fields: Partial<CheckResult>) {
  return {
    ...evaluated,
    results: evaluated.results.map(r =>
      r.checkId === checkId ? { ...r, ...fields } : r,
    ),
  };
}

const section = (name: string) => screen.getByRole('region', { name });
const item = (name: string) => screen.getByRole('listitem', { name });

function renderTab(api: ScorecardApi, options: { allowed?: boolean } = {}) {
  return renderInScorecardApp(<EntityScorecardContent />, {
    api,
    entity,
    ...options,
  });
}

describe('EntityScorecardContent', () => {
  it('leads with what blocks the next level, with the values behind a failure and its fix', async () => {
    const api = scorecardApiMock({
      getEntityScorecard: jest.fn(async () => evaluated),
    });
    renderTab(api);

    expect(await screen.findByLabelText('Level: Bronze')).toBeInTheDocument();
    expect(
      screen.getByText('Graded at gitops 1a2b3c4 / source 9f8e7d6'),
    ).toBeVisible();

    const failing = within(section('Failing'));
    expect(
      failing.getByRole('heading', { name: 'To reach Silver: this check' }),
    ).toBeVisible();
    const replicas = within(item('At least two replicas'));
    expect(replicas.getByText('Failed')).toBeInTheDocument();
    expect(replicas.getByText('Silver')).toBeInTheDocument();
    expect(replicas.getByText('gitops.replicas = 1')).toBeInTheDocument();
    expect(replicas.getByText(/Set replicas to 2 or more\./)).toBeVisible();
    expect(replicas.getByRole('link', { name: 'Read how' })).toHaveAttribute(
      'href',
      'https://docs.example.com/availability',
    );

    const pdb = within(item('Has a PodDisruptionBudget'));
    expect(pdb.getByText('Waived', { selector: 'span' })).toBeVisible();
    expect(
      pdb.getByText(/by user:default\/jane until 2026-09-30/),
    ).toHaveTextContent(
      'Waived by user:default/jane until 2026-09-30: Singleton by design until the Q3 migration.',
    );
    expect(
      pdb.getByText('gitops.hasPodDisruptionBudget = false'),
    ).toBeInTheDocument();
    // Only a failing check says how to fix it.
    expect(pdb.queryByText(/How to fix/)).not.toBeInTheDocument();

    // Passing and not-applicable checks wait behind their counts.
    expect(
      screen.queryByRole('listitem', { name: 'Owned by a team' }),
    ).toBeNull();
    expect(
      screen.getByRole('button', { name: 'Passed (1)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Not applicable (1)' }),
    ).toBeInTheDocument();
    expect(api.getEntityHistory).toHaveBeenCalledWith(ENTITY_REF, {
      days: 90,
    });
  });

  it('links each summary count to its checks, opening them', async () => {
    const scrolled: string[] = [];
    // jsdom does not scroll; record what would be.
    Element.prototype.scrollIntoView = function record(this: Element) {
      scrolled.push(this.id);
    };
    const api = scorecardApiMock({
      getEntityScorecard: jest.fn(async () => evaluated),
    });
    renderTab(api);

    const counts = ['2 passed', '1 failed', '1 waived', '1 not applicable'];
    for (const name of counts) {
      expect(await screen.findByRole('link', { name })).toBeVisible();
    }

    await userEvent.click(screen.getByRole('link', { name: '2 passed' }));
    expect(item('Owned by a team')).toBeVisible();
    expect(screen.queryByRole('listitem', { name: 'Has an SLO' })).toBeNull();

    await userEvent.click(
      screen.getByRole('link', { name: '1 not applicable' }),
    );
    expect(item('Has an SLO')).toBeVisible();

    await userEvent.click(screen.getByRole('link', { name: '1 failed' }));
    expect(scrolled).toEqual([
      'checks-pass',
      'checks-not-applicable',
      'checks-fail',
    ]);
    delete (Element.prototype as Partial<Element>).scrollIntoView;
  });

  it('draws the level over the last 90 days', async () => {
    const api = scorecardApiMock({
      getEntityScorecard: jest.fn(async () => evaluated),
      getEntityHistory: jest.fn(async () => [
        { day: '2026-01-01', level: 'none' as const, passed: 1, failed: 3 },
        { day: '2026-01-02', level: 'none' as const, passed: 1, failed: 3 },
        { day: '2026-02-10', level: 'bronze' as const, passed: 2, failed: 1 },
      ]),
    });
    renderTab(api);

    expect(
      await screen.findByRole('img', { name: /^Level over time/ }),
    ).toHaveAccessibleName(
      'Level over time: No level from 2026-01-01, Bronze from 2026-02-10',
    );
  });

  it('waives a failing check with a reason and a future expiry, and shows it waived', async () => {
    const waiver = {
      id: 'waiver-9',
      entityRef: ENTITY_REF,
      checkId: 'two-replicas',
      reason: 'Scaling up in Q2.',
      expiresOn: dayFromToday(90),
      createdBy: 'user:default/jane',
      createdAt: '2026-03-02T08:00:00Z',
    };
    const api = scorecardApiMock({
      getEntityScorecard: jest
        .fn()
        .mockResolvedValueOnce(evaluated)
        .mockResolvedValue(
          withResult('two-replicas', { status: 'waived', waiver }),
        ),
    });
    renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Waive At least two replicas',
      }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    expect(
      dialog.getByRole('heading', { name: 'Waive “At least two replicas”' }),
    ).toBeInTheDocument();

    const expiry = dialog.getByLabelText(/Expires on/);
    expect(expiry).toHaveAttribute('min', dayFromToday(1));
    // Today is not in the future.
    await userEvent.clear(expiry);
    await userEvent.type(expiry, dayFromToday(0));
    await userEvent.type(dialog.getByLabelText(/Reason/), 'Scaling up in Q2.');
    expect(dialog.getByText('Choose a day after today.')).toBeVisible();
    expect(dialog.getByRole('button', { name: 'Waive' })).toBeDisabled();

    await userEvent.clear(expiry);
    // Within the server's maximum (180 days by default).
    await userEvent.type(expiry, dayFromToday(90));
    await userEvent.click(dialog.getByRole('button', { name: 'Waive' }));

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.createWaiver).toHaveBeenCalledWith(ENTITY_REF, {
      checkId: 'two-replicas',
      reason: 'Scaling up in Q2.',
      expiresOn: dayFromToday(90),
    });
    // Read again: the check now counts as waived.
    const replicas = within(item('At least two replicas'));
    expect(
      await replicas.findByText(
        `until ${dayFromToday(90)}: Scaling up in Q2.`,
        {
          exact: false,
        },
      ),
    ).toBeVisible();
    expect(replicas.queryByText('Failed')).toBeNull();
  });

  it('keeps the dialog open with the server’s reason when waiving fails', async () => {
    const api = scorecardApiMock({
      getEntityScorecard: jest.fn(async () => evaluated),
      createWaiver: jest.fn(async () => {
        throw new Error('expiresOn may be at most 180 days ahead');
      }),
    });
    renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Waive At least two replicas',
      }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.type(dialog.getByLabelText(/Reason/), 'Later.');
    await userEvent.click(dialog.getByRole('button', { name: 'Waive' }));

    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'expiresOn may be at most 180 days ahead',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('revokes a waiver by its id, and shows the check failing again', async () => {
    const api = scorecardApiMock({
      getEntityScorecard: jest
        .fn()
        .mockResolvedValueOnce(evaluated)
        .mockResolvedValue(
          withResult('has-pdb', { status: 'fail', waiver: undefined }),
        ),
      getWaivers: jest.fn(async () => [
        // An earlier waiver of the same check, revoked since.
        {
          ...evaluated.results[2].waiver!,
          id: 'waiver-3',
          active: false,
          revokedAt: '2026-01-20T00:00:00Z',
        },
        { ...evaluated.results[2].waiver!, active: true },
      ]),
    });
    renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Revoke the waiver of Has a PodDisruptionBudget',
      }),
    );

    expect(api.revokeWaiver).toHaveBeenCalledWith(ENTITY_REF, 'waiver-7');
    // Failing again, it moves up among what blocks the next level.
    const pdb = within(
      await within(section('Failing')).findByRole('listitem', {
        name: 'Has a PodDisruptionBudget',
      }),
    );
    expect(pdb.getByText('Failed')).toBeVisible();
    expect(pdb.queryByText(/until 2026-09-30/)).toBeNull();
  });

  it('offers neither Waive, Revoke nor Re-evaluate to users the policy does not allow', async () => {
    const api = scorecardApiMock({
      getEntityScorecard: jest.fn(async () => evaluated),
      getWaivers: jest.fn(async () => [evaluated.results[2].waiver!]),
    });
    renderTab(api, { allowed: false });

    expect(
      await screen.findByText('At least two replicas'),
    ).toBeInTheDocument();
    // "Waive <check>"; the "Waived (1)" group's toggle is not one.
    expect(screen.queryByRole('button', { name: /^Waive / })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Revoke/ })).toBeNull();
    expect(api.getWaivers).not.toHaveBeenCalled();
    // Grading on request is for owners and platform admins only.
    expect(screen.queryByRole('button', { name: 'Re-evaluate' })).toBeNull();
  });

  it('tells a reader who may not evaluate a never-evaluated entity that it is graded soon', async () => {
    const api = scorecardApiMock({
      getEntityScorecard: jest.fn(async () => undefined),
    });
    renderTab(api, { allowed: false });

    expect(await screen.findByText('Not evaluated yet')).toBeVisible();
    expect(screen.getByText(/Its owners can evaluate it now/)).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Evaluate now' })).toBeNull();
  });

  describe('before the first evaluation', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('shows the first evaluation when it lands, without a reload', async () => {
      const api = scorecardApiMock({
        getEntityScorecard: jest
          .fn()
          .mockResolvedValueOnce(undefined)
          .mockResolvedValue(evaluated),
      });
      renderTab(api, { allowed: false });
      expect(await screen.findByText('Not evaluated yet')).toBeVisible();

      await act(() => jest.advanceTimersByTimeAsync(FIRST_EVALUATION_POLL_MS));

      expect(await screen.findByLabelText('Level: Bronze')).toBeVisible();
      expect(screen.queryByText('Not evaluated yet')).toBeNull();
      const reads = api.getEntityScorecard.mock.calls.length;
      await act(() =>
        jest.advanceTimersByTimeAsync(10 * FIRST_EVALUATION_POLL_MS),
      );
      expect(api.getEntityScorecard).toHaveBeenCalledTimes(reads);
    });
  });

  it('says when the entity was never evaluated, and evaluates it on request', async () => {
    const api = scorecardApiMock({
      getEntityScorecard: jest
        .fn()
        .mockResolvedValueOnce(undefined)
        .mockResolvedValue(evaluated),
    });
    renderTab(api);

    expect(await screen.findByText('Not evaluated yet')).toBeVisible();
    expect(screen.queryByRole('region', { name: 'Bronze' })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Evaluate now' }));

    expect(api.evaluateEntity).toHaveBeenCalledWith(ENTITY_REF);
    expect(await screen.findByLabelText('Level: Bronze')).toBeInTheDocument();
    expect(screen.queryByText('Not evaluated yet')).toBeNull();
  });

  it('re-evaluates on request and shows why when that fails', async () => {
    const api = scorecardApiMock({
      getEntityScorecard: jest.fn(async () => evaluated),
      evaluateEntity: jest.fn(async () => {
        throw new Error('The gitops fact provider is unavailable');
      }),
    });
    renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-evaluate' }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The gitops fact provider is unavailable',
    );
    expect(api.evaluateEntity).toHaveBeenCalledWith(ENTITY_REF);
  });
});
