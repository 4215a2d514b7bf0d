import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { ClaimClusterState } from '@causeway/plugin-gitops-common';
import { ClusterErrorAlert } from '../ClusterErrorAlert/ClusterErrorAlert';
import { RelativeTime } from '../RelativeTime/RelativeTime';
import { ConditionChip } from './ConditionChip';

/** What one cluster says of the claim: its conditions, or why it says nothing. */
export function ClaimClusterRow(props: { state: ClaimClusterState }) {
  const { state } = props;
  const rest = (content: JSX.Element) => (
    <TableCell colSpan={4}>{content}</TableCell>
  );
  return (
    <TableRow sx={{ verticalAlign: 'top' }}>
      <TableCell component="th" scope="row">
        {state.cluster}
      </TableCell>
      {state.error && rest(<ClusterErrorAlert error={state.error} />)}
      {!state.error &&
        !state.found &&
        rest(
          <Typography variant="body2" color="error">
            Not found in cluster: Argo CD has not applied the claim, or it was
            deleted.
          </Typography>,
        )}
      {!state.error && state.found && (
        <>
          <TableCell>
            <ConditionChip type="Ready" condition={state.ready} />
          </TableCell>
          <TableCell>
            <ConditionChip type="Synced" condition={state.synced} />
          </TableCell>
          <TableCell>
            {state.lastTransitionTime ? (
              <RelativeTime time={state.lastTransitionTime} />
            ) : (
              '—'
            )}
          </TableCell>
          <TableCell sx={{ fontFamily: 'monospace' }}>
            {state.connectionSecret ?? '—'}
          </TableCell>
        </>
      )}
    </TableRow>
  );
}
