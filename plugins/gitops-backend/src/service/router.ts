import express from 'express';
import Router from 'express-promise-router';
import type { platformPolicyFromConfig } from '@causeway/plugin-gitops-node';

type PlatformPolicy = ReturnType<typeof platformPolicyFromConfig>;

export async function createRouter(options: {
  /** The effective platform policy: app-config over Causeway's defaults. */
  policy: PlatformPolicy;
}): Promise<express.Router> {
  const { policy } = options;
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
  return router;
}
