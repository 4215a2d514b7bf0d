import { parseCheckFile, selectorMatches } from './checks';
import { FactDefinition } from './rules';

const facts = new Map<string, FactDefinition>(
  (
    [
      ['gitops.replicas', 'number'],
      ['gitops.hasPodDisruptionBudget', 'boolean'],
      ['gitops.databaseClaimCount', 'number'],
      ['catalog.ownerKind', 'string'],
      ['catalog.tags', 'string[]'],
    ] as const
  ).map(([name, type]) => [name, { name, type, description: name }]),
);

describe('parseCheckFile', () => {
  it('reads checks with their selectors, condition, rule, fix and line', () => {
    const { checks, problems } = parseCheckFile(
      `# Availability
checks:
  - id: two-replicas
    title: At least two replicas
    description: One replica means downtime on every node drain.
    level: silver
    appliesTo:
      kind: Component
      type: [service]
    when: { fact: gitops.databaseClaimCount, gte: 0 }
    rule:
      all:
        - fact: gitops.replicas
          gte: 2
        - fact: gitops.hasPodDisruptionBudget
          equals: true
    fix:
      text: Set replicas to 2 or more.
      link: https://docs.example.com/availability
`,
      'scorecards/availability.yaml',
      facts,
    );

    expect(problems).toEqual([]);
    expect(checks).toEqual([
      expect.objectContaining({
        id: 'two-replicas',
        level: 'silver',
        appliesTo: { kind: ['Component'], type: ['service'] },
        when: { fact: 'gitops.databaseClaimCount', gte: 0 },
        fix: {
          text: 'Set replicas to 2 or more.',
          link: 'https://docs.example.com/availability',
        },
        source: { file: 'scorecards/availability.yaml', line: 3 },
      }),
    ]);
  });

  it('reports each bad check with file, line and reason, and keeps the good ones', () => {
    const { checks, problems } = parseCheckFile(
      `checks:
  - id: good
    title: Owned by a team
    description: d
    level: bronze
    rule: { fact: catalog.ownerKind, equals: Group }
    fix: { text: Set spec.owner to a group. }
  - id: typo
    title: t
    description: d
    level: bronze
    rule:
      fact: gitops.replica
      gte: 2
    fix: { text: f }
  - id: wrong-operator
    title: t
    description: d
    level: platinum
    rule:
      fact: gitops.hasPodDisruptionBudget
      gte: 1
    fix: { text: f }
  - id: bad-type
    title: t
    description: d
    level: gold
    rule:
      any:
        - fact: catalog.tags
          gte: 1
        - fact: gitops.replicas
          between: [1, 2]
    fix: { text: f }
`,
      'scorecards/x.yaml',
      facts,
    );

    expect(checks.map(c => c.id)).toEqual(['good']);
    expect(problems).toEqual([
      {
        file: 'scorecards/x.yaml',
        line: 13,
        message:
          'check typo: rule.fact: unknown fact "gitops.replica" (did you mean "gitops.replicas"?)',
      },
      {
        file: 'scorecards/x.yaml',
        line: 19,
        message: expect.stringMatching(/^check wrong-operator: level: /),
      },
      {
        file: 'scorecards/x.yaml',
        line: 31,
        message:
          'check bad-type: rule.any.0.gte: gte cannot compare catalog.tags, which is a string[]',
      },
      {
        file: 'scorecards/x.yaml',
        line: 33,
        message: expect.stringMatching(
          /^check bad-type: rule.any.1.between: unknown operator "between"/,
        ),
      },
    ]);
  });

  it('refuses fix links that are not http(s) or in the portal, and patterns that can backtrack exponentially', () => {
    const { checks, problems } = parseCheckFile(
      `checks:
  - id: scripted
    title: Owned by a team
    description: A team answers for it.
    level: bronze
    rule: { fact: catalog.ownerKind, equals: Group }
    fix:
      text: Set spec.owner.
      link: javascript:fetch('/api/auth/refresh')
  - id: catastrophic
    title: Owned by a team
    description: A team answers for it.
    level: bronze
    rule: { fact: catalog.ownerKind, matches: '^(a+)+$' }
    fix: { text: Set spec.owner., link: /catalog }
  - id: fine
    title: Owned by a team
    description: A team answers for it.
    level: bronze
    rule: { fact: catalog.ownerKind, matches: '^(Group|User)$' }
    fix: { text: Set spec.owner., link: https://docs.example.com/owner }
`,
      'scorecards/links.yaml',
      facts,
    );
    expect(checks.map(c => c.id)).toEqual(['fine']);
    expect(problems).toEqual([
      {
        file: 'scorecards/links.yaml',
        line: 9,
        message: expect.stringMatching(
          /^check scripted: fix\.link: "javascript:fetch\('\/api\/auth\/refresh'\)" is not a link users may be sent to/,
        ),
      },
      {
        file: 'scorecards/links.yaml',
        line: 14,
        message: expect.stringMatching(
          /^check catastrophic: rule\.matches: the pattern "\^\(a\+\)\+\$" repeats a group that itself holds a quantifier/,
        ),
      },
    ]);
  });

  it('says where a file that is not YAML breaks', () => {
    const { checks, problems } = parseCheckFile(
      'checks:\n  - id: a\n    title: [\n',
      'f.yaml',
      facts,
    );
    expect(checks).toEqual([]);
    expect(problems[0]).toMatchObject({
      file: 'f.yaml',
      line: expect.any(Number),
    });
    expect(problems[0].message).toMatch(/^not valid YAML: /);
  });
});

describe('selectorMatches', () => {
  it('matches kind case-insensitively, and each listed field must match', () => {
    const service = {
      kind: 'Component',
      type: 'service',
      lifecycle: 'production',
      tags: ['pci'],
    };
    expect(selectorMatches({}, service)).toBe(true);
    expect(
      selectorMatches({ kind: ['component'], type: ['service'] }, service),
    ).toBe(true);
    expect(
      selectorMatches({ kind: ['Component'], type: ['website'] }, service),
    ).toBe(false);
    expect(selectorMatches({ tags: ['pci', 'sox'] }, service)).toBe(true);
    expect(
      selectorMatches({ lifecycle: ['production'] }, { kind: 'Component' }),
    ).toBe(false);
  });
});
