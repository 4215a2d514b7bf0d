import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { InfoCard } from '@backstage/core-components';
import {
  ClusterDriftView,
  ClustersState,
} from '@causeway/plugin-gitops-common';
import { ClustersAlert } from '../ClustersAlert/ClustersAlert';
import { ClusterDrift } from './ClusterDrift';

/** Where each cluster disagrees with git about the service's objects. */
export function DriftCard(props: {
  clusters: ClustersState;
  drift: ClusterDriftView[];
}) {
  const { clusters, drift } = props;
  const readable = clusters.configured && !clusters.denied;
  return (
    <InfoCard title="Drift" subheader="The clusters compared with git">
      <Stack spacing={3}>
        <ClustersAlert clusters={clusters} />
        {readable && drift.length === 0 && (
          <Typography variant="body2" color="text.secondary">
            No cluster reported on this service.
          </Typography>
        )}
        {drift.map(d => (
          <ClusterDrift key={d.cluster} drift={d} />
        ))}
      </Stack>
    </InfoCard>
  );
}
