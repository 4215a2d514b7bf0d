import Chip from '@mui/material/Chip';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { ObjectDrift } from '@causeway/plugin-gitops-common';
import { objectName } from '../../objectName';
import { DifferencesTable } from './DifferencesTable';
import { driftStatus } from './driftStatus';

/** One object's row: kind, name, status, and what differs. */
export function ObjectDriftRow(props: { object: ObjectDrift }) {
  const { object } = props;
  const status = driftStatus(object.status);
  const name = objectName(object);
  return (
    <TableRow sx={{ verticalAlign: 'top' }}>
      <TableCell>{object.kind}</TableCell>
      <TableCell sx={{ fontFamily: 'monospace' }}>{name}</TableCell>
      <TableCell>
        <Chip
          size="small"
          label={status.label}
          color={status.color}
          variant={status.variant}
        />
      </TableCell>
      <TableCell>
        {object.status === 'different' && object.differences.length > 0 && (
          <DifferencesTable
            label={`Differences of ${object.kind} ${name}`}
            differences={object.differences}
          />
        )}
        {!object.known && (
          <Typography variant="body2" color="text.secondary">
            Compared by presence only: Causeway does not read this kind's
            fields.
          </Typography>
        )}
      </TableCell>
    </TableRow>
  );
}
