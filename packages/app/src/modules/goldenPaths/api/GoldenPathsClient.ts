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

/** A JSON schema, as the platform API's XRD has it. */
export type JsonSchema = {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  [keyword: string]: unknown;
};

/** A platform API a service can claim (a Crossplane XRD), as the gitops backend serves it. */
export type PlatformApi = {
  /** The claim's kind, e.g. PostgreSQLInstance. */
  kind: string;
  apiVersion: string;
  /** The catalog Resource type of its claims, e.g. database. */
  resourceType: string;
  title: string;
  description?: string;
  /** The schema of the claim's spec.parameters: bounds, enums, defaults. */
  parameters: JsonSchema;
};

/** What the golden-path form fields need from Causeway's backend. */
export interface GoldenPathsApi {
  /** The service tiers of the effective platform policy. */
  getTiers(): Promise<ServiceTier[]>;
}

/** What the claim forms need: the platform APIs services can claim. */
export interface PlatformApisApi {
  /** Each platform API with the schema of its parameters. */
  getPlatformApis(): Promise<PlatformApi[]>;
}

export const goldenPathsApiRef = createApiRef<
  GoldenPathsApi & PlatformApisApi
>().with({
  id: 'causeway.golden-paths',
  pluginId: 'scaffolder',
});

/** Talks to the gitops backend plugin (plugins/gitops-backend). */
export class GoldenPathsClient implements GoldenPathsApi, PlatformApisApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getTiers(): Promise<ServiceTier[]> {
    const body: { tiers: ServiceTier[] } = await this.get('/tiers');
    return body.tiers;
  }

  async getPlatformApis(): Promise<PlatformApi[]> {
    const body: { items: PlatformApi[] } = await this.get('/platform-apis');
    return body.items;
  }

  private async get(path: string) {
    const baseUrl = await this.discoveryApi.getBaseUrl('gitops');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw new Error(
        `GET ${baseUrl}${path} answered ${response.status} ${response.statusText}`.trim(),
      );
    }
    return response.json();
  }
}
