import fs from 'node:fs';
import path from 'node:path';
import {
  buildJobManifests,
  defaultPlatformPolicy,
  manifestFileContents,
  parseJobSpec,
} from '@causeway/plugin-gitops-common';
import { LocalGitHost } from '@causeway/plugin-gitops-node';
import {
  CheckDefinition,
  compileRule,
  FactDefinition,
  Facts,
  FactType,
  LEVELS,
  parseCheckFile,
  selectorMatches,
} from '@causeway/plugin-scorecard-common';
import {
  createGitOpsRepository,
  createSourceRepository,
  digest,
  goldenPathDatabase,
  goldenPathManifests,
  loadRepositoryPlatformApis,
  logger,
  serviceEntity,
  tempDir,
  createChangeIndex,
} from './__testUtils__/repositories';
import { GITOPS_FACTS } from './gitops/gitopsFacts';
import { GitOpsFactProvider } from './gitops/GitOpsFactProvider';
import { SOURCE_FACTS } from './source/sourceFacts';
import { SourceFactProvider } from './source/SourceFactProvider';

jest.setTimeout(60_000);

const scorecardsDir = path.resolve(__dirname, '../../../scorecards');

/** The scorecard backend's built-in catalog facts. */
const CATALOG_FACTS: Array<[string, FactType]> = [
  ['kind', 'string'],
  ['type', 'string'],
  ['lifecycle', 'string'],
  ['ownerKind', 'string'],
  ['hasDescription', 'boolean'],
  ['hasSystem', 'boolean'],
  ['hasDocsLink', 'boolean'],
  ['hasRunbookLink', 'boolean'],
  ['hasOnCall', 'boolean'],
  ['hasSlo', 'boolean'],
  ['hasKubernetesId', 'boolean'],
  ['hasSourceLocation', 'boolean'],
  ['hasGitOpsPath', 'boolean'],
  ['tags', 'string[]'],
  ['tagCount', 'number'],
  ['providesApiCount', 'number'],
  ['dependsOnCount', 'number'],
];

/** The cluster facts (scorecard-backend-module-kubernetes). */
const CLUSTER_FACTS: Array<[string, FactType]> = [
  ['configured', 'boolean'],
  ['reachable', 'boolean'],
  ['deployed', 'boolean'],
  ['desiredReplicas', 'number'],
  ['availableReplicas', 'number'],
  ['unavailableReplicas', 'number'],
  ['podRestarts', 'number'],
  ['podsNotReady', 'number'],
];

const facts = new Map<string, FactDefinition>(
  [
    ...CATALOG_FACTS.map(([name, type]) => ({
      name: `catalog.${name}`,
      type,
      description: name,
    })),
    ...CLUSTER_FACTS.map(([name, type]) => ({
      name: `cluster.${name}`,
      type,
      description: name,
    })),
    ...GITOPS_FACTS,
    ...SOURCE_FACTS,
  ].map(f => [f.name, f]),
);

function loadChecks() {
  const files = fs.readdirSync(scorecardsDir).filter(f => /\.ya?ml$/.test(f));
  return files.map(file =>
    parseCheckFile(
      fs.readFileSync(path.join(scorecardsDir, file), 'utf8'),
      `scorecards/${file}`,
      facts,
    ),
  );
}

/** What a service created from service-nodejs says in the catalog. */
const goldenPathCatalogFacts = (type: string): Facts => ({
  'catalog.kind': 'Component',
  'catalog.type': type,
  'catalog.lifecycle': 'experimental',
  'catalog.ownerKind': 'Group',
  'catalog.hasDescription': true,
  'catalog.hasSystem': true,
  'catalog.hasDocsLink': false,
  'catalog.hasRunbookLink': false,
  'catalog.hasOnCall': false,
  'catalog.hasSlo': false,
  'catalog.hasKubernetesId': true,
  'catalog.hasSourceLocation': true,
  'catalog.hasGitOpsPath': true,
  'catalog.tags': ['typescript', 'nodejs'],
  'catalog.tagCount': 2,
  'catalog.providesApiCount': 0,
  'catalog.dependsOnCount': 1,
});

type Outcome = 'pass' | 'fail' | 'not-applicable';

/** Each check's outcome for an entity of this type with these facts. */
function grade(checks: CheckDefinition[], type: string, entityFacts: Facts) {
  const outcomes: Record<string, Outcome> = {};
  for (const check of checks) {
    if (!selectorMatches(check.appliesTo, { kind: 'Component', type })) {
      continue;
    }
    if (check.when && !compileRule(check.when)(entityFacts)) {
      outcomes[check.id] = 'not-applicable';
    } else {
      outcomes[check.id] = compileRule(check.rule)(entityFacts)
        ? 'pass'
        : 'fail';
    }
  }
  return outcomes;
}

const failing = (
  checks: CheckDefinition[],
  outcomes: Record<string, Outcome>,
  levels: string[],
) =>
  checks
    .filter(c => levels.includes(c.level) && outcomes[c.id] === 'fail')
    .map(c => c.id);

describe('scorecards/*.yaml', () => {
  it('hold at least 30 checks with unique ids, no problems, and a fix with a link each', () => {
    const loaded = loadChecks();
    const checks = loaded.flatMap(l => l.checks);

    expect(loaded.flatMap(l => l.problems)).toEqual([]);
    expect(checks.length).toBeGreaterThanOrEqual(30);
    expect(new Set(checks.map(c => c.id)).size).toBe(checks.length);
    for (const level of LEVELS) {
      expect(checks.filter(c => c.level === level).length).toBeGreaterThan(3);
    }
    for (const check of checks) {
      expect(check.fix.link).toMatch(
        /^(\/create\/templates\/default\/|https:\/\/)/,
      );
      expect(check.appliesTo.kind).toEqual(['Component']);
      expect(check.appliesTo.type).toContain('service');
    }
  });

  describe('on what the golden paths build', () => {
    let scratch: ReturnType<typeof tempDir>;
    let checks: CheckDefinition[];
    let byRef: Map<string, Facts>;

    beforeAll(async () => {
      scratch = tempDir('scorecard-checks-');
      checks = loadChecks().flatMap(l => l.checks);
      const apis = await loadRepositoryPlatformApis();
      const gitops = await createGitOpsRepository(scratch.dir);
      const host = new LocalGitHost({ root: path.join(scratch.dir, 'repos') });
      await gitops.publish([
        ...goldenPathManifests(),
        ...goldenPathDatabase(apis, 'payment-service'),
        ...goldenPathManifests({
          name: 'search-service',
          connectionSecrets: [],
        }),
        ...manifestFileContents(
          buildJobManifests(
            parseJobSpec(
              {
                name: 'invoice-export',
                owner: 'payments-team',
                environment: 'production',
                namespace: 'payments',
                image: `registry.example.com/invoice-export@${digest}`,
                schedule: '30 2 * * *',
              },
              defaultPlatformPolicy,
            ).spec,
            {
              policy: defaultPlatformPolicy,
              gitops: { repoURL: 'file:///gitops.git', branch: 'main' },
            },
          ),
        ),
        {
          path: 'apps/production/payments/legacy-service/deployment.yaml',
          content: `apiVersion: apps/v1
kind: Deployment
metadata: { name: legacy-service }
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: legacy-service
          image: registry.example.com/legacy-service:latest
`,
        },
      ]);
      const entities = [
        'payment-service',
        'search-service',
        'invoice-export',
        'legacy-service',
      ].map(name =>
        serviceEntity(
          name,
          {
            'causeway.dev/gitops-path': `apps/production/payments/${name}`,
            'backstage.io/source-location': `url:${host.url(name)}`,
          },
          name === 'invoice-export' ? 'job' : 'service',
        ),
      );
      for (const name of [
        'payment-service',
        'search-service',
        'invoice-export',
      ]) {
        await createSourceRepository(host, scratch.dir, name);
      }
      const changeIndex = await createChangeIndex();
      const collected = await Promise.all(
        [
          new GitOpsFactProvider({
            repository: gitops.repository,
            platformApis: apis,
            logger,
            changeIndex,
          }),
          new SourceFactProvider({ host, logger, changeIndex }),
        ].map(p => p.collect(entities)),
      );
      byRef = new Map(
        entities.map(e => {
          const ref = `component:default/${e.metadata.name}`;
          return [
            ref,
            Object.assign(
              {},
              goldenPathCatalogFacts(e.spec!.type as string),
              ...collected.map(c => c.get(ref)),
            ),
          ];
        }),
      );
    });
    afterAll(() => scratch.remove());

    it('a service from the golden path, with its database, passes every bronze and silver check', () => {
      const outcomes = grade(
        checks,
        'service',
        byRef.get('component:default/payment-service')!,
      );
      expect(failing(checks, outcomes, ['bronze', 'silver'])).toEqual([]);
      expect(outcomes['database-deletion-protection']).toBe('pass');
      expect(outcomes['database-backups']).toBe('pass');
      // Gold is for the team to earn: docs, runbook, on-call, SLO. (The
      // skeleton's CI already calls the release gate.)
      expect(failing(checks, outcomes, ['gold']).sort()).toEqual([
        'docs-link',
        'on-call',
        'runbook-link',
        'slo-defined',
      ]);
    });

    it('a service without a database is not graded on database checks', () => {
      const outcomes = grade(
        checks,
        'service',
        byRef.get('component:default/search-service')!,
      );
      expect(failing(checks, outcomes, ['bronze', 'silver'])).toEqual([]);
      expect(outcomes['database-deletion-protection']).toBe('not-applicable');
      expect(outcomes['database-backups']).toBe('not-applicable');
    });

    it('a scheduled job from the golden path passes every bronze and silver check that applies to jobs', () => {
      const outcomes = grade(
        checks,
        'job',
        byRef.get('component:default/invoice-export')!,
      );
      expect(failing(checks, outcomes, ['bronze', 'silver'])).toEqual([]);
      expect(outcomes['two-replicas']).toBeUndefined();
      expect(outcomes['readiness-probe']).toBeUndefined();
    });

    it('a hand-written service fails what it lacks', () => {
      const outcomes = grade(
        checks,
        'service',
        byRef.get('component:default/legacy-service')!,
      );
      expect(failing(checks, outcomes, ['silver']).sort()).toEqual([
        'argo-cd-application',
        'autoscaler-min-two',
        'drops-all-capabilities',
        'image-pinned-by-digest',
        'liveness-probe',
        'network-policy',
        'no-privilege-escalation',
        'pod-disruption-budget',
        'read-only-root-filesystem',
        'readiness-probe',
        'resource-limits',
        'resource-requests',
        'runs-as-non-root',
        'service-monitor',
        'two-replicas',
      ]);
      expect(outcomes['source-readable']).toBe('fail');
      expect(outcomes['ci-workflow']).toBe('not-applicable');
    });
  });
});
