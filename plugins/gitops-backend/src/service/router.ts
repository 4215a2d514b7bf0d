import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import type {
  loadPlatformApis,
  platformPolicyFromConfig,
} from '@causeway/plugin-gitops-node';

import type { GitOpsViewService } from './GitOpsViewService';
import type { InfrastructureViewService } from './InfrastructureViewService';

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
  /** An entity page's GitOps view. */
  gitopsViews: GitOpsViewService;
  /** An entity page's Infrastructure view. */
  infrastructureViews: InfrastructureViewService;
  httpAuth: HttpAuthService;
}): Promise<express.Router> {
  const { policy, gitopsViews, infrastructureViews, httpAuth } = options;
  /** The entity of the path, and the signed-in user asking. */
  const entityRequest = async (req: express.Request) => ({
    ref: {
      namespace: req.params.namespace,
      kind: req.params.kind,
      name: req.params.name,
    },
    credentials: await httpAuth.credentials(req, { allow: ['user'] }),
  });
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
  // An entity page's GitOps view: its files, commits and drift.
  router.get('/entities/:namespace/:kind/:name/gitops', async (req, res) => {
    const { ref, credentials } = await entityRequest(req);
    res.json(await gitopsViews.view(ref, credentials));
  });
  // An entity page's Infrastructure view: its claims and their state.
  router.get(
    '/entities/:namespace/:kind/:name/infrastructure',
    async (req, res) => {
      const { ref, credentials } = await entityRequest(req);
      res.json(await infrastructureViews.view(ref, credentials));
    },
  );
  return router;
}
