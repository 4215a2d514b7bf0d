import Alert from '@mui/material/Alert';
import { ClusterError } from '@causeway/plugin-gitops-common';

/** Why one cluster gave no answer: "production: the token was refused". */
export function ClusterErrorAlert(props: {
  cluster: string;
  error: ClusterError;
}) {
  const { cluster, error } = props;
  return (
    <Alert severity="error">
      {cluster}: {error.message}
    </Alert>
  );
}
