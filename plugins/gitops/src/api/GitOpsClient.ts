import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import type {
  GitOpsView,
  InfrastructureView,
} from '@causeway/plugin-gitops-common';

/** What the GitOps and Infrastructure tabs need from the gitops backend. */
export interface GitOpsApi {
  /** The entity's GitOps folder, its commits and where the clusters differ. */
  getGitOpsView(entityRef: CompoundEntityRef): Promise<GitOpsView>;
  /** The entity's Crossplane claims and their state in each cluster. */
  getInfrastructureView(
    entityRef: CompoundEntityRef,
  ): Promise<InfrastructureView>;
}

export const gitopsApiRef = createApiRef<GitOpsApi>().with({
  id: 'plugin.gitops.api',
  pluginId: 'gitops',
});

/** /entities/:namespace/:kind/:name, each segment encoded. */
function entityPath(ref: CompoundEntityRef): string {
  return ['entities', ref.namespace, ref.kind, ref.name]
    .map(encodeURIComponent)
    .join('/');
}

/** Talks to the gitops backend plugin (plugins/gitops-backend). */
export class GitOpsClient implements GitOpsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getGitOpsView(entityRef: CompoundEntityRef): Promise<GitOpsView> {
    return this.get(`${entityPath(entityRef)}/gitops`);
  }

  getInfrastructureView(
    entityRef: CompoundEntityRef,
  ): Promise<InfrastructureView> {
    return this.get(`${entityPath(entityRef)}/infrastructure`);
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('gitops');
    const response = await this.fetchApi.fetch(`${baseUrl}/${path}`);
    if (!response.ok) {
      // Keeps the server's error (name, message) for ResponseErrorPanel.
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
