import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';
import {
  parseCpu,
  parseMemory,
  PlatformPolicy,
  ResourceAmounts,
  Tier,
} from '../service/platformPolicy';

/*
 * What services and scheduled jobs have in common: who owns them, where they
 * run, their image, resources, env vars and secrets, and the checks of each.
 */

/** A Kubernetes name (RFC 1123 label): what names, namespaces and environments must be. */
export const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const kubernetesName = (zImpl: typeof z, what: string) =>
  zImpl
    .string()
    .max(63, `${what} must be at most 63 characters`)
    .regex(
      KUBERNETES_NAME,
      `${what} must be lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );

/** An image pinned by digest: REPOSITORY@sha256:64 hex digits. */
export const IMAGE_BY_DIGEST = /^[a-z0-9][a-z0-9._\-/:]*@sha256:[a-f0-9]{64}$/;
const IMAGE_BY_TAG =
  /^[a-z0-9][a-z0-9._\-/:]*:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Name, owner, system, where it runs, and its image. */
export const workloadIdentityFields = (zImpl: typeof z) => ({
  name: kubernetesName(zImpl, 'name'),
  owner: kubernetesName(zImpl, 'owner'),
  system: kubernetesName(zImpl, 'system').optional(),
  environment: kubernetesName(zImpl, 'environment'),
  namespace: kubernetesName(zImpl, 'namespace'),
  image: zImpl.string().min(1, 'image is required'),
  allowImageTag: zImpl.boolean().default(false),
});

/** Requests and limits that override the tier's. */
export const resourcesField = (zImpl: typeof z) => {
  const resourceAmounts = zImpl.object({
    cpu: zImpl.string(),
    memory: zImpl.string(),
  });
  return zImpl
    .object({ requests: resourceAmounts, limits: resourceAmounts })
    .optional();
};

/** Env vars by value, and secrets read through ExternalSecrets. */
export const envFields = (zImpl: typeof z) => ({
  env: zImpl
    .record(
      zImpl
        .string()
        .regex(
          ENV_NAME,
          'environment variable names are letters, digits and _',
        ),
      zImpl.string().max(4096),
    )
    .default({}),
  secrets: zImpl
    .array(
      zImpl.object({
        env: zImpl
          .string()
          .regex(
            ENV_NAME,
            'environment variable names are letters, digits and _',
          ),
        key: zImpl
          .string()
          .regex(
            /^[A-Za-z0-9_./-]+$/,
            'secret keys are paths of letters, digits, _ . / -',
          ),
        property: zImpl
          .string()
          .regex(/^[A-Za-z0-9_.-]+$/)
          .optional(),
      }),
    )
    .default([]),
});

/** Secrets of claimed infrastructure, loaded whole as env vars. */
export const connectionSecretsField = (zImpl: typeof z) =>
  zImpl
    .array(kubernetesName(zImpl, 'connection secret'))
    .default([])
    .describe(
      'Secrets of claimed infrastructure (e.g. payments-db-connection) to load as env vars',
    );

/** What services and jobs share, as parsed: what the checks and builders read. */
export type WorkloadSpec = {
  name: string;
  owner: string;
  system?: string;
  environment: string;
  namespace: string;
  image: string;
  allowImageTag: boolean;
  tier: Tier;
  resources?: { requests: ResourceAmounts; limits: ResourceAmounts };
  env: Record<string, string>;
  secrets: Array<{ env: string; key: string; property?: string }>;
  connectionSecrets: string[];
};

function checkAmounts(
  label: string,
  amounts: ResourceAmounts,
  max: ResourceAmounts,
  maxLabel: string,
  problems: string[],
) {
  const cpu = parseCpu(amounts.cpu);
  const memory = parseMemory(amounts.memory);
  if (cpu === undefined)
    problems.push(
      `${label}.cpu: ${JSON.stringify(
        amounts.cpu,
      )} is not a CPU quantity such as 250m or 1`,
    );
  else if (cpu > parseCpu(max.cpu)!)
    problems.push(
      `${label}.cpu: ${amounts.cpu} is above ${maxLabel} ${max.cpu}`,
    );
  if (memory === undefined)
    problems.push(
      `${label}.memory: ${JSON.stringify(
        amounts.memory,
      )} is not a memory quantity such as 256Mi`,
    );
  else if (memory > parseMemory(max.memory)!)
    problems.push(
      `${label}.memory: ${amounts.memory} is above ${maxLabel} ${max.memory}`,
    );
}

/** The image pinning rule: the image is checked first. */
function checkImage(
  spec: WorkloadSpec,
  problems: string[],
  warnings: string[],
) {
  if (IMAGE_BY_DIGEST.test(spec.image)) return;
  if (spec.allowImageTag && IMAGE_BY_TAG.test(spec.image)) {
    warnings.push(
      `image ${spec.image} is pinned by tag, not by digest: a tag can move under a running service`,
    );
  } else if (spec.allowImageTag) {
    problems.push(
      `image: ${JSON.stringify(
        spec.image,
      )} is neither REPOSITORY@sha256:DIGEST nor REPOSITORY:TAG`,
    );
  } else {
    problems.push(
      `image: ${JSON.stringify(
        spec.image,
      )} must be pinned by digest (REPOSITORY@sha256:DIGEST); set allowImageTag to accept a tag`,
    );
  }
}

/** Resource overrides: requests within limits, limits within the platform's bounds. */
function checkResources(
  spec: WorkloadSpec,
  policy: PlatformPolicy,
  problems: string[],
) {
  if (!spec.resources) return;
  checkAmounts(
    'resources.requests',
    spec.resources.requests,
    spec.resources.limits,
    'its limit of',
    problems,
  );
  checkAmounts(
    'resources.limits',
    spec.resources.limits,
    policy.bounds.maxLimits,
    "the platform's maximum of",
    problems,
  );
}

/** No env var set twice, as a value and a secret or as two secrets. */
function checkEnvNames(spec: WorkloadSpec, problems: string[]) {
  const envNames = [...Object.keys(spec.env), ...spec.secrets.map(s => s.env)];
  const duplicate = envNames.find((n, i) => envNames.indexOf(n) !== i);
  if (duplicate)
    problems.push(
      `env: ${duplicate} is set twice (as a value and a secret, or twice as a secret)`,
    );
}

/**
 * Checks a workload spec against its schema and the platform's bounds: the
 * image, then what is the kind's own (`check`), then resources and env vars.
 * Every problem is named with its field, e.g. "Invalid service spec: name:
 * ..."; warnings (an image by tag that was explicitly allowed) are returned
 * for the run to report.
 */
export function parseWorkloadSpec<T extends z.ZodType<WorkloadSpec, any, any>>(
  schema: T,
  what: string,
  input: unknown,
  policy: PlatformPolicy,
  check: (spec: z.output<T>, problems: string[]) => void,
): { spec: z.output<T>; warnings: string[] } {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      issue => `${issue.path.join('.') || 'spec'}: ${issue.message}`,
    );
    throw new InputError(`Invalid ${what} spec: ${problems.join('; ')}`);
  }
  const spec = parsed.data;
  const problems: string[] = [];
  const warnings: string[] = [];

  checkImage(spec, problems, warnings);
  check(spec, problems);
  checkResources(spec, policy, problems);
  checkEnvNames(spec, problems);

  if (problems.length) {
    throw new InputError(`Invalid ${what} spec: ${problems.join('; ')}`);
  }
  return { spec, warnings };
}
