import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CLAIM_ANNOTATION,
  ClaimView,
  GITOPS_PATH_ANNOTATION,
  gitopsLayout,
  isManifestPath,
  ManifestParseProblem,
  ParsedObject,
  parseManifestFile,
  parseServiceDir,
  PlatformApi,
  serviceFolderOf,
  viewManifests,
} from '@causeway/plugin-gitops-common';
import {
  repositoryPathProblem,
  type GitOpsRepository,
} from '@causeway/plugin-gitops-node';

const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
const KUBERNETES_NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';

/** Where an entity's manifests are in the GitOps repository. */
export type GitOpsLocation = {
  /** The entity's own folder (or a claim Resource's file), resolved on the server. */
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

/** The name of the group that owns an entity, if a group does. */
function ownerGroupName(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  const ref = parseEntityRef(owner, {
    defaultKind: 'group',
    defaultNamespace: entity.metadata.namespace ?? 'default',
  });
  return ref.kind.toLowerCase() === 'group' ? ref.name : undefined;
}

/**
 * The entity's own place in the GitOps repository, decided from what the
 * catalog says of it (its name and owning group), never taken from its
 * causeway.dev/gitops-path annotation, which whoever registered the entity
 * wrote: a service's folder apps/ENVIRONMENT/OWNER/NAME (the annotation
 * only picks the environment, as for golden paths), or a claim Resource's
 * file in its owner's infrastructure/ENVIRONMENT/OWNER folder. Undefined
 * without the annotation; any other path is refused, naming the folder.
 */
export function ownGitOpsPath(entity: Entity): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const annotated = annotations[GITOPS_PATH_ANNOTATION];
  if (!annotated) return undefined;
  const ref = stringifyEntityRef(entity);
  const ownerName = ownerGroupName(entity);
  const claimFile = /^infrastructure\/([a-z0-9-]+)\/([a-z0-9-]+)\/[^/]+$/.exec(
    annotated,
  );
  if (annotations[CLAIM_ANNOTATION] && claimFile) {
    if (claimFile[2] === ownerName && !repositoryPathProblem(annotated)) {
      return annotated;
    }
    throw new InputError(
      `${ref}: its ${GITOPS_PATH_ANNOTATION} annotation ${JSON.stringify(
        annotated,
      )} is not its claim's file: a claim owned by ${
        ownerName ?? 'no group'
      } lives in ${gitopsLayout.infrastructureDir(
        claimFile[1],
        ownerName ?? 'OWNER',
      )}`,
    );
  }
  return serviceFolderOf({
    ref,
    name: entity.metadata.name,
    ownerName,
    gitopsPath: annotated,
  }).gitopsPath;
}

/** Where the entity's manifests are, or undefined when it names none. */
export function gitopsLocation(entity: Entity): GitOpsLocation | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const path = ownGitOpsPath(entity);
  if (!path) return undefined;
  const service = parseServiceDir(path);
  return {
    path,
    ...(service
      ? {
          infrastructureDir: gitopsLayout.infrastructureDir(
            service.environment,
            service.namespace,
          ),
        }
      : {}),
    namespace:
      service?.namespace ?? annotations[KUBERNETES_NAMESPACE_ANNOTATION],
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
  const [blobs, unfollowed] = await Promise.all([
    repository.readBlobs(manifests.map(e => e.blobId)),
    repository.unfollowed(tree.commitSha, prefixes),
  ]);
  const files: GitOpsFileContents[] = tree.entries.map(entry => {
    const content = blobs.get(entry.blobId);
    if (!isManifestPath(entry.path) || content === undefined) {
      return { path: entry.path, objects: [], problems: [] };
    }
    const parsed = parseManifestFile({ path: entry.path, content });
    return { path: entry.path, ...parsed };
  });
  // A link or submodule is that path's problem, never a file read through;
  // one on the way to a folder is the folder's.
  for (const link of unfollowed) {
    const message = `${link.path} ${link.problem}`;
    const at = prefixes.some(p => isUnder(link.path, p))
      ? [link.path]
      : prefixes.filter(p => p.startsWith(`${link.path}/`));
    for (const path of at) {
      files.push({
        path,
        objects: [],
        problems: [{ path, document: 0, line: 1, message }],
      });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { commitSha: tree.commitSha, files };
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
