import { PermissionsService } from '@backstage/backend-plugin-api';
import { PlatformApi } from '@causeway/plugin-gitops-common';
import {
  GitOpsRepository,
  KubernetesClusters,
} from '@causeway/plugin-gitops-node';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** What the entity page's views read: the catalog, git and the clusters. */
export type ViewDependencies = {
  catalog: CatalogService;
  repository: GitOpsRepository;
  clusters: KubernetesClusters;
  permissions: PermissionsService;
  platformApis: PlatformApi[];
};
