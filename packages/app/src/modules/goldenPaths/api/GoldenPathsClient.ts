import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';

/** CPU and memory as Kubernetes quantities, e.g. { cpu: '250m', memory: '256Mi' }. */
export type ResourceAmounts = { cpu: string; memory: string };

/** One service tier of the platform policy, as the gitops backend serves it. */
export type ServiceTier = {
  id: string;
  /** One line set by the platform team (gitops.tiers.<id>.description). */
  description: string;
  replicas: { min: number; max: number };
  requests: ResourceAmounts;
  limits: ResourceAmounts;
};

/** What the golden-path form fields need from Causeway's backend. */
export interface GoldenPathsApi {
  /** The service tiers of the effective platform policy. */
  getTiers(): Promise<ServiceTier[]>;
}

export const goldenPathsApiRef = createApiRef<GoldenPathsApi>().with({
  id: 'causeway.golden-paths',
  pluginId: 'scaffolder',
});

/** Talks to the gitops backend plugin (plugins/gitops-backend). */
export class GoldenPathsClient implements GoldenPathsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getTiers(): Promise<ServiceTier[]> {
    const baseUrl = await this.discoveryApi.getBaseUrl('gitops');
    const response = await this.fetchApi.fetch(`${baseUrl}/tiers`);
    if (!response.ok) {
      throw new Error(
        `GET ${baseUrl}/tiers answered ${response.status} ${response.statusText}`.trim(),
      );
    }
    const body: { tiers: ServiceTier[] } = await response.json();
    return body.tiers;
  }
}
