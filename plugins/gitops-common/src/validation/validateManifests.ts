import { InputError } from '@backstage/errors';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { ManifestFile } from '../service/buildServiceManifests';

// `never`: each model takes its own input type; we hand it plain data.
type Model = new (data: never) => { validate(): void };

/*
 * The schemas, by apiVersion and kind: Kubernetes' own OpenAPI schemas and
 * the CRD schemas of the operators the platform runs, as compiled validators
 * from the kubernetes-models packages. Offline and in-process.
 */
const models: Record<string, Model> = {
  'apps/v1/Deployment': Deployment,
  'batch/v1/CronJob': CronJob,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/ResourceQuota': ResourceQuota,
  'v1/LimitRange': LimitRange,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'external-secrets.io/v1beta1/ExternalSecret': ExternalSecret,
  'argoproj.io/v1alpha1/Application': Application,
};

export type ManifestProblem = {
  /** e.g. "Deployment payments/payment-service in apps/.../deployment.yaml" */
  object: string;
  /** JSON pointer of the field, e.g. /spec/template/spec/containers/0/ports/0/containerPort */
  field: string;
  /** The rule broken, e.g. "must be integer" */
  rule: string;
};

type SchemaError = {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
};

function describe(file: ManifestFile): string {
  const { kind, metadata } = file.object;
  const name = metadata.namespace
    ? `${metadata.namespace}/${metadata.name}`
    : metadata.name;
  return `${kind} ${name} in ${file.path}`;
}

/** Checks every object against the schema of its apiVersion and kind, offline. */
export function findManifestProblems(files: ManifestFile[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const paths = new Set(files.map(f => f.path));
  for (const file of files) {
    const { apiVersion, kind } = file.object;
    if (
      kind === 'Kustomization' &&
      apiVersion.startsWith('kustomize.config.k8s.io/')
    ) {
      // No API server schema: check that it lists files that are written.
      const dir = file.path.slice(0, file.path.lastIndexOf('/') + 1);
      for (const resource of (file.object.resources as string[]) ?? []) {
        if (!paths.has(`${dir}${resource}`)) {
          problems.push({
            object: describe(file),
            field: '/resources',
            rule: `lists ${resource}, which is not written`,
          });
        }
      }
      continue;
    }
    const Model = models[`${apiVersion}/${kind}`];
    if (!Model) {
      problems.push({
        object: describe(file),
        field: '/apiVersion',
        rule: `no schema is known for ${apiVersion} ${kind}`,
      });
      continue;
    }
    try {
      new Model(file.object as never).validate();
    } catch (error) {
      const errors: SchemaError[] = (error as { errors?: SchemaError[] })
        .errors ?? [{ instancePath: '', message: (error as Error).message }];
      for (const e of errors) {
        const extra = e.params?.additionalProperty
          ? ` (${e.params.additionalProperty})`
          : '';
        problems.push({
          object: describe(file),
          field: e.instancePath || '/',
          rule: `${e.message ?? 'is invalid'}${extra}`,
        });
      }
    }
  }
  return problems;
}

/** Throws an InputError naming each object, field and rule, when any is invalid. */
export function validateManifests(files: ManifestFile[]): void {
  const problems = findManifestProblems(files);
  if (problems.length) {
    throw new InputError(
      `The rendered manifests are invalid: ${problems
        .map(p => `${p.object}: ${p.field} ${p.rule}`)
        .join('; ')}`,
    );
  }
}
