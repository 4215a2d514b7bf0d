import { Entity } from '@backstage/catalog-model';
import {
  ClaimView,
  GITOPS_PATH_ANNOTATION,
  gitopsLayout,
  isManifestPath,
  ManifestParseProblem,
  ParsedObject,
  parseManifestFile,
  PlatformApi,
  viewManifests,
} from '@causeway/plugin-gitops-common';
import type { GitOpsRepository } from '@causeway/plugin-gitops-node';

const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
const KUBERNETES_NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';

const SERVICE_DIR = /^apps\/([^/]+)\/([^/]+)\/([^/]+)$/;

/** Where an entity's manifests are in the GitOps repository. */
export type GitOpsLocation = {
  /** The causeway.dev/gitops-path annotation, without a trailing slash. */
  path: string;
  /** For a service folder (apps/ENV/NS/NAME): its namespace's infrastructure folder. */
  infrastructureDir?: string;
  /** The namespace of its objects: from the folder, else the annotation. */
  namespace?: string;
  /**
   * The backstage.io/kubernetes-id label of its live objects: the
   * annotation, else a service's name; undefined for anything else.
   */
  kubernetesId?: string;
};

export function gitopsLocation(entity: Entity): GitOpsLocation | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const path = annotations[GITOPS_PATH_ANNOTATION]?.replace(/\/+$/, '');
  if (!path) return undefined;
  const service = SERVICE_DIR.exec(path);
  return {
    path,
    ...(service
      ? {
          infrastructureDir: gitopsLayout.infrastructureDir(
            service[1],
            service[2],
          ),
        }
      : {}),
    namespace: service?.[2] ?? annotations[KUBERNETES_NAMESPACE_ANNOTATION],
    kubernetesId:
      annotations[KUBERNETES_ID_ANNOTATION] ??
      (service ? entity.metadata.name : undefined),
  };
}

/** Whether a file is at or under a path of the repository. */
export const isUnder = (file: string, prefix: string) =>
  file === prefix || file.startsWith(`${prefix}/`);

/** A file as read from the repository: the objects in it and what did not parse. */
export type GitOpsFileContents = {
  path: string;
  objects: ParsedObject[];
  problems: ManifestParseProblem[];
};

/**
 * The files under some paths (folders or files) at the head of the GitOps
 * repository, parsed: one listing and one batch read, however many paths.
 * Files that are not YAML are listed with no objects.
 */
export async function readGitOpsFiles(
  repository: GitOpsRepository,
  paths: string[],
): Promise<{ commitSha?: string; files: GitOpsFileContents[] }> {
  const prefixes = [...new Set(paths)];
  // No paths would list the whole repository.
  if (prefixes.length === 0) return { files: [] };
  const tree = await repository.tree(prefixes);
  const manifests = tree.entries.filter(e => isManifestPath(e.path));
  const blobs = await repository.readBlobs(manifests.map(e => e.blobId));
  return {
    commitSha: tree.commitSha,
    files: tree.entries.map(entry => {
      const content = blobs.get(entry.blobId);
      if (!isManifestPath(entry.path) || content === undefined) {
        return { path: entry.path, objects: [], problems: [] };
      }
      const parsed = parseManifestFile({ path: entry.path, content });
      return { path: entry.path, ...parsed };
    }),
  };
}

/** An entity's manifests: its folder's files, then its claims' files. */
export type EntityManifests = {
  commitSha?: string;
  files: GitOpsFileContents[];
  /** The claims among them: the folder's, and those part of the service. */
  claims: ClaimView[];
  /** Every file read, the ones under `alsoRead` included. */
  read: GitOpsFileContents[];
};

/**
 * Reads an entity's manifests: the files at its causeway.dev/gitops-path
 * and, for a service, the claims of its namespace's infrastructure folder
 * whose app.kubernetes.io/part-of label names it (with the files they are
 * in). Files under `alsoRead` are read in the same call, into `read`.
 */
export async function readEntityManifests(options: {
  repository: GitOpsRepository;
  entity: Entity;
  location: GitOpsLocation;
  platformApis: PlatformApi[];
  alsoRead?: string[];
}): Promise<EntityManifests> {
  const { location, platformApis } = options;
  const service = options.entity.metadata.name;
  const { commitSha, files } = await readGitOpsFiles(options.repository, [
    location.path,
    ...(location.infrastructureDir ? [location.infrastructureDir] : []),
    ...(options.alsoRead ?? []),
  ]);
  const own = files.filter(f => isUnder(f.path, location.path));
  const claimsOf = (list: GitOpsFileContents[]) =>
    viewManifests(
      list.flatMap(f => f.objects),
      { platformApis },
    ).claims;
  const infrastructure = location.infrastructureDir
    ? files.filter(
        f => !own.includes(f) && isUnder(f.path, location.infrastructureDir!),
      )
    : [];
  const serviceClaims = claimsOf(infrastructure).filter(
    c => c.partOf === service,
  );
  const claimPaths = new Set(serviceClaims.map(c => c.source.path));
  const claimFiles = infrastructure.filter(f => claimPaths.has(f.path));
  const entityFiles = [...own, ...claimFiles];
  return {
    commitSha,
    files: entityFiles,
    claims: [...claimsOf(own), ...serviceClaims],
    read: files,
  };
}
