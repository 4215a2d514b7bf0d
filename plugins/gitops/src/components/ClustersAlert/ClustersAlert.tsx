import Alert from '@mui/material/Alert';
import {
  ClustersState,
  NO_CLUSTER_MESSAGE,
} from '@causeway/plugin-gitops-common';

/**
 * Why the view has no cluster's word at all: none is configured (and how to
 * add one), or the user may not read cluster objects. Nothing otherwise.
 */
export function ClustersAlert(props: { clusters: ClustersState }) {
  const { clusters } = props;
  if (!clusters.configured) {
    return (
      <Alert severity="info">{clusters.message ?? NO_CLUSTER_MESSAGE}</Alert>
    );
  }
  if (clusters.denied) {
    return (
      <Alert severity="info">
        You may not read cluster objects (permission kubernetes.resources.read)
      </Alert>
    );
  }
  return null;
}
