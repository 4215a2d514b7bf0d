import { useId } from 'react';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { ClusterDriftView } from '@causeway/plugin-gitops-common';
import { ClusterErrorAlert } from '../ClusterErrorAlert/ClusterErrorAlert';
import { DriftSummaryChips } from './DriftSummaryChips';
import { ObjectDriftRow } from './ObjectDriftRow';

/** One cluster's report: its counts and each object, or why it gave none. */
export function ClusterDrift(props: { drift: ClusterDriftView }) {
  const { cluster, error, objects, summary } = props.drift;
  const headingId = useId();
  return (
    <Box component="section" aria-labelledby={headingId}>
      <Typography id={headingId} variant="h6" component="h3" gutterBottom>
        {cluster}
      </Typography>
      {error ? (
        <ClusterErrorAlert error={error} />
      ) : (
        <Stack spacing={1}>
          <DriftSummaryChips summary={summary} />
          {objects.length === 0 ? (
            <Typography variant="body2" color="text.secondary">
              Neither git nor the cluster has objects of this service.
            </Typography>
          ) : (
            <Table size="small" aria-label={`Objects in ${cluster}`}>
              <TableHead>
                <TableRow>
                  <TableCell>Kind</TableCell>
                  <TableCell>Object</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Details</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {objects.map(object => (
                  <ObjectDriftRow
                    key={`${object.apiVersion}/${object.kind}/${object.namespace}/${object.name}`}
                    object={object}
                  />
                ))}
              </TableBody>
            </Table>
          )}
        </Stack>
      )}
    </Box>
  );
}
