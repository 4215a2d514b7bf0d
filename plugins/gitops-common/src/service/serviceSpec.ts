import { z } from 'zod/v3';
import {
  connectionSecretsField,
  envFields,
  kubernetesName,
  parseWorkloadSpec,
  resourcesField,
  workloadIdentityFields,
} from '../workload/workloadSpec';
import { PlatformPolicy, TIERS } from './platformPolicy';

export { IMAGE_BY_DIGEST, KUBERNETES_NAME } from '../workload/workloadSpec';

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The service spec's schema, built with a given zod: the scaffolder hands its
 * actions their own zod instance, and this keeps one definition for both.
 */
export const makeServiceSpecSchema = (zImpl: typeof z) =>
  zImpl.object({
    ...workloadIdentityFields(zImpl),
    port: zImpl.number().int().min(1).max(65535),
    tier: zImpl.enum(TIERS),
    replicas: zImpl
      .object({
        min: zImpl.number().int().min(1),
        max: zImpl.number().int().min(1),
      })
      .optional(),
    resources: resourcesField(zImpl),
    ...envFields(zImpl),
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
    connectionSecrets: connectionSecretsField(zImpl),
  });

export const serviceSpecSchema = makeServiceSpecSchema(z);

export type ServiceSpecInput = z.input<typeof serviceSpecSchema>;
export type ServiceSpec = z.output<typeof serviceSpecSchema>;

/**
 * Checks a service spec against its schema and the platform's bounds. Every
 * problem is named with its field; warnings (an image by tag that was
 * explicitly allowed) are returned for the run to report.
 */
export function parseServiceSpec(
  input: unknown,
  policy: PlatformPolicy,
): { spec: ServiceSpec; warnings: string[] } {
  return parseWorkloadSpec(
    serviceSpecSchema,
    'service',
    input,
    policy,
    (spec, problems) => {
      if (!spec.replicas) return;
      if (spec.replicas.min > spec.replicas.max)
        problems.push(
          `replicas: min ${spec.replicas.min} is above max ${spec.replicas.max}`,
        );
      if (spec.replicas.max > policy.bounds.maxReplicas)
        problems.push(
          `replicas.max: ${spec.replicas.max} is above the platform's maximum of ${policy.bounds.maxReplicas}`,
        );
    },
  );
}
