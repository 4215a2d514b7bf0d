import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { dayFromToday } from '../../days';
import { renderInScorecardApp } from '../../__testUtils__/renderInScorecardApp';
import { scorecardApiMock } from '../../__testUtils__/scorecardApiMock';
import { WaiveDialog, WaiveDialogProps } from './WaiveDialog';

const check = { checkId: 'two-replicas', title: 'At least two replicas' };

/** The dialog, with the server's waiver rules saying maxDays. */
function renderDialog(props: Omit<WaiveDialogProps, 'check'>, maxDays = 180) {
  const api = scorecardApiMock({
    getChecks: jest.fn(async () => ({
      checks: [],
      problems: [],
      waivers: { maxDays },
    })),
  });
  return renderInScorecardApp(<WaiveDialog check={check} {...props} />, {
    api,
  });
}

describe('WaiveDialog', () => {
  it('needs a reason and a day after today, and submits both', async () => {
    const onSubmit = jest.fn(async () => undefined);
    await renderDialog({ onClose: jest.fn(), onSubmit });

    const waive = screen.getByRole('button', { name: 'Waive' });
    const expiry = screen.getByLabelText(/Expires on/);
    // A month ahead is proposed; the picker offers nothing before tomorrow.
    expect(expiry).toHaveValue(dayFromToday(30));
    expect(expiry).toHaveAttribute('min', dayFromToday(1));
    expect(waive).toBeDisabled();

    await userEvent.type(screen.getByLabelText(/Reason/), '  Q2 rollout.  ');
    expect(waive).toBeEnabled();

    await userEvent.clear(expiry);
    await userEvent.type(expiry, '2020-01-01');
    expect(screen.getByText('Choose a day after today.')).toBeVisible();
    expect(waive).toBeDisabled();

    await userEvent.clear(expiry);
    await userEvent.type(expiry, dayFromToday(1));
    await userEvent.click(waive);

    expect(onSubmit).toHaveBeenCalledWith({
      reason: 'Q2 rollout.',
      expiresOn: dayFromToday(1),
    });
  });

  it('offers no day past the server’s maximum and refuses one typed past it', async () => {
    const onSubmit = jest.fn(async () => undefined);
    await renderDialog({ onClose: jest.fn(), onSubmit }, 180);

    const expiry = await screen.findByLabelText(/Expires on/);
    expect(await screen.findByText(/at the latest/)).toBeVisible();
    expect(expiry).toHaveAttribute('max', dayFromToday(180));
    await userEvent.type(screen.getByLabelText(/Reason/), 'Q2 rollout.');

    await userEvent.clear(expiry);
    await userEvent.type(expiry, dayFromToday(181));
    expect(
      screen.getByText(
        `A waiver lasts at most 180 days: choose ${dayFromToday(
          180,
        )} or earlier.`,
      ),
    ).toBeVisible();
    expect(screen.getByRole('button', { name: 'Waive' })).toBeDisabled();

    await userEvent.clear(expiry);
    await userEvent.type(expiry, dayFromToday(180));
    await userEvent.click(screen.getByRole('button', { name: 'Waive' }));
    expect(onSubmit).toHaveBeenCalledWith({
      reason: 'Q2 rollout.',
      expiresOn: dayFromToday(180),
    });
  });

  it('proposes the last allowed day when the maximum is under a month', async () => {
    await renderDialog({ onClose: jest.fn(), onSubmit: jest.fn() }, 7);

    expect(await screen.findByLabelText(/Expires on/)).toHaveValue(
      dayFromToday(7),
    );
  });

  it('closes on Cancel without submitting', async () => {
    const onClose = jest.fn();
    const onSubmit = jest.fn();
    await renderDialog({ onClose, onSubmit });

    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(onClose).toHaveBeenCalled();
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
