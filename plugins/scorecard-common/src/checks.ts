import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { Level, LEVELS } from './levels';
import { isSafeLink } from './links';
import { regexProblem } from './regexSafety';
import {
  FactDefinition,
  OPERATOR_FACT_TYPES,
  Operator,
  OPERATORS,
  Rule,
} from './rules';

/** Which entities a check is about; each listed field must match. */
export type EntitySelector = {
  kind?: string[];
  type?: string[];
  lifecycle?: string[];
  tags?: string[];
};

/** What a check selector is matched against. */
export type EntitySubject = {
  kind: string;
  type?: string;
  lifecycle?: string;
  tags?: string[];
};

export type CheckDefinition = {
  id: string;
  title: string;
  description: string;
  level: Level;
  appliesTo: EntitySelector;
  /** Facts that make the check relevant, e.g. "has a database claim". */
  when?: Rule;
  rule: Rule;
  fix: { text: string; link?: string };
  /** Where the check is defined. */
  source: { file: string; line: number };
};

export type CheckFileProblem = { file: string; line: number; message: string };

const list = z
  .union([z.string(), z.array(z.string())])
  .transform(v => (Array.isArray(v) ? v : [v]));

const checkSchema = z.strictObject({
  id: z
    .string()
    .regex(
      /^[a-z0-9]+(-[a-z0-9]+)*$/,
      'an id is lowercase words joined by "-"',
    ),
  title: z.string().min(1),
  description: z.string().min(1),
  level: z.enum(LEVELS),
  appliesTo: z
    .strictObject({
      kind: list.optional(),
      type: list.optional(),
      lifecycle: list.optional(),
      tags: list.optional(),
    })
    .default({}),
  when: z.unknown().optional(),
  rule: z.unknown().refine(v => v !== undefined, 'a check needs a rule'),
  fix: z.strictObject({
    text: z.string().min(1),
    link: z
      .string()
      .min(1)
      .refine(isSafeLink, {
        error: issue =>
          `"${issue.input}" is not a link users may be sent to: use an http(s) URL or a path in the portal starting with /`,
      })
      .optional(),
  }),
});

export function selectorMatches(
  selector: EntitySelector,
  subject: EntitySubject,
): boolean {
  const has = (allowed: string[] | undefined, value: string | undefined) =>
    !allowed ||
    (value !== undefined &&
      allowed.some(a => a.toLowerCase() === value.toLowerCase()));
  return (
    has(selector.kind, subject.kind) &&
    has(selector.type, subject.type) &&
    has(selector.lifecycle, subject.lifecycle) &&
    (!selector.tags || selector.tags.some(t => subject.tags?.includes(t)))
  );
}

type Path = Array<string | number>;
type RuleProblem = { path: Path; message: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = current;
    }
  }
  return row[b.length];
}

function unknownFact(name: string, facts: ReadonlyMap<string, FactDefinition>) {
  let best: string | undefined;
  let bestDistance = 4;
  for (const known of facts.keys()) {
    const d = distance(name, known);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return `unknown fact "${name}"${best ? ` (did you mean "${best}"?)` : ''}`;
}

function valueProblem(op: Operator, value: unknown): string | undefined {
  switch (op) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typeof value === 'number' ? undefined : `${op} needs a number`;
    case 'in':
    case 'notIn':
      return Array.isArray(value) &&
        value.every(v => typeof v === 'string' || typeof v === 'number')
        ? undefined
        : `${op} needs a list of strings or numbers`;
    case 'contains':
      return typeof value === 'string' ? undefined : 'contains needs a string';
    case 'matches': {
      if (typeof value !== 'string')
        return 'matches needs a regular expression';
      try {
        RegExp(value);
      } catch (error) {
        return `matches: ${(error as Error).message}`;
      }
      // Facts hold strings users write (annotations, file contents).
      const unsafe = regexProblem(value);
      return unsafe && `the pattern "${value}" ${unsafe}`;
    }
    case 'exists':
      return typeof value === 'boolean'
        ? undefined
        : 'exists needs true or false';
    default:
      return ['string', 'number', 'boolean'].includes(typeof value)
        ? undefined
        : `${op} needs a string, number or boolean`;
  }
}

function checkRule(
  node: unknown,
  path: Path,
  facts: ReadonlyMap<string, FactDefinition>,
  out: RuleProblem[],
): void {
  if (!isObject(node)) {
    out.push({
      path,
      message: 'a rule is {fact, <operator>: value} or all, any or not',
    });
    return;
  }
  for (const group of ['all', 'any'] as const) {
    if (group in node) {
      const parts = node[group];
      if (Object.keys(node).length > 1) {
        out.push({
          path,
          message: `${group} cannot be combined with other keys`,
        });
      } else if (!Array.isArray(parts) || parts.length === 0) {
        out.push({
          path: [...path, group],
          message: `${group} needs a list of rules`,
        });
      } else {
        parts.forEach((p, i) => checkRule(p, [...path, group, i], facts, out));
      }
      return;
    }
  }
  if ('not' in node) {
    if (Object.keys(node).length > 1) {
      out.push({ path, message: 'not cannot be combined with other keys' });
    } else {
      checkRule(node.not, [...path, 'not'], facts, out);
    }
    return;
  }
  if (typeof node.fact !== 'string') {
    out.push({ path, message: 'a comparison needs a fact name' });
    return;
  }
  const definition = facts.get(node.fact);
  if (!definition) {
    out.push({
      path: [...path, 'fact'],
      message: unknownFact(node.fact, facts),
    });
    return;
  }
  const keys = Object.keys(node).filter(k => k !== 'fact');
  const unknown = keys.find(k => !(OPERATORS as readonly string[]).includes(k));
  if (unknown) {
    out.push({
      path: [...path, unknown],
      message: `unknown operator "${unknown}"; use one of ${OPERATORS.join(
        ', ',
      )}`,
    });
    return;
  }
  if (keys.length !== 1) {
    out.push({
      path,
      message: `a comparison on ${node.fact} needs exactly one operator, not ${keys.length}`,
    });
    return;
  }
  const op = keys[0] as Operator;
  const problem = valueProblem(op, node[op]);
  const types = OPERATOR_FACT_TYPES[op];
  if (problem) {
    out.push({ path: [...path, op], message: problem });
  } else if (types && !types.includes(definition.type)) {
    out.push({
      path: [...path, op],
      message: `${op} cannot compare ${node.fact}, which is a ${definition.type}`,
    });
  }
}

/**
 * Reads a check file (YAML with a list under `checks:`). Every problem is
 * reported with the file, the line and the reason; the checks without
 * problems are returned, so one bad check does not stop the others.
 */
export function parseCheckFile(
  content: string,
  file: string,
  facts: ReadonlyMap<string, FactDefinition>,
): { checks: CheckDefinition[]; problems: CheckFileProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    return {
      checks: [],
      problems: doc.errors.map(e => ({
        file,
        line: lineCounter.linePos(e.pos[0]).line,
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  const lineOf = (path: Path): number => {
    for (let p = path; ; p = p.slice(0, -1)) {
      const node = doc.getIn(p, true) as { range?: [number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
      if (p.length === 0) return 1;
    }
  };
  const data = doc.toJS() as { checks?: unknown } | null;
  if (!isObject(data) || !Array.isArray(data.checks)) {
    return {
      checks: [],
      problems: [
        { file, line: 1, message: 'a check file holds a list under "checks:"' },
      ],
    };
  }

  const checks: CheckDefinition[] = [];
  const problems: CheckFileProblem[] = [];
  data.checks.forEach((raw, i) => {
    const at = ['checks', i];
    const name =
      isObject(raw) && typeof raw.id === 'string' ? raw.id : `#${i + 1}`;
    const parsed = checkSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const where = issue.path.map(String);
        problems.push({
          file,
          line: lineOf([...at, ...where]),
          message: `check ${name}: ${where.join('.') || 'check'}: ${
            issue.message
          }`,
        });
      }
      return;
    }
    const ruleProblems: RuleProblem[] = [];
    checkRule(parsed.data.rule, [...at, 'rule'], facts, ruleProblems);
    if (parsed.data.when !== undefined) {
      checkRule(parsed.data.when, [...at, 'when'], facts, ruleProblems);
    }
    if (ruleProblems.length) {
      for (const p of ruleProblems) {
        problems.push({
          file,
          line: lineOf(p.path),
          message: `check ${name}: ${p.path.slice(2).join('.')}: ${p.message}`,
        });
      }
      return;
    }
    checks.push({
      ...parsed.data,
      when: parsed.data.when as Rule | undefined,
      rule: parsed.data.rule as Rule,
      source: { file, line: lineOf(at) },
    });
  });
  return { checks, problems };
}
