import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { dayFromToday } from '../../days';
import { WaiveDialog } from './WaiveDialog';

const check = { checkId: 'two-replicas', title: 'At least two replicas' };

describe('WaiveDialog', () => {
  it('needs a reason and a day after today, and submits both', async () => {
    const onSubmit = jest.fn(async () => undefined);
    render(
      <WaiveDialog check={check} onClose={jest.fn()} onSubmit={onSubmit} />,
    );

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

  it('closes on Cancel without submitting', async () => {
    const onClose = jest.fn();
    const onSubmit = jest.fn();
    render(<WaiveDialog check={check} onClose={onClose} onSubmit={onSubmit} />);

    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(onClose).toHaveBeenCalled();
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
