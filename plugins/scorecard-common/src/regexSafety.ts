/** The longest pattern a `matches` rule may hold. */
export const MAX_PATTERN_LENGTH = 500;

type Group = {
  /** A quantifier inside the group (at any depth), e.g. the + of (a+). */
  quantified: boolean;
  /** An alternative at the group's own level, e.g. the | of (a|ab). */
  alternation: boolean;
};

/**
 * Why a `matches` pattern could take exponential time on strings users
 * control (JavaScript's engine backtracks), or undefined when it cannot:
 * a repeated group that itself holds a quantifier ((a+)+, (\d?\d?)*), a
 * repeated group of alternatives ((a|ab)*), or a backreference. Patterns
 * that pass run in polynomial time; one longer than MAX_PATTERN_LENGTH is
 * refused as well. Assumes the pattern compiles.
 */
export function regexProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  }
  const stack: Group[] = [{ quantified: false, alternation: false }];
  /** The group just closed, which a quantifier after it repeats. */
  let closed: Group | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const top = stack[stack.length - 1];
    const justClosed = closed;
    closed = undefined;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<')) {
        return 'uses a backreference, which can take exponential time';
      }
      i++;
    } else if (c === '[') {
      // A class is one token: skip to its end, escapes included.
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) {
        if (pattern[i] === '\\') i++;
      }
    } else if (c === '(') {
      stack.push({ quantified: false, alternation: false });
      // (?:, (?=, (?!, (?<=, (?<!, (?<name>: not a quantifier after all.
      if (pattern[i + 1] === '?') i++;
    } else if (c === ')') {
      const group = stack.pop()!;
      const parent = stack[stack.length - 1];
      parent.quantified ||= group.quantified;
      closed = group;
    } else if (c === '|') {
      top.alternation = true;
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      let max = c === '?' ? 1 : Infinity;
      let fixed = false;
      if (c === '{') {
        const bounds = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
        // Not a quantifier: "{" as a character.
        if (!bounds) continue;
        fixed = bounds[2] === undefined;
        max = fixed ? Number(bounds[1]) : Number(bounds[3] || Infinity);
        i += bounds[0].length - 1;
      }
      // A lazy suffix is part of this quantifier.
      if (pattern[i + 1] === '?') i++;
      if (justClosed && max > 1) {
        if (justClosed.quantified) {
          return 'repeats a group that itself holds a quantifier (nested quantifiers, as in (a+)+), which can take exponential time';
        }
        if (justClosed.alternation) {
          return 'repeats a group of alternatives (as in (a|ab)*), which can take exponential time; repeat a character class instead';
        }
      }
      // A fixed count ({3}) matches one way; any other quantifier is a choice.
      if (!fixed) top.quantified = true;
    }
  }
  return undefined;
}
