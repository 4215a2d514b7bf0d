import { MAX_PATTERN_LENGTH, regexProblem } from './regexSafety';

describe('regexProblem', () => {
  it('passes the patterns readiness checks use', () => {
    for (const pattern of [
      '^ghcr\\.io/[a-z0-9-]+/[a-z0-9-]+@sha256:[0-9a-f]{64}$',
      '^(main|master)$',
      '^v\\d+\\.\\d+\\.\\d+$',
      '(?:https?://)?example\\.com/(team|squad)/\\w+',
      '^[^()+*]+$',
      '^(\\d{3}-)+\\d{4}$',
      'a{2,}b?',
    ]) {
      expect([pattern, regexProblem(pattern)]).toEqual([pattern, undefined]);
    }
  });

  it('refuses patterns that can backtrack exponentially', () => {
    for (const [pattern, reason] of [
      ['^(a+)+$', 'nested quantifiers'],
      ['(\\w*)*x', 'nested quantifiers'],
      ['^((ab)+c?)+$', 'nested quantifiers'],
      ['(\\d?\\d?){5,}', 'nested quantifiers'],
      ['(?:x+y)+', 'nested quantifiers'],
      ['^(a|ab)*c$', 'group of alternatives'],
      ['(foo|bar){2,}', 'group of alternatives'],
      ['(a)\\1', 'backreference'],
      ['(?<x>a)\\k<x>', 'backreference'],
      ['a'.repeat(MAX_PATTERN_LENGTH + 1), 'longer than'],
    ]) {
      expect([pattern, regexProblem(pattern)]).toEqual([
        pattern,
        expect.stringContaining(reason),
      ]);
    }
  });

  it('reads classes and escapes as single characters', () => {
    expect(regexProblem('([+*()])+')).toBeUndefined();
    expect(regexProblem('(\\+\\*)+')).toBeUndefined();
    expect(regexProblem('(\\d\\w[a-z])+')).toBeUndefined();
  });
});
