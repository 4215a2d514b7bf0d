import useAsync from 'react-use/esm/useAsync';
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
import { CommitsCard } from '../CommitsCard/CommitsCard';
import { DriftCard } from '../DriftCard/DriftCard';
import { FilesCard } from '../FilesCard/FilesCard';
import { GitOpsHeader } from './GitOpsHeader';

const NO_MANIFESTS = 'This service has no manifests in the GitOps repository';

/** The GitOps tab: drift first, then the service's files and commits. */
export function EntityGitOpsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(gitopsApiRef);
  const { value: view, error } = useAsync(
    () => api.getGitOpsView(parseEntityRef(entityRef)),
    [api, entityRef],
  );

  if (error) return <ResponseErrorPanel error={error} />;
  if (!view) return <Progress />;

  if (!view.path) {
    return (
      <EmptyState
        missing="field"
        title={NO_MANIFESTS}
        description="It has no causeway.dev/gitops-path annotation, so Causeway does not know which folder of the GitOps repository is its."
      />
    );
  }

  const hasFiles = view.files.length > 0;
  // Objects in a cluster with the service's label are drift even when git
  // holds none of its files; commits may have removed them.
  const clusterHasObjects = view.drift.some(
    d => d.error || d.objects.length > 0,
  );

  return (
    <Stack spacing={3}>
      <GitOpsHeader path={view.path} commit={view.commit} />
      {!hasFiles && (
        <EmptyState
          missing="data"
          title={NO_MANIFESTS}
          description={`Its folder ${view.path} holds no manifests.`}
        />
      )}
      {(hasFiles || clusterHasObjects) && (
        <DriftCard clusters={view.clusters} drift={view.drift} />
      )}
      {hasFiles && <FilesCard files={view.files} />}
      {(hasFiles || view.commits.length > 0) && (
        <CommitsCard commits={view.commits} />
      )}
    </Stack>
  );
}
