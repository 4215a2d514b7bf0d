import { FormEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { useApi } from '@backstage/frontend-plugin-api';
import { scorecardApiRef } from '../../api/ScorecardClient';
import { dayFromToday } from '../../days';

export type WaiveDialogProps = {
  /** The check being waived. */
  check: { checkId: string; title: string };
  onClose: () => void;
  /** Creates the waiver; a rejection is shown in the dialog. */
  onSubmit: (waiver: { reason: string; expiresOn: string }) => Promise<void>;
};

/** The day proposed when the user has not picked one. */
const PROPOSED_DAYS = 30;

/**
 * Asks why a failing check is waived and until when: a day after today and
 * no later than the server's scorecard.waivers.maxDays allow.
 */
export function WaiveDialog(props: WaiveDialogProps) {
  const { check, onClose, onSubmit } = props;
  const api = useApi(scorecardApiRef);
  // Until the rules arrive (or if they cannot be read) the server still
  // refuses a day too far ahead, with its own message.
  const rules = useAsync(async () => (await api.getChecks()).waivers, [api]);
  const maxDays = rules.value?.maxDays;
  const tomorrow = dayFromToday(1);
  const lastDay = maxDays === undefined ? undefined : dayFromToday(maxDays);
  const [reason, setReason] = useState('');
  const [picked, setPicked] = useState<string>();
  const proposed = dayFromToday(PROPOSED_DAYS);
  const expiresOn =
    picked ??
    (lastDay !== undefined && lastDay < proposed ? lastDay : proposed);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  let dateProblem: string | undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(expiresOn) || expiresOn < tomorrow) {
    dateProblem = 'Choose a day after today.';
  } else if (lastDay !== undefined && expiresOn > lastDay) {
    dateProblem = `A waiver lasts at most ${maxDays} days: choose ${lastDay} or earlier.`;
  }
  const valid = reason.trim() !== '' && !dateProblem;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setSubmitting(true);
    setError(undefined);
    try {
      await onSubmit({ reason: reason.trim(), expiresOn });
    } catch (e) {
      setError((e as Error).message);
      setSubmitting(false);
    }
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby="waive-dialog-title">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="waive-dialog-title">Waive “{check.title}”</DialogTitle>
        <DialogContent>
          <DialogContentText>
            A waived check counts as passing until the waiver expires. Say why,
            so the next reader knows.
          </DialogContentText>
          {error && (
            <Alert severity="error" sx={{ mt: 2 }}>
              {error}
            </Alert>
          )}
          <TextField
            label="Reason"
            value={reason}
            onChange={e => setReason(e.target.value)}
            required
            fullWidth
            multiline
            minRows={2}
            margin="normal"
          />
          <TextField
            label="Expires on"
            type="date"
            value={expiresOn}
            onChange={e => setPicked(e.target.value)}
            required
            fullWidth
            margin="normal"
            InputLabelProps={{ shrink: true }}
            inputProps={{ min: tomorrow, max: lastDay }}
            error={Boolean(dateProblem)}
            helperText={
              dateProblem ??
              `The last day the waiver applies (UTC)${
                lastDay ? `, at the latest ${lastDay}` : ''
              }.`
            }
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            variant="contained"
            disabled={!valid || submitting}
          >
            Waive
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
