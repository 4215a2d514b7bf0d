import { compileRule, Facts, Rule, ruleFacts } from './rules';

const facts: Facts = {
  'gitops.replicas': 1,
  'gitops.hasPodDisruptionBudget': true,
  'catalog.lifecycle': 'production',
  'catalog.tags': ['payments', 'pci'],
  'catalog.description': 'Takes card payments',
  'gitops.hpaMinReplicas': null,
};

const cases: Array<[string, Rule, boolean]> = [
  [
    'a number below the bound fails',
    { fact: 'gitops.replicas', gte: 2 },
    false,
  ],
  ['a number at the bound passes', { fact: 'gitops.replicas', lte: 1 }, true],
  [
    'gt and lt are strict',
    {
      any: [
        { fact: 'gitops.replicas', gt: 1 },
        { fact: 'gitops.replicas', lt: 1 },
      ],
    },
    false,
  ],
  [
    'equals on a boolean',
    { fact: 'gitops.hasPodDisruptionBudget', equals: true },
    true,
  ],
  [
    'in a list of values',
    { fact: 'catalog.lifecycle', in: ['production', 'experimental'] },
    true,
  ],
  [
    'notIn a list of values',
    { fact: 'catalog.lifecycle', notIn: ['deprecated'] },
    true,
  ],
  ['a list contains a value', { fact: 'catalog.tags', contains: 'pci' }, true],
  [
    'matches a regular expression',
    { fact: 'catalog.description', matches: '^Takes' },
    true,
  ],
  [
    'a missing fact exists: false',
    { fact: 'gitops.nothing', exists: false },
    true,
  ],
  [
    'a null fact has no value',
    { fact: 'gitops.hpaMinReplicas', exists: true },
    false,
  ],
  [
    'a missing fact fails a comparison',
    { fact: 'gitops.nothing', gte: 0 },
    false,
  ],
  [
    'a missing fact fails notEquals too',
    { fact: 'gitops.nothing', notEquals: 'x' },
    false,
  ],
  [
    'all needs every part',
    {
      all: [
        { fact: 'gitops.hasPodDisruptionBudget', equals: true },
        { fact: 'gitops.replicas', gte: 2 },
      ],
    },
    false,
  ],
  [
    'any needs one part',
    {
      any: [
        { fact: 'gitops.hasPodDisruptionBudget', equals: true },
        { fact: 'gitops.replicas', gte: 2 },
      ],
    },
    true,
  ],
  ['not inverts', { not: { fact: 'gitops.replicas', gte: 2 } }, true],
];

describe('rules', () => {
  it.each(cases)('%s', (_, rule, expected) => {
    expect(compileRule(rule)(facts)).toBe(expected);
  });

  it('lists the facts a rule reads, once each, so a result can show their values', () => {
    expect(
      ruleFacts({
        all: [
          { fact: 'gitops.replicas', gte: 2 },
          { not: { fact: 'gitops.hpaMinReplicas', lt: 2 } },
          { any: [{ fact: 'gitops.replicas', lte: 10 }] },
        ],
      }),
    ).toEqual(['gitops.replicas', 'gitops.hpaMinReplicas']);
  });
});
