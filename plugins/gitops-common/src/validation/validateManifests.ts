import { InputError } from '@backstage/errors';
import type { ManifestFile } from '../service/buildServiceManifests';

// `never`: each model takes its own input type; we hand it plain data.
type Model = new (data: never) => { validate(): void };

/*
 * The schemas, by apiVersion and kind: Kubernetes' own OpenAPI schemas and
 * the CRD schemas of the operators the platform runs, as compiled by the
 * kubernetes-models packages. They ship as ES modules only, hence import().
 */
const models: Record<string, () => Promise<Model>> = {
  'apps/v1/Deployment': async () =>
    (await import('kubernetes-models/apps/v1/Deployment')).Deployment,
  'batch/v1/CronJob': async () =>
    (await import('kubernetes-models/batch/v1/CronJob')).CronJob,
  'v1/Service': async () =>
    (await import('kubernetes-models/v1/Service')).Service,
  'v1/Namespace': async () =>
    (await import('kubernetes-models/v1/Namespace')).Namespace,
  'v1/ResourceQuota': async () =>
    (await import('kubernetes-models/v1/ResourceQuota')).ResourceQuota,
  'v1/LimitRange': async () =>
    (await import('kubernetes-models/v1/LimitRange')).LimitRange,
  'autoscaling/v2/HorizontalPodAutoscaler': async () =>
    (await import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'))
      .HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': async () =>
    (await import('kubernetes-models/policy/v1/PodDisruptionBudget'))
      .PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': async () =>
    (await import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy'))
      .NetworkPolicy,
  'networking.k8s.io/v1/Ingress': async () =>
    (await import('kubernetes-models/networking.k8s.io/v1/Ingress')).Ingress,
  'rbac.authorization.k8s.io/v1/RoleBinding': async () =>
    (await import('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding'))
      .RoleBinding,
  'monitoring.coreos.com/v1/ServiceMonitor': async () =>
    (
      await import(
        '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'
      )
    ).ServiceMonitor,
  'external-secrets.io/v1/ExternalSecret': async () =>
    (
      await import(
        '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret'
      )
    ).ExternalSecret,
  'argoproj.io/v1alpha1/Application': async () =>
    (
      await import(
        '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application'
      )
    ).Application,
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
export async function findManifestProblems(
  files: ManifestFile[],
): Promise<ManifestProblem[]> {
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
    const load = models[`${apiVersion}/${kind}`];
    if (!load) {
      problems.push({
        object: describe(file),
        field: '/apiVersion',
        rule: `no schema is known for ${apiVersion} ${kind}`,
      });
      continue;
    }
    const Model = await load();
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
export async function validateManifests(files: ManifestFile[]): Promise<void> {
  const problems = await findManifestProblems(files);
  if (problems.length) {
    throw new InputError(
      `The rendered manifests are invalid: ${problems
        .map(p => `${p.object}: ${p.field} ${p.rule}`)
        .join('; ')}`,
    );
  }
}
