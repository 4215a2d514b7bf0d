import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';

/** What a template tells CausewayServicePlan to show (its ui:options). */
export type ServicePlanOptions = {
  /** Where the source repository is created, e.g. "git.causeway.internal". */
  host?: string;
  /** The environment, when no form value gives it. */
  environment?: string;
  /** The form value holding the environment. */
  environmentFrom?: string;
  /** The Kubernetes namespace, when no form value gives it. */
  namespace?: string;
  /**
   * The form value holding the namespace; an entity ref gives its name, so
   * `namespaceFrom: owner` puts group:default/payments-team in payments-team.
   */
  namespaceFrom?: string;
  /** The objects written to the GitOps folder, e.g. Deployment, Service. */
  objects?: string[];
  /**
   * Claims, each listed when the form has a value of that name (e.g.
   * `database: small`) or a value equal to it (e.g. `infrastructure:
   * PostgreSQLInstance`). In the text NAME stands for the service's name and
   * VALUE for the form value.
   */
  claims?: Record<string, string>;
};

/** The plan as the field's value: one line each, keyed for the Review step. */
export type ServicePlanValue = Record<string, string>;

/** The lines in order: key of the value (Review shows it), label in the field. */
export const PLAN_LINES = [
  { key: 'sourceRepository', label: 'Source repository' },
  { key: 'gitopsFolder', label: 'GitOps folder' },
  { key: 'kubernetesObjects', label: 'Kubernetes objects' },
  { key: 'claims', label: 'Claims' },
  { key: 'catalogEntity', label: 'Catalog entity' },
] as const;

const isSet = (value: unknown) =>
  value !== undefined &&
  value !== null &&
  value !== false &&
  value !== '' &&
  value !== 'none';

function humanizeRef(value: string, defaultKind: string) {
  try {
    return humanizeEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
      { defaultKind },
    );
  } catch {
    return value;
  }
}

/** `group:default/payments-team` gives payments-team; other text stays. */
function refName(value: string) {
  try {
    return value.includes(':') ? parseEntityRef(value).name : value;
  } catch {
    return value;
  }
}

/** What the template run will create, from the form's values so far. */
export function servicePlan(
  formData: Record<string, unknown>,
  options: ServicePlanOptions,
): ServicePlanValue {
  const formValue = (key: string | undefined) =>
    key !== undefined && isSet(formData[key])
      ? String(formData[key])
      : undefined;
  const place = (from: string | undefined, fixed: string | undefined) => {
    const value = formValue(from);
    return value ? refName(value) : fixed;
  };
  const name = formValue('name') ?? '<name>';
  const owner = formValue('owner');
  const system = formValue('system');
  const environment =
    place(options.environmentFrom, options.environment) ?? '<environment>';
  const namespace =
    place(options.namespaceFrom, options.namespace) ?? '<namespace>';

  const plan: ServicePlanValue = {
    sourceRepository: options.host ? `${name} on ${options.host}` : name,
    gitopsFolder: `apps/${environment}/${namespace}/${name}/`,
  };
  if (options.objects?.length) {
    plan.kubernetesObjects = options.objects.join(', ');
  }
  const formValues = Object.values(formData).filter(isSet).map(String);
  const claims = Object.entries(options.claims ?? {}).flatMap(
    ([trigger, text]) => {
      const value =
        formValue(trigger) ??
        formValues.find(candidate => candidate === trigger);
      return value
        ? [text.replace(/\bNAME\b/g, name).replace(/\bVALUE\b/g, value)]
        : [];
    },
  );
  if (claims.length > 0) {
    plan.claims = claims.join('; ');
  }
  plan.catalogEntity = [
    `component:default/${name}`,
    owner && `owned by ${humanizeRef(owner, 'group')}`,
    system && `in ${humanizeRef(system, 'system')}`,
  ]
    .filter(Boolean)
    .join(' ');
  return plan;
}
