import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
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
  /**
   * Other form values the plan lists, each under its label, in this order,
   * e.g. `{ tier: Tier, docsUrl: Documentation }`; unset ones are left out.
   */
  details?: Record<string, string>;
};

/**
 * The plan as the field's value: one line each, keyed by the label the user
 * reads, in order. The scaffolder's Review step shows it as it is, so it is
 * the form's one summary (the templates hide the raw values from Review).
 */
export type ServicePlanValue = Record<string, string>;

/** Display names of entity refs (e.g. group:default/payments-team: Payments Team). */
export type EntityTitles = Record<string, string>;

const isSet = (value: unknown) =>
  value !== undefined &&
  value !== null &&
  value !== false &&
  value !== '' &&
  value !== 'none';

/** The entity's ref as the catalog keys it, or undefined for other text. */
export function entityRefOf(value: string, defaultKind: string) {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    return undefined;
  }
}

/** Its display name when known, else its name (payments-team), else the text. */
function refTitle(value: string, defaultKind: string, titles: EntityTitles) {
  const ref = entityRefOf(value, defaultKind);
  if (!ref) return value;
  return (
    titles[ref] ??
    humanizeEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
      { defaultKind },
    )
  );
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
  titles: EntityTitles = {},
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
    'Source repository': options.host ? `${name} on ${options.host}` : name,
    'GitOps folder': `apps/${environment}/${namespace}/${name}/`,
  };
  if (options.objects?.length) {
    plan['Kubernetes objects'] = options.objects.join(', ');
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
    plan.Claims = claims.join('; ');
  }
  plan['Catalog entity'] = [
    `component:default/${name}`,
    owner && `owned by ${refTitle(owner, 'group', titles)}`,
    system && `in ${refTitle(system, 'system', titles)}`,
  ]
    .filter(Boolean)
    .join(' ');
  for (const [key, label] of Object.entries(options.details ?? {})) {
    const value = formValue(key);
    if (value) plan[label] = value;
  }
  return plan;
}
