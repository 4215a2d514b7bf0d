import type { JsonSchema } from '../../api/GoldenPathsClient';

export type ClaimParametersValue = Record<string, unknown>;

/** How one parameter is asked for, from its schema. */
export type ParameterInput = {
  key: string;
  /** The schema's title, else the name in words: storageGB gives "Storage GB". */
  label: string;
  description?: string;
  required: boolean;
  schema: JsonSchema;
  control: 'select' | 'number' | 'switch' | 'text';
};

/** storageGB gives "Storage GB", highAvailability "High availability". */
export function labelOf(key: string): string {
  const words = key.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? [key];
  const text = words
    .map(word => (/^[A-Z0-9]{2,}$/.test(word) ? word : word.toLowerCase()))
    .join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function controlOf(schema: JsonSchema): ParameterInput['control'] {
  if (Array.isArray(schema.enum)) return 'select';
  if (schema.type === 'integer' || schema.type === 'number') return 'number';
  if (schema.type === 'boolean') return 'switch';
  return 'text';
}

/**
 * One input per parameter of the platform API, in the schema's order.
 * Objects and arrays have no input: the claim takes their defaults.
 */
export function parameterInputs(parameters: JsonSchema): ParameterInput[] {
  const required = new Set(parameters.required ?? []);
  return Object.entries(parameters.properties ?? {})
    .filter(([, schema]) => !['object', 'array'].includes(String(schema.type)))
    .map(([key, schema]) => ({
      key,
      label: schema.title ?? labelOf(key),
      description: schema.description,
      required: required.has(key),
      schema,
      control: controlOf(schema),
    }));
}

/** The value with every default the schema has filled in. */
export function withDefaults(
  parameters: JsonSchema,
  value: ClaimParametersValue = {},
): ClaimParametersValue {
  const defaults = Object.entries(parameters.properties ?? {}).filter(
    ([, schema]) => schema.default !== undefined,
  );
  return {
    ...Object.fromEntries(defaults.map(([key, s]) => [key, s.default])),
    ...value,
  };
}

/** What breaks the parameter's schema, naming it; undefined when fine. */
export function parameterProblem(
  input: ParameterInput,
  value: unknown,
): string | undefined {
  const { label, schema } = input;
  if (value === undefined || value === '') {
    return input.required ? `${label} is required` : undefined;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    return `${label} must be one of ${schema.enum.join(', ')}`;
  }
  if (input.control === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return `${label} must be a number`;
    }
    if (schema.type === 'integer' && !Number.isInteger(value)) {
      return `${label} must be a whole number`;
    }
    if (schema.minimum !== undefined && value < schema.minimum) {
      return `${label} must be at least ${schema.minimum}`;
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      return `${label} must be at most ${schema.maximum}`;
    }
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      return `${label} must have at least ${schema.minLength} characters`;
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      return `${label} must have at most ${schema.maxLength} characters`;
    }
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) {
      return `${label} must match ${schema.pattern}`;
    }
  }
  return undefined;
}

/** Every parameter's problem, by parameter. */
export function parameterProblems(
  parameters: JsonSchema,
  value: ClaimParametersValue = {},
): Record<string, string> {
  return Object.fromEntries(
    parameterInputs(parameters).flatMap(input => {
      const problem = parameterProblem(input, value[input.key]);
      return problem ? [[input.key, problem]] : [];
    }),
  );
}

/** The help under an input: its description and its bounds. */
export function helpOf(input: ParameterInput): string | undefined {
  const { minimum, maximum } = input.schema;
  let bounds: string | undefined;
  if (minimum !== undefined && maximum !== undefined) {
    bounds = `From ${minimum} to ${maximum}.`;
  } else if (minimum !== undefined) {
    bounds = `At least ${minimum}.`;
  } else if (maximum !== undefined) {
    bounds = `At most ${maximum}.`;
  }
  return [input.description, bounds].filter(Boolean).join(' ') || undefined;
}

/** The platform API of that claim kind; fails naming the ones there are. */
export function findPlatformApi<T extends { kind: string }>(
  apis: T[],
  kind: string | undefined,
): T {
  const api = apis.find(a => a.kind === kind);
  if (!api) {
    throw new Error(
      `The platform offers no ${kind ?? '(no ui:options.kind)'}; it offers ${
        apis
          .map(a => a.kind)
          .sort()
          .join(', ') || 'nothing'
      }`,
    );
  }
  return api;
}
