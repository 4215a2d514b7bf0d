export interface Config {
  gitops?: {
    /**
     * What each service tier means, set by the platform team. Each key
     * overrides Causeway's default for that tier.
     */
    tiers?: {
      [tier in 'critical' | 'standard' | 'batch']?: {
        /** One line shown next to the choice in the template form. */
        description?: string;
        replicas?: { min: number; max: number };
        requests?: { cpu: string; memory: string };
        limits?: { cpu: string; memory: string };
      };
    };
    /** The most a service may ask for through overrides. */
    bounds?: {
      maxReplicas?: number;
      maxLimits?: { cpu: string; memory: string };
    };
  };
}
