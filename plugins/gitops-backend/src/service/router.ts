import express from 'express';
import Router from 'express-promise-router';
import type {
  loadPlatformApis,
  platformPolicyFromConfig,
} from '@causeway/plugin-gitops-node';

type PlatformPolicy = ReturnType<typeof platformPolicyFromConfig>;
type PlatformApi = Awaited<ReturnType<typeof loadPlatformApis>>[number];
type JsonSchema = Record<string, any>;

/**
 * What the template form needs of a platform API: the JSON schema of its
 * claim's spec.parameters, as the XRD has it (bounds, enums, defaults).
 */
function describePlatformApi(api: PlatformApi) {
  const schema: JsonSchema = api.schema;
  const parameters: JsonSchema = schema.properties?.spec?.properties
    ?.parameters ?? { type: 'object', properties: {} };
  return {
    kind: api.kind,
    apiVersion: api.apiVersion,
    resourceType: api.resourceType,
    title: schema.title ?? parameters.title ?? api.kind,
    description: schema.description ?? parameters.description,
    parameters,
  };
}

export async function createRouter(options: {
  /** The effective platform policy: app-config over Causeway's defaults. */
  policy: PlatformPolicy;
  /** The platform APIs services can claim, read from their XRDs. */
  platformApis: PlatformApi[];
}): Promise<express.Router> {
  const { policy } = options;
  const platformApis = options.platformApis
    .map(describePlatformApi)
    .sort((a, b) => a.kind.localeCompare(b.kind));
  const router = Router();
  router.use(express.json());
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // What each service tier means, for the template form's tier choice.
  router.get('/tiers', (_req, res) => {
    res.json({
      tiers: Object.entries(policy.tiers).map(
        ([id, { description, replicas, requests, limits }]) => ({
          id,
          description,
          replicas,
          requests,
          limits,
        }),
      ),
    });
  });
  // The claims a service can make and their parameters, for the claim forms.
  router.get('/platform-apis', (_req, res) => {
    res.json({ items: platformApis });
  });
  return router;
}
