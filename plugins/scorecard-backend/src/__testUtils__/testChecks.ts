import {
  CheckDefinition,
  FactDefinition,
  parseCheckFile,
} from '@causeway/plugin-scorecard-common';
import { CatalogFactProvider } from '../facts/CatalogFactProvider';

/** The facts of the test provider, next to the catalog's. */
export const testProviderFacts: FactDefinition[] = [
  { name: 'test.replicas', type: 'number', description: 'Replicas' },
  {
    name: 'test.databaseClaimCount',
    type: 'number',
    description: 'Database claims',
  },
];

export const testFacts = new Map(
  [...new CatalogFactProvider().facts, ...testProviderFacts].map(f => [
    f.name,
    f,
  ]),
);

/**
 * A small check file: bronze for every component, silver for services,
 * gold for components with a runbook and for services with a database
 * (when they have one), and a check on APIs.
 */
export const TEST_CHECKS = `checks:
  - id: owned-by-group
    title: Owned by a team
    description: A team answers for it.
    level: bronze
    appliesTo: { kind: Component }
    rule: { fact: catalog.ownerKind, equals: Group }
    fix: { text: Set spec.owner to a group. }
  - id: two-replicas
    title: At least two replicas
    description: One replica means downtime on every node drain.
    level: silver
    appliesTo: { kind: Component, type: service }
    rule: { fact: test.replicas, gte: 2 }
    fix:
      text: Set replicas to 2 or more.
      link: https://docs.example.com/replicas
  - id: runbook
    title: Runbook linked
    description: On-call needs it.
    level: gold
    appliesTo: { kind: Component }
    rule: { fact: catalog.hasRunbookLink, equals: true }
    fix: { text: Link the runbook. }
  - id: database-backups
    title: Database restores rehearsed
    description: Backups that were never restored are hopes.
    level: gold
    appliesTo: { kind: Component, type: service }
    when: { fact: test.databaseClaimCount, gt: 0 }
    rule: { fact: catalog.hasSlo, equals: true }
    fix: { text: Add an SLO. }
  - id: api-described
    title: APIs are described
    description: Readers need to know what it is for.
    level: bronze
    appliesTo: { kind: API }
    rule: { fact: catalog.hasDescription, equals: true }
    fix: { text: Describe it. }
`;

export function testChecks(): CheckDefinition[] {
  const { checks, problems } = parseCheckFile(
    TEST_CHECKS,
    'scorecards/test.yaml',
    testFacts,
  );
  if (problems.length) throw new Error(JSON.stringify(problems));
  return checks;
}
