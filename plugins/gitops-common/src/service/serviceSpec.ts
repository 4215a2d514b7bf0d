import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';
import {
  parseCpu,
  parseMemory,
  PlatformPolicy,
  ResourceAmounts,
  TIERS,
} from './platformPolicy';

/** A Kubernetes name (RFC 1123 label): what names, namespaces and environments must be. */
export const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const kubernetesName = (zImpl: typeof z, what: string) =>
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
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The service spec's schema, built with a given zod: the scaffolder hands its
 * actions their own zod instance, and this keeps one definition for both.
 */
export const makeServiceSpecSchema = (zImpl: typeof z) => {
  const resourceAmounts = zImpl.object({
    cpu: zImpl.string(),
    memory: zImpl.string(),
  });
  return zImpl.object({
    name: kubernetesName(zImpl, 'name'),
    owner: kubernetesName(zImpl, 'owner'),
    system: kubernetesName(zImpl, 'system').optional(),
    environment: kubernetesName(zImpl, 'environment'),
    namespace: kubernetesName(zImpl, 'namespace'),
    image: zImpl.string().min(1, 'image is required'),
    allowImageTag: zImpl.boolean().default(false),
    port: zImpl.number().int().min(1).max(65535),
    tier: zImpl.enum(TIERS),
    replicas: zImpl
      .object({
        min: zImpl.number().int().min(1),
        max: zImpl.number().int().min(1),
      })
      .optional(),
    resources: zImpl
      .object({ requests: resourceAmounts, limits: resourceAmounts })
      .optional(),
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
    callers: zImpl
      .array(
        zImpl.object({
          namespace: kubernetesName(zImpl, 'caller namespace'),
          app: kubernetesName(zImpl, 'caller app'),
        }),
      )
      .default([]),
    ingressHost: zImpl
      .string()
      .regex(
        HOSTNAME,
        'ingressHost must be a DNS name such as payments.example.com',
      )
      .optional(),
    newNamespace: zImpl.boolean().default(false),
    connectionSecrets: zImpl
      .array(kubernetesName(zImpl, 'connection secret'))
      .default([])
      .describe(
        'Secrets of claimed infrastructure (e.g. payments-db-connection) to load as env vars',
      ),
  });
};

export const serviceSpecSchema = makeServiceSpecSchema(z);

export type ServiceSpecInput = z.input<typeof serviceSpecSchema>;
export type ServiceSpec = z.output<typeof serviceSpecSchema>;

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

/**
 * Checks a service spec against its schema and the platform's bounds. Every
 * problem is named with its field; warnings (an image by tag that was
 * explicitly allowed) are returned for the run to report.
 */
export function parseServiceSpec(
  input: unknown,
  policy: PlatformPolicy,
): { spec: ServiceSpec; warnings: string[] } {
  const parsed = serviceSpecSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      issue => `${issue.path.join('.') || 'spec'}: ${issue.message}`,
    );
    throw new InputError(`Invalid service spec: ${problems.join('; ')}`);
  }
  const spec = parsed.data;
  const problems: string[] = [];
  const warnings: string[] = [];

  if (!IMAGE_BY_DIGEST.test(spec.image)) {
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
  if (spec.replicas) {
    if (spec.replicas.min > spec.replicas.max)
      problems.push(
        `replicas: min ${spec.replicas.min} is above max ${spec.replicas.max}`,
      );
    if (spec.replicas.max > policy.bounds.maxReplicas)
      problems.push(
        `replicas.max: ${spec.replicas.max} is above the platform's maximum of ${policy.bounds.maxReplicas}`,
      );
  }
  if (spec.resources) {
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
  const envNames = [...Object.keys(spec.env), ...spec.secrets.map(s => s.env)];
  const duplicate = envNames.find((n, i) => envNames.indexOf(n) !== i);
  if (duplicate)
    problems.push(
      `env: ${duplicate} is set twice (as a value and a secret, or twice as a secret)`,
    );

  if (problems.length) {
    throw new InputError(`Invalid service spec: ${problems.join('; ')}`);
  }
  return { spec, warnings };
}
