import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  GITOPS_PATH_ANNOTATION,
  gitopsLayout,
  isManifestPath,
  parseManifestFile,
} from '@causeway/plugin-gitops-common';
import { loadPlatformApis } from '@causeway/plugin-gitops-node';
import {
  CatalogFactProvider,
  CompiledChecks,
  evaluateEntity,
} from '@causeway/plugin-scorecard-backend';
import {
  claimFacts,
  folderFacts,
  GITOPS_FACTS,
  SOURCE_FACTS,
  summarizeFile,
} from '@causeway/plugin-scorecard-backend-module-gitops';
import { CLUSTER_FACTS } from '@causeway/plugin-scorecard-backend-module-kubernetes';
import {
  FactDefinition,
  levelRank,
  parseCheckFile,
} from '@causeway/plugin-scorecard-common';
import { parseAllDocuments } from 'yaml';
import { listFiles, readRepoFile, repoRoot } from './__testUtils__/deploy';

jest.setTimeout(60_000);

const logger = mockServices.logger.mock();

/** Where a deployment commits deploy/kustomize's production overlay. */
const FOLDER = gitopsLayout.serviceDir('production', 'causeway', 'causeway');

/**
 * Causeway's own catalog entity, as catalog-info.yaml declares it, with the
 * GitOps folder its deployment names and the source location the catalog
 * adds when the file is registered from its repository.
 */
function causewayEntity(): Entity {
  const entity = parseAllDocuments(readRepoFile('catalog-info.yaml'))
    .map(doc => doc.toJS() as Entity)
    .find(e => e.kind === 'Component' && e.metadata.name === 'causeway');
  if (!entity) throw new Error('catalog-info.yaml has no Component causeway');
  entity.metadata.annotations = {
    ...entity.metadata.annotations,
    [GITOPS_PATH_ANNOTATION]: FOLDER,
    'backstage.io/source-location':
      'url:https://git.example.com/platform/causeway/tree/main/',
  };
  return entity;
}

/** scorecards/*.yaml, read as the scorecard backend reads them. */
function loadChecks(facts: FactDefinition[]) {
  const byName = new Map(facts.map(f => [f.name, f]));
  const loaded = fs
    .readdirSync(path.join(repoRoot, 'scorecards'))
    .filter(file => /\.ya?ml$/.test(file))
    .sort()
    .map(file =>
      parseCheckFile(
        readRepoFile(`scorecards/${file}`),
        `scorecards/${file}`,
        byName,
      ),
    );
  return {
    checks: loaded.flatMap(l => l.checks),
    problems: loaded.flatMap(l => l.problems),
  };
}

/*
 * Causeway graded by its own scorecard, as the portal would grade it once
 * deploy/kustomize (the chart rendered, and the production overlay with its
 * Argo CD Application) is committed to the GitOps folder its catalog entity
 * names: the catalog facts, each file's summary and the folder's facts of
 * the GitOps fact provider, and the scorecard backend's rule evaluation.
 */
describe("Causeway's own deployment", () => {
  let evaluation: NonNullable<ReturnType<typeof evaluateEntity>>;
  let problems: unknown[];

  beforeAll(async () => {
    const entity = causewayEntity();
    // What the GitOps folder would hold: deploy/kustomize as it is, each
    // file read as the GitOps fact provider reads a folder's files.
    const platformApis = await loadPlatformApis(
      path.join(repoRoot, 'platform/apis'),
      logger,
    );
    const files = listFiles('deploy/kustomize')
      .filter(isManifestPath)
      .map(file =>
        summarizeFile(
          parseManifestFile({
            path: `${FOLDER}/${file}`,
            content: readRepoFile(`deploy/kustomize/${file}`),
          }),
          platformApis,
        ),
      );

    const catalog = new CatalogFactProvider();
    const loaded = loadChecks([
      ...catalog.facts,
      ...GITOPS_FACTS,
      ...SOURCE_FACTS,
      ...CLUSTER_FACTS,
    ]);
    problems = loaded.problems;
    const facts = {
      ...(await catalog.collect([entity])).get('component:default/causeway'),
      ...folderFacts(files),
      ...claimFacts(files.flatMap(f => f.claims)),
    };
    evaluation = evaluateEntity({
      entity,
      facts,
      checks: new CompiledChecks(loaded.checks),
      today: new Date().toISOString().slice(0, 10),
    })!;
  });

  /** The failing checks of these levels, with the values behind each. */
  const failing = (...levels: string[]) =>
    evaluation.results
      .filter(r => r.status === 'fail' && levels.includes(r.level))
      .map(r => `${r.checkId} (${r.level}): ${JSON.stringify(r.values)}`);

  it('is graded by every check in scorecards/', () => {
    expect(problems).toEqual([]);
    expect(evaluation.results.length).toBeGreaterThanOrEqual(30);
  });

  it('reaches silver: every bronze and silver check passes', () => {
    expect(failing('bronze', 'silver')).toEqual([]);
    expect(levelRank(evaluation.level)).toBeGreaterThanOrEqual(
      levelRank('silver'),
    );
  });

  it('is graded on its manifests, not let off as not applicable', () => {
    const status = (id: string) =>
      evaluation.results.find(r => r.checkId === id)?.status;
    for (const id of [
      'manifests-in-gitops',
      'two-replicas',
      'autoscaler-min-two',
      'readiness-probe',
      'runs-as-non-root',
      'network-policy',
      'secrets-external',
      'service-monitor',
      'argo-cd-application',
      'platform-known-kinds',
    ]) {
      expect([id, status(id)]).toEqual([id, 'pass']);
    }
  });
});
