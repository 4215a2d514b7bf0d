import useAsync from 'react-use/esm/useAsync';
import { Link as RouterLink } from 'react-router-dom';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { gitopsApiRef } from '../../api/GitOpsClient';
import { ClaimCard } from '../ClaimCard/ClaimCard';
import { ClustersAlert } from '../ClustersAlert/ClustersAlert';

/** The Infrastructure tab: the service's Crossplane claims in each cluster. */
export function EntityInfrastructureContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(gitopsApiRef);
  const { value: view, error } = useAsync(
    () => api.getInfrastructureView(parseEntityRef(entityRef)),
    [api, entityRef],
  );

  if (error) return <ResponseErrorPanel error={error} />;
  if (!view) return <Progress />;

  if (view.claims.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="This service claims no infrastructure"
        description="Databases, buckets and queues are claimed with the claim templates, which add the claim to the service's GitOps folder."
        action={
          <Button component={RouterLink} to="/create" variant="outlined">
            Claim templates
          </Button>
        }
      />
    );
  }

  return (
    <Stack spacing={3}>
      <ClustersAlert clusters={view.clusters} />
      {view.claims.map(claim => (
        <ClaimCard
          key={`${claim.kind}/${claim.namespace}/${claim.name}`}
          claim={claim}
        />
      ))}
    </Stack>
  );
}
