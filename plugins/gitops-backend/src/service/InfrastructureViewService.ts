import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CLAIM_ANNOTATION,
  ClaimInfrastructureView,
  ClaimView,
  InfrastructureView,
  viewManifests,
} from '@causeway/plugin-gitops-common';
import { claimClusterStates } from './claimClusterStates';
import { clustersState, mayReadClusters } from './clustersState';
import {
  GitOpsFileContents,
  gitopsLocation,
  ownGitOpsPath,
  readEntityManifests,
  readGitOpsFiles,
} from './gitopsFiles';
import { readEntity } from './readEntity';
import type { ViewDependencies } from './viewDependencies';

/** A catalog Resource made from a claim: where its claim is in git. */
type ClaimResource = {
  ref: string;
  name: string;
  /** The claim's apiVersion/kind. */
  claim: string;
  path: string;
};

type Claim = Omit<ClaimInfrastructureView, 'clusters'>;

const claimKey = (c: Claim) =>
  `${c.apiVersion}/${c.kind}/${c.namespace ?? ''}/${c.name}`;

/** The namespace of a claim in infrastructure/ENV/NS/, when it names none. */
const folderNamespace = (path: string) =>
  /^infrastructure\/[^/]+\/([^/]+)\//.exec(path)?.[1];

/**
 * A Resource made from a claim (catalog-backend-module-gitops), with its
 * claim's file resolved from its owner (see ownGitOpsPath); a Resource whose
 * annotation names any other file is left out.
 */
function claimResource(entity: Entity): ClaimResource | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const claim = annotations[CLAIM_ANNOTATION];
  if (entity.kind.toLowerCase() !== 'resource' || !claim) return undefined;
  let path: string | undefined;
  try {
    path = ownGitOpsPath(entity);
  } catch {
    return undefined;
  }
  if (!path) return undefined;
  return {
    ref: stringifyEntityRef(entity),
    name: entity.metadata.name,
    claim,
    path,
  };
}

function claimOf(
  view: ClaimView,
  via: Claim['via'],
  resourceRef?: string,
): Claim {
  const namespace = view.namespace ?? folderNamespace(view.source.path);
  return {
    apiVersion: view.apiVersion,
    kind: view.kind,
    name: view.name,
    ...(namespace ? { namespace } : {}),
    path: view.source.path,
    parameters: view.parameters,
    ...(view.connectionSecret
      ? { connectionSecret: view.connectionSecret }
      : {}),
    via,
    ...(resourceRef ? { resourceRef } : {}),
  };
}

/**
 * The Infrastructure view of an entity's page: the claims of a service (in
 * its namespace's infrastructure folder, part of it) and of the Resources
 * it depends on, or a claim Resource's own claim; each with its parameters
 * from git and what each configured cluster says about it.
 */
export class InfrastructureViewService {
  readonly #deps: ViewDependencies;

  constructor(deps: ViewDependencies) {
    this.#deps = deps;
  }

  async view(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<InfrastructureView> {
    const { entity, entityRef } = await readEntity(
      this.#deps.catalog,
      ref,
      credentials,
    );
    const [clusters, dependencies] = await Promise.all([
      clustersState({
        clusters: this.#deps.clusters,
        permissions: this.#deps.permissions,
        credentials,
      }),
      this.#dependencies(entity, credentials),
    ]);
    const claims = await this.#claims(entity, entityRef, dependencies);

    if (!mayReadClusters(clusters)) {
      return {
        entityRef,
        claims: claims.map(claim => ({ ...claim, clusters: [] })),
        clusters,
      };
    }
    // Every claim is of a platform API; one without a namespace cannot be
    // looked up, and has no cluster states.
    const lookups = claims.map(claim => {
      const api = this.#deps.platformApis.find(
        a => a.apiVersion === claim.apiVersion && a.kind === claim.kind,
      );
      return api && claim.namespace
        ? {
            apiVersion: claim.apiVersion,
            kind: claim.kind,
            plural: api.claimPlural,
            namespace: claim.namespace,
            name: claim.name,
          }
        : undefined;
    });
    const found = lookups.filter(
      (l): l is NonNullable<typeof l> => l !== undefined,
    );
    const states = await claimClusterStates(this.#deps.clusters, found);
    return {
      entityRef,
      claims: claims.map((claim, i) => {
        const lookup = lookups[i];
        return {
          ...claim,
          clusters: lookup ? states[found.indexOf(lookup)] : [],
        };
      }),
      clusters,
    };
  }

  /**
   * The claim Resources the entity depends on, as the user may see them:
   * one catalog call with their credentials.
   */
  async #dependencies(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<ClaimResource[]> {
    const entityRefs = (entity.relations ?? [])
      .filter(
        r =>
          r.type === RELATION_DEPENDS_ON &&
          parseEntityRef(r.targetRef).kind.toLowerCase() === 'resource',
      )
      .map(r => r.targetRef);
    if (entityRefs.length === 0) return [];
    const { items } = await this.#deps.catalog.getEntitiesByRefs(
      {
        entityRefs,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
          'spec.owner',
        ],
      },
      { credentials },
    );
    return items.flatMap(item => {
      const resource = item && claimResource(item);
      return resource ? [resource] : [];
    });
  }

  /**
   * The claims from git, de-duplicated: the entity's own (via service),
   * then its dependencies' (via dependency). A service's own claim that is
   * also a dependency stays via service, with the Resource's ref.
   */
  async #claims(
    entity: Entity,
    entityRef: string,
    dependencies: ClaimResource[],
  ): Promise<Claim[]> {
    const platformApis = this.#deps.platformApis;
    const location = gitopsLocation(entity);
    const dependencyPaths = dependencies.map(d => d.path);
    let own: ClaimView[] = [];
    let read: GitOpsFileContents[];
    if (location) {
      const manifests = await readEntityManifests({
        repository: this.#deps.repository,
        entity,
        location,
        platformApis,
        alsoRead: dependencyPaths,
      });
      own = manifests.claims;
      read = manifests.read;
    } else {
      read = (await readGitOpsFiles(this.#deps.repository, dependencyPaths))
        .files;
    }

    // A claim Resource's own claim is its Resource.
    const self = claimResource(entity) ? entityRef : undefined;
    const claims = new Map<string, Claim>();
    for (const view of own) {
      const claim = claimOf(view, 'service', self);
      claims.set(claimKey(claim), claim);
    }
    const readClaims = viewManifests(
      read.flatMap(f => f.objects),
      { platformApis },
    ).claims;
    for (const dependency of dependencies) {
      const view = readClaims.find(
        c =>
          c.source.path === dependency.path &&
          `${c.apiVersion}/${c.kind}` === dependency.claim &&
          c.name === dependency.name,
      );
      // A Resource whose claim is no longer in git has nothing to show.
      if (!view) continue;
      const claim = claimOf(view, 'dependency', dependency.ref);
      const existing = claims.get(claimKey(claim));
      if (existing) existing.resourceRef ??= dependency.ref;
      else claims.set(claimKey(claim), claim);
    }
    return [...claims.values()];
  }
}
