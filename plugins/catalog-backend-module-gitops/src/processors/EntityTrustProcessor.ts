import {
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
  stringifyLocationRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogProcessor, LocationSpec } from '@backstage/plugin-catalog-node';
import {
  CLAIM_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  serviceFolderOf,
} from '@causeway/plugin-gitops-common';

const KUBERNETES_ID = 'backstage.io/kubernetes-id';
const KUBERNETES_NAMESPACE = 'backstage.io/kubernetes-namespace';
const KUBERNETES_LABEL_SELECTOR = 'backstage.io/kubernetes-label-selector';
/** kubernetes.io/api-server and the others that make a Resource a cluster. */
const KUBERNETES_CLUSTER_PREFIX = 'kubernetes.io/';

/**
 * Refuses, on entities that anyone could have registered, the annotations
 * that Causeway and the Kubernetes backend act on, unless they can only
 * point at the entity's own things.
 *
 * Trusted, and left alone: entities whose origin location is one of the
 * platform's (the static catalog.locations in config, Causeway's providers of
 * the local git host and of GitOps claims). The origin location is set by the
 * catalog, not by the entity: a provider sets it on what it provides, and for
 * every entity read from a location someone registered (POST
 * /api/catalog/locations, the import page, catalog:register) the catalog
 * writes that location, a url: target, over whatever the file says.
 *
 * On any other entity:
 * - causeway.dev/gitops-path must be exactly apps/ENVIRONMENT/OWNER/NAME,
 *   OWNER the name of the group in spec.owner and NAME the entity's name (the
 *   folder the golden paths give it);
 * - backstage.io/kubernetes-namespace must be the owning group's name (each
 *   team's namespace), and backstage.io/kubernetes-id needs it, so workloads
 *   are looked for in the owner's namespace only;
 * - backstage.io/source-location must be the repository the entity was
 *   registered from;
 * - backstage.io/kubernetes-label-selector (it can match every namespace),
 *   causeway.dev/claim (only GitOps claims are Resources of a claim) and
 *   kubernetes.io/* (they make a Resource a cluster to connect to) are
 *   refused.
 * A golden path's catalog-info.yaml, registered from its new repository,
 * meets all of these. An entity that does not fails processing with the
 * reason, shown on the catalog's unprocessed entities page and by the import
 * page; it does not enter the catalog.
 */
export class EntityTrustProcessor implements CatalogProcessor {
  constructor(
    private readonly options: {
      /** Whether entities from this origin location (e.g. url:...) are the platform's. */
      isTrustedOrigin: (originLocation: string) => boolean;
    },
  ) {}

  getProcessorName(): string {
    return 'CausewayEntityTrustProcessor';
  }

  /** After the built-in processors, so the annotations it sees are final. */
  getPriority(): number {
    return 100;
  }

  async preProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    _emit: unknown,
    originLocation: LocationSpec,
  ): Promise<Entity> {
    const origin = stringifyLocationRef(originLocation);
    if (this.options.isTrustedOrigin(origin)) return entity;
    const problems = untrustedAnnotationProblems(entity, origin);
    if (problems.length) {
      throw new InputError(
        `${stringifyEntityRef(
          entity,
        )} was registered from ${origin}, not by the platform, so Causeway refuses these annotations on it: ${problems.join(
          '; ',
        )}`,
      );
    }
    return entity;
  }
}

/** What is wrong with each sensitive annotation of an entity from `origin`. */
export function untrustedAnnotationProblems(
  entity: Entity,
  origin: string,
): string[] {
  const annotations = entity.metadata.annotations ?? {};
  const ownerName = groupOwnerName(entity);
  // What a team's own entity may name instead.
  const ownNamespace = ownerName
    ? `${KUBERNETES_NAMESPACE}: ${ownerName}`
    : `${KUBERNETES_NAMESPACE} on an entity a group owns`;
  const problems: string[] = [];
  for (const key of Object.keys(annotations).sort()) {
    if (key.startsWith(KUBERNETES_CLUSTER_PREFIX)) {
      problems.push(
        `${key}: only the platform's own catalog files may describe a cluster`,
      );
    }
  }
  if (annotations[KUBERNETES_LABEL_SELECTOR] !== undefined) {
    problems.push(
      `${KUBERNETES_LABEL_SELECTOR}: a selector can match other teams' workloads (use ${KUBERNETES_ID} with ${ownNamespace})`,
    );
  }
  if (annotations[CLAIM_ANNOTATION] !== undefined) {
    problems.push(
      `${CLAIM_ANNOTATION}: only the claims in the GitOps repository are claim Resources`,
    );
  }
  const gitopsPath = annotations[GITOPS_PATH_ANNOTATION];
  if (gitopsPath !== undefined) {
    try {
      serviceFolderOf({
        ref: stringifyEntityRef(entity),
        name: entity.metadata.name,
        ownerName,
        gitopsPath,
      });
    } catch (error) {
      // Its message names the folder the entity may have.
      problems.push(`${GITOPS_PATH_ANNOTATION}: ${(error as Error).message}`);
    }
  }
  const namespace = annotations[KUBERNETES_NAMESPACE];
  if (namespace !== undefined && (!ownerName || namespace !== ownerName)) {
    problems.push(
      `${KUBERNETES_NAMESPACE}: ${JSON.stringify(namespace)} is not ${
        ownerName
          ? `the namespace of its owner (allowed: ${ownerName})`
          : 'allowed on an entity no group owns'
      }`,
    );
  }
  if (annotations[KUBERNETES_ID] !== undefined && namespace === undefined) {
    problems.push(
      `${KUBERNETES_ID}: needs ${ownNamespace}, so only its owner's namespace is searched`,
    );
  }
  const source = annotations[ANNOTATION_SOURCE_LOCATION];
  if (source !== undefined) {
    const registeredFrom = repositoryOf(origin, 'file');
    if (!registeredFrom || repositoryOf(source, 'folder') !== registeredFrom) {
      problems.push(
        `${ANNOTATION_SOURCE_LOCATION}: ${JSON.stringify(
          source,
        )} is not the repository it was registered from (allowed: ${
          registeredFrom ? `url:${registeredFrom}` : 'none'
        })`,
      );
    }
  }
  return problems;
}

/** The name of the group in spec.owner, or undefined when no group owns it. */
function groupOwnerName(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string') return undefined;
  try {
    const ref = parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    });
    return ref.kind.toLocaleLowerCase('en-US') === 'group'
      ? ref.name
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The repository a url: location is in, as a URL without a trailing slash
 * or .git: what comes before /blob/, /tree/, /raw/ or /src/ (GitHub, GitLab,
 * Gitea, Bitbucket); without one, a folder's own URL or a file's folder.
 * Undefined for other location types.
 */
export function repositoryOf(
  location: string,
  names: 'file' | 'folder',
): string | undefined {
  if (!location.startsWith('url:')) return undefined;
  let url: URL;
  try {
    url = new URL(location.slice('url:'.length));
  } catch {
    return undefined;
  }
  const path = url.pathname;
  const marker = /\/(-\/)?(blob|tree|raw|src)\//.exec(path);
  let repoPath = path;
  if (marker) repoPath = path.slice(0, marker.index);
  else if (names === 'file') repoPath = path.replace(/\/[^/]*$/, '');
  return `${url.protocol}//${url.host}${repoPath
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')}`;
}
