import { Config } from '@backstage/config';
import {
  defaultPlatformPolicy,
  PlatformPolicy,
  ResourceAmounts,
  TIERS,
} from '@causeway/plugin-gitops-common';

const amounts = (config: Config | undefined, fallback: ResourceAmounts) =>
  config
    ? { cpu: config.getString('cpu'), memory: config.getString('memory') }
    : fallback;

/** The platform team's tiers and bounds from app-config, over Causeway's defaults. */
export function platformPolicyFromConfig(config: Config): PlatformPolicy {
  const tiers = { ...defaultPlatformPolicy.tiers };
  for (const tier of TIERS) {
    const c = config.getOptionalConfig(`gitops.tiers.${tier}`);
    if (!c) continue;
    const base = defaultPlatformPolicy.tiers[tier];
    const replicas = c.getOptionalConfig('replicas');
    tiers[tier] = {
      description: c.getOptionalString('description') ?? base.description,
      replicas: replicas
        ? { min: replicas.getNumber('min'), max: replicas.getNumber('max') }
        : base.replicas,
      requests: amounts(c.getOptionalConfig('requests'), base.requests),
      limits: amounts(c.getOptionalConfig('limits'), base.limits),
    };
  }
  const bounds = config.getOptionalConfig('gitops.bounds');
  return {
    tiers,
    bounds: {
      maxReplicas:
        bounds?.getOptionalNumber('maxReplicas') ??
        defaultPlatformPolicy.bounds.maxReplicas,
      maxLimits: amounts(
        bounds?.getOptionalConfig('maxLimits'),
        defaultPlatformPolicy.bounds.maxLimits,
      ),
    },
  };
}
