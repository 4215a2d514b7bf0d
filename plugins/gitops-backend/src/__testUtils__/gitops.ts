import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  buildClaim,
  buildServiceManifests,
  defaultPlatformPolicy,
  KubernetesObject,
  ManifestFile,
  manifestFileContents,
  parseServiceSpec,
  PlatformApi,
  ServiceSpecInput,
} from '@causeway/plugin-gitops-common';
import {
  ensureLocalRepository,
  GitIdentity,
  GitOpsFile,
  GitOpsRepository,
  loadPlatformApis,
} from '@causeway/plugin-gitops-node';

export const logger = mockServices.logger.mock();
export const alice: GitIdentity = {
  name: 'Alice Example',
  email: 'alice@example.com',
};
export const bob: GitIdentity = {
  name: 'Bob Builder',
  email: 'bob@example.com',
};

const repoRoot = path.resolve(__dirname, '../../../..');
/** The platform APIs of this repository (platform/apis). */
export const platformApisDir = path.join(repoRoot, 'platform/apis');
export const loadRepositoryPlatformApis = () =>
  loadPlatformApis(platformApisDir, logger);

/** A temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A real GitOps repository (bare, on disk) and the client the portal uses. */
export async function createGitOpsRepository(root: string) {
  const bare = path.join(root, 'gitops.git');
  await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
  const repository = new GitOpsRepository({
    url: bare,
    branch: 'main',
    logger,
  });
  const publish = (files: GitOpsFile[], message: string, author = alice) =>
    repository.publish({ files, message, author, update: true });
  return { bare, repository, publish };
}

export const digest = `sha256:${'e5'.repeat(32)}`;

/** Runs git in a repository (e.g. the bare one) and returns its output. */
export const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** What the golden path builds for a service in payments, production. */
export const serviceManifests = (
  name: string,
  input: Partial<ServiceSpecInput> = {},
): ManifestFile[] =>
  buildServiceManifests(
    parseServiceSpec(
      {
        name,
        owner: 'payments-team',
        environment: 'production',
        namespace: 'payments',
        image: `registry.example.com/${name}@${digest}`,
        port: 8080,
        tier: 'standard',
        ...input,
      },
      defaultPlatformPolicy,
    ).spec,
    {
      policy: defaultPlatformPolicy,
      gitops: { repoURL: 'file:///gitops.git', branch: 'main' },
    },
  );

/** What the golden path writes for a service: its files' contents. */
export const serviceFiles = (
  name: string,
  input: Partial<ServiceSpecInput> = {},
) => manifestFileContents(serviceManifests(name, input));

/**
 * The objects Argo CD applies to the cluster from built files: all but the
 * kustomization (kustomize's input) and the Application (Argo CD's own).
 */
export const appliedObjects = (files: ManifestFile[]): KubernetesObject[] =>
  files
    .map(f => structuredClone(f.object))
    .filter(o => o.kind !== 'Kustomization' && o.kind !== 'Application');

/** What the claim templates write: the claim and its folder's Application. */
export const claimFiles = (
  apis: PlatformApi[],
  claim: {
    kind: string;
    name: string;
    service?: string;
    namespace?: string;
    parameters?: Record<string, unknown>;
  },
) =>
  manifestFileContents(
    buildClaim(
      {
        kind: claim.kind,
        name: claim.name,
        namespace: claim.namespace ?? 'payments',
        environment: 'production',
        owner: 'payments-team',
        service: claim.service,
        parameters: claim.parameters ?? {},
      },
      apis,
      { gitops: { repoURL: 'file:///gitops.git', branch: 'main' } },
    ),
  );

/** A service Component as the golden path registers it. */
export const serviceEntity = (
  name: string,
  options: { annotations?: Record<string, string>; dependsOn?: string[] } = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': name,
      'backstage.io/kubernetes-namespace': 'payments',
      'causeway.dev/gitops-path': `apps/production/payments/${name}`,
      ...options.annotations,
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
  // As the catalog computes them from spec.dependsOn.
  relations: (options.dependsOn ?? []).map(targetRef => ({
    type: 'dependsOn',
    targetRef,
  })),
});

/** The Resource the catalog makes of a claim (catalog-backend-module-gitops). */
export const claimResourceEntity = (
  name: string,
  kind: string,
  file: string,
  owner = 'payments',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'causeway.dev/gitops-path': file,
      'causeway.dev/claim': `platform.causeway.dev/v1alpha1/${kind}`,
      'backstage.io/kubernetes-namespace': 'payments',
    },
  },
  spec: { type: 'database', owner: `group:default/${owner}` },
});

/**
 * The in-memory catalog Backstage provides for tests, answering as the
 * catalog does with its permission rules: an entity hidden from a user is
 * not returned to that user's credentials (null among getEntitiesByRefs'
 * items); service credentials see every entity.
 */
export function catalogFor(
  entities: Entity[],
  options: { hiddenFrom?: Record<string, string[]> } = {},
): CatalogService {
  const catalog = catalogServiceMock({ entities });
  const visible = (entity: Entity, credentials: BackstageCredentials) => {
    const { principal } = credentials as BackstageCredentials<any>;
    if (principal.type !== 'user') return principal.type === 'service';
    const hiddenFrom = options.hiddenFrom?.[stringifyEntityRef(entity)] ?? [];
    return !hiddenFrom.includes(principal.userEntityRef);
  };
  return Object.assign(Object.create(catalog), {
    getEntityByRef: async (
      ref: Parameters<CatalogService['getEntityByRef']>[0],
      { credentials }: { credentials: BackstageCredentials },
    ) => {
      const entity = await catalog.getEntityByRef(ref, { credentials });
      return entity && visible(entity, credentials) ? entity : undefined;
    },
    getEntitiesByRefs: async (
      request: Parameters<CatalogService['getEntitiesByRefs']>[0],
      { credentials }: { credentials: BackstageCredentials },
    ) => {
      const { items } = await catalog.getEntitiesByRefs(request, {
        credentials,
      });
      return {
        items: items.map(e => (e && visible(e, credentials) ? e : undefined)),
      };
    },
  });
}

/** kubernetes config with one config-located cluster per stand-in. */
export const clustersConfig = (clusters: Record<string, string>) => ({
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: Object.entries(clusters).map(([name, url]) => ({
          name,
          url,
          authProvider: 'serviceAccount',
          serviceAccountToken: `${name}-token`,
        })),
      },
    ],
  },
});
