import Alert from '@mui/material/Alert';
import { ClusterError } from '@causeway/plugin-gitops-common';

/**
 * Why one cluster gave no answer. The backend's message names the cluster
 * ("cluster production: the service account token was refused (HTTP 401)").
 */
export function ClusterErrorAlert(props: { error: ClusterError }) {
  return <Alert severity="error">{props.error.message}</Alert>;
}
