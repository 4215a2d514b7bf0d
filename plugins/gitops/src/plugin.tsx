import { RiGitRepositoryLine } from '@remixicon/react';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { GitOpsClient, gitopsApiRef } from './api/GitOpsClient';

/** api:gitops */
export const gitopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitOpsClient({ discoveryApi, fetchApi }),
    }),
});

/** entity-content:gitops, the GitOps tab of components. */
export const entityGitOpsContent = EntityContentBlueprint.make({
  params: {
    path: 'gitops',
    title: 'GitOps',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityGitOpsContent/EntityGitOpsContent').then(m => (
        <m.EntityGitOpsContent />
      )),
  },
});

/**
 * entity-content:gitops/infrastructure, the Infrastructure tab of components
 * and of the Resources their claims are.
 */
export const entityInfrastructureContent = EntityContentBlueprint.make({
  name: 'infrastructure',
  params: {
    path: 'infrastructure',
    title: 'Infrastructure',
    filter: { kind: { $in: ['component', 'resource'] } },
    loader: () =>
      import(
        './components/EntityInfrastructureContent/EntityInfrastructureContent'
      ).then(m => <m.EntityInfrastructureContent />),
  },
});

/**
 * GitOps and Infrastructure tabs on a service's page: its files and commits
 * in the GitOps repository, its claims' state, and where the clusters and
 * git disagree.
 */
export default createFrontendPlugin({
  pluginId: 'gitops',
  title: 'GitOps',
  icon: <RiGitRepositoryLine />,
  extensions: [gitopsApi, entityGitOpsContent, entityInfrastructureContent],
});
