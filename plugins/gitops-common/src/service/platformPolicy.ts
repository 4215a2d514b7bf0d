/** CPU and memory as Kubernetes quantities, e.g. { cpu: '250m', memory: '256Mi' }. */
export type ResourceAmounts = { cpu: string; memory: string };

export type TierPreset = {
  /** One line shown in the template form. */
  description: string;
  replicas: { min: number; max: number };
  requests: ResourceAmounts;
  limits: ResourceAmounts;
};

export const TIERS = ['critical', 'standard', 'batch'] as const;
export type Tier = (typeof TIERS)[number];

/** What the platform team decides: tier presets and the bounds overrides must stay in. */
export type PlatformPolicy = {
  tiers: Record<Tier, TierPreset>;
  bounds: { maxReplicas: number; maxLimits: ResourceAmounts };
};

export const defaultPlatformPolicy: PlatformPolicy = {
  tiers: {
    critical: {
      description:
        'Customer-facing, paged at night: 3 to 10 replicas, 2 always up.',
      replicas: { min: 3, max: 10 },
      requests: { cpu: '500m', memory: '512Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    },
    standard: {
      description: 'Most services: 2 to 5 replicas, 1 always up.',
      replicas: { min: 2, max: 5 },
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    },
    batch: {
      description:
        'Internal or batch work: 1 to 3 replicas, may pause during rollouts.',
      replicas: { min: 1, max: 3 },
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    },
  },
  bounds: { maxReplicas: 20, maxLimits: { cpu: '4', memory: '8Gi' } },
};

const CPU = /^(\d+(\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/;
const MEMORY_FACTORS: Record<string, number> = {
  '': 1,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Millicores of a CPU quantity, or undefined when it is not one. */
export function parseCpu(quantity: string): number | undefined {
  const match = CPU.exec(quantity);
  if (!match) return undefined;
  return Number(match[1]) * (match[3] === 'm' ? 1 : 1000);
}

/** Bytes of a memory quantity, or undefined when it is not one. */
export function parseMemory(quantity: string): number | undefined {
  const match = MEMORY.exec(quantity);
  if (!match) return undefined;
  return Number(match[1]) * MEMORY_FACTORS[match[3] ?? ''];
}
