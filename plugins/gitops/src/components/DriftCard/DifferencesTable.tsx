import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { DriftDifference } from '@causeway/plugin-gitops-common';
import { formatJson } from './formatJson';

const mono = { fontFamily: 'monospace', fontSize: 13 };

/** Each differing field with git's and the cluster's values side by side. */
export function DifferencesTable(props: {
  label: string;
  differences: DriftDifference[];
}) {
  const { label, differences } = props;
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Field</TableCell>
          <TableCell>Git</TableCell>
          <TableCell>Cluster</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {differences.map(d => (
          <TableRow key={d.field}>
            <TableCell sx={mono}>{d.field}</TableCell>
            <TableCell sx={mono}>{formatJson(d.git)}</TableCell>
            <TableCell sx={mono}>{formatJson(d.cluster)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
