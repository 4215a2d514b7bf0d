import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';

/** What a template tells CausewayServicePlan to show (its ui:options). */
export type ServicePlanOptions = {
  /** Where the source repository is created, e.g. "git.causeway.internal". */
  host?: string;
  /** The environment, when the form does not ask for it. */
  environment?: string;
  /** The Kubernetes namespace, when the form does not ask for it. */
  namespace?: string;
  /**
   * Which form values hold the name, owner, system, environment and
   * namespace; by default the values of those same names.
   */
  from?: Partial<Record<PlanInput, string>>;
  /** The objects written to the GitOps folder, e.g. Deployment, Service. */
  objects?: string[];
  /**
   * Form value name to the claim it causes when set (not empty, false or
   * "none"); `{value}` stands for the value, e.g.
   * `database: 'a PostgreSQL database ({value}), PostgreSQLInstance claim'`.
   */
  claims?: Record<string, string>;
};

type PlanInput = 'name' | 'owner' | 'system' | 'environment' | 'namespace';

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

/** What the template run will create, from the form's values so far. */
export function servicePlan(
  formData: Record<string, unknown>,
  options: ServicePlanOptions,
): ServicePlanValue {
  const input = (key: PlanInput) => {
    const value = formData[options.from?.[key] ?? key];
    if (isSet(value)) return String(value);
    const fixed = key === 'environment' || key === 'namespace';
    return (fixed && options[key]) || undefined;
  };
  const name = input('name') ?? '<name>';
  const owner = input('owner');
  const system = input('system');

  const plan: ServicePlanValue = {
    sourceRepository: options.host ? `${name} on ${options.host}` : name,
    gitopsFolder: `apps/${input('environment') ?? '<environment>'}/${
      input('namespace') ?? '<namespace>'
    }/${name}/`,
  };
  if (options.objects?.length) {
    plan.kubernetesObjects = options.objects.join(', ');
  }
  const claims = Object.entries(options.claims ?? {})
    .filter(([key]) => isSet(formData[key]))
    .map(([key, text]) => text.split('{value}').join(String(formData[key])));
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
