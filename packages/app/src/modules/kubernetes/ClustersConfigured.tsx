import { ReactNode, useCallback } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { kubernetesApiRef } from '@backstage/plugin-kubernetes-react';
import { NO_CLUSTER_MESSAGE } from '@causeway/plugin-gitops-common';
import { useAsyncValue } from '../home/hooks/useAsyncValue';

/**
 * The Kubernetes tab's content when the Kubernetes backend knows at least one
 * cluster. With none (the embedded default) the stock tab says "No resources
 * on any known clusters", which reads as "not deployed"; this says why
 * instead, and where the service's desired state is shown.
 */
export function ClustersConfigured(props: { children: ReactNode }) {
  const kubernetesApi = useApi(kubernetesApiRef);
  const loadClusters = useCallback(
    () => kubernetesApi.getClusters(),
    [kubernetesApi],
  );
  const clusters = useAsyncValue(loadClusters);

  if (clusters.status === 'loading') return <Progress />;
  // A failed listing is the stock tab's to report, with its own errors.
  if (clusters.status === 'done' && clusters.value.length === 0) {
    return <NoClusterPanel />;
  }
  return <>{props.children}</>;
}

function NoClusterPanel() {
  const { entity } = useEntity();
  const entityRoute = useRouteRef(entityRouteRef);
  const entityPath = entityRoute?.(
    entityRouteParams(getCompoundEntityRef(entity)),
  );
  const tab = (path: string, title: string) =>
    entityPath ? (
      <Link component={RouterLink} to={`${entityPath}/${path}`}>
        {title}
      </Link>
    ) : (
      title
    );
  return (
    <Alert severity="info">
      <AlertTitle>This portal shows no live Kubernetes objects yet</AlertTitle>
      <Typography variant="body2" paragraph>
        {NO_CLUSTER_MESSAGE}
      </Typography>
      <Typography variant="body2">
        Until a platform admin adds one, this says nothing about whether{' '}
        {entity.metadata.name} is deployed: its {tab('gitops', 'GitOps')} tab
        shows the manifests and commits the GitOps repository holds for it, and
        its {tab('infrastructure', 'Infrastructure')} tab the claims it makes,
        as git declares them.
      </Typography>
    </Alert>
  );
}
