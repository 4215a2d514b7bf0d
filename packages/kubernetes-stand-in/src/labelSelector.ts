/** A label selector that did not parse; the server answers 400 BadRequest. */
export class InvalidSelector extends Error {
  name = 'InvalidSelector';
}

type Labels = Record<string, string> | undefined;
type Requirement = (labels: Labels) => boolean;

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on the commas that join terms, not those inside `in (a,b)`. */
function terms(selector: string): string[] {
  const result: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === ',' && depth === 0) {
      result.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  result.push(selector.slice(start));
  return result.map(t => t.trim());
}

function key(term: string, text: string): string {
  if (!KEY.test(text)) {
    throw new InvalidSelector(
      `unable to parse requirement: invalid label key "${text}" in "${term}"`,
    );
  }
  return text;
}

function value(term: string, text: string): string {
  if (!VALUE.test(text)) {
    throw new InvalidSelector(
      `unable to parse requirement: invalid label value "${text}" in "${term}"`,
    );
  }
  return text;
}

function requirement(term: string): Requirement {
  const setBased = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (setBased) {
    const k = key(term, setBased[1]);
    const values = new Set(
      setBased[3].split(',').map(v => value(term, v.trim())),
    );
    return setBased[2] === 'in'
      ? labels => labels?.[k] !== undefined && values.has(labels[k])
      : labels => labels?.[k] === undefined || !values.has(labels[k]);
  }
  const equality = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (equality) {
    const k = key(term, equality[1]);
    const v = value(term, equality[3]);
    // != also matches objects without the label, as in Kubernetes.
    return equality[2] === '!='
      ? labels => labels?.[k] !== v
      : labels => labels?.[k] === v;
  }
  if (term.startsWith('!')) {
    const k = key(term, term.slice(1).trim());
    return labels => labels?.[k] === undefined;
  }
  const k = key(term, term);
  return labels => labels?.[k] !== undefined;
}

/**
 * Parses a labelSelector query parameter as kube-apiserver does: equality
 * (`a=b`, `a==b`, `a!=b`), set-based (`a in (b,c)`, `a notin (b)`) and
 * existence (`a`, `!a`) terms joined by commas, all of which must match.
 * An empty selector matches everything.
 */
export function parseLabelSelector(
  selector: string | null | undefined,
): (labels: Labels) => boolean {
  if (!selector?.trim()) return () => true;
  const requirements = terms(selector).map(term => {
    if (!term) {
      throw new InvalidSelector(
        `unable to parse requirement: empty term in "${selector}"`,
      );
    }
    return requirement(term);
  });
  return labels => requirements.every(r => r(labels));
}
