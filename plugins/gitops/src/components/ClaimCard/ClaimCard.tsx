import { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ClaimInfrastructureView } from '@causeway/plugin-gitops-common';
import { ClaimClusterRow } from './ClaimClusterRow';
import { formatParameter } from './formatParameter';

const mono = { fontFamily: 'monospace', fontSize: 13 };

function Field(props: { label: string; children: ReactNode }) {
  return (
    <Box sx={{ display: 'flex', gap: 1 }}>
      <Typography variant="body2" component="dt" sx={{ fontWeight: 600 }}>
        {props.label}
      </Typography>
      <Typography variant="body2" component="dd" sx={{ m: 0 }}>
        {props.children}
      </Typography>
    </Box>
  );
}

/** One claim: what git declares, and its state in each cluster. */
export function ClaimCard(props: { claim: ClaimInfrastructureView }) {
  const { claim } = props;
  const parameters = Object.entries(claim.parameters);
  return (
    <InfoCard
      title={`${claim.kind} ${claim.name}`}
      subheader={claim.namespace && `in namespace ${claim.namespace}`}
    >
      <Stack spacing={2}>
        <Box component="dl" sx={{ m: 0 }}>
          <Field label="Via">
            {claim.via === 'service'
              ? 'Part of the service'
              : 'A dependency of the service'}
            {claim.resourceRef && (
              <>
                {' '}
                (
                <EntityRefLink
                  entityRef={claim.resourceRef}
                  defaultKind="resource"
                />
                )
              </>
            )}
          </Field>
          <Field label="Declared in">
            <Box component="code" sx={mono}>
              {claim.path}
            </Box>
          </Field>
          <Field label="Connection secret">
            <Box component="code" sx={mono}>
              {claim.connectionSecret ?? '—'}
            </Box>
          </Field>
          <Field label="Parameters">
            {parameters.length === 0 ? (
              '—'
            ) : (
              <Box
                component="ul"
                aria-label="Parameters"
                sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, m: 0, p: 0 }}
              >
                {parameters.map(([key, value]) => (
                  <Box
                    component="li"
                    key={key}
                    sx={{ ...mono, listStyle: 'none' }}
                  >
                    {key}: {formatParameter(value)}
                  </Box>
                ))}
              </Box>
            )}
          </Field>
        </Box>
        <Table size="small" aria-label={`${claim.name} in the clusters`}>
          <TableHead>
            <TableRow>
              <TableCell>Cluster</TableCell>
              <TableCell>Ready</TableCell>
              <TableCell>Synced</TableCell>
              <TableCell>Last transition</TableCell>
              <TableCell>Connection secret</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {claim.clusters.length === 0 && (
              <TableRow>
                <TableCell colSpan={5}>No cluster reports on it.</TableCell>
              </TableRow>
            )}
            {claim.clusters.map(state => (
              <ClaimClusterRow key={state.cluster} state={state} />
            ))}
          </TableBody>
        </Table>
      </Stack>
    </InfoCard>
  );
}
