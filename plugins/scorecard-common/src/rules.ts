/** A fact's value as providers report it. */
export type FactValue = string | number | boolean | string[] | null;

/** The facts known about one entity, by fact name (e.g. gitops.replicas). */
export type Facts = Readonly<Record<string, FactValue | undefined>>;

export type FactType = 'string' | 'number' | 'boolean' | 'string[]';

/** What a fact provider says it reports; check files are checked against it. */
export type FactDefinition = {
  /** Namespaced by provider: catalog.*, gitops.*, source.*, cluster.* */
  name: string;
  type: FactType;
  description: string;
};

/** A comparison of one fact with a value. */
export type Comparison = {
  fact: string;
  equals?: string | number | boolean;
  notEquals?: string | number | boolean;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  /** The fact is one of these values. */
  in?: Array<string | number>;
  notIn?: Array<string | number>;
  /** The fact (a list) contains this value. */
  contains?: string;
  /** The fact (a string) matches this regular expression. */
  matches?: string;
  /** The fact has a value (true) or has none (false). */
  exists?: boolean;
};

export type Rule =
  | Comparison
  | { all: Rule[] }
  | { any: Rule[] }
  | { not: Rule };

export const OPERATORS = [
  'equals',
  'notEquals',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'notIn',
  'contains',
  'matches',
  'exists',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** The fact types each operator can compare; undefined means any. */
export const OPERATOR_FACT_TYPES: Record<Operator, FactType[] | undefined> = {
  equals: ['string', 'number', 'boolean'],
  notEquals: ['string', 'number', 'boolean'],
  gt: ['number'],
  gte: ['number'],
  lt: ['number'],
  lte: ['number'],
  in: ['string', 'number'],
  notIn: ['string', 'number'],
  contains: ['string[]'],
  matches: ['string'],
  exists: undefined,
};

/** A rule compiled once, then run over many entities' facts. */
export type CompiledRule = (facts: Facts) => boolean;

function compileComparison(c: Comparison): CompiledRule {
  const op = OPERATORS.find(o => c[o] !== undefined);
  const name = c.fact;
  switch (op) {
    case 'equals':
      return f => f[name] === c.equals;
    case 'notEquals':
      return f =>
        f[name] !== undefined && f[name] !== null && f[name] !== c.notEquals;
    case 'gt':
      return f => typeof f[name] === 'number' && (f[name] as number) > c.gt!;
    case 'gte':
      return f => typeof f[name] === 'number' && (f[name] as number) >= c.gte!;
    case 'lt':
      return f => typeof f[name] === 'number' && (f[name] as number) < c.lt!;
    case 'lte':
      return f => typeof f[name] === 'number' && (f[name] as number) <= c.lte!;
    case 'in': {
      const set = new Set<unknown>(c.in);
      return f => set.has(f[name]);
    }
    case 'notIn': {
      const set = new Set<unknown>(c.notIn);
      return f =>
        f[name] !== undefined && f[name] !== null && !set.has(f[name]);
    }
    case 'contains':
      return f =>
        Array.isArray(f[name]) && (f[name] as string[]).includes(c.contains!);
    case 'matches': {
      const re = new RegExp(c.matches!);
      return f => typeof f[name] === 'string' && re.test(f[name] as string);
    }
    case 'exists':
      return f => (f[name] !== undefined && f[name] !== null) === c.exists;
    default:
      throw new Error(`Comparison on ${name} has no operator`);
  }
}

/** Compiles a rule; assumes it was checked by parseCheckFile. */
export function compileRule(rule: Rule): CompiledRule {
  if ('all' in rule) {
    const parts = rule.all.map(compileRule);
    return f => parts.every(p => p(f));
  }
  if ('any' in rule) {
    const parts = rule.any.map(compileRule);
    return f => parts.some(p => p(f));
  }
  if ('not' in rule) {
    const inner = compileRule(rule.not);
    return f => !inner(f);
  }
  return compileComparison(rule);
}

/** Every fact a rule reads, in order of first use. */
export function ruleFacts(rule: Rule, into: string[] = []): string[] {
  if ('all' in rule) rule.all.forEach(r => ruleFacts(r, into));
  else if ('any' in rule) rule.any.forEach(r => ruleFacts(r, into));
  else if ('not' in rule) ruleFacts(rule.not, into);
  else if (!into.includes(rule.fact)) into.push(rule.fact);
  return into;
}
