import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  GitOpsFileView,
  GitOpsView,
  viewManifests,
} from '@causeway/plugin-gitops-common';
import { clusterDrift } from './clusterDrift';
import { clustersState, mayReadClusters } from './clustersState';
import { gitopsLocation, readEntityManifests } from './gitopsFiles';
import { readEntity } from './readEntity';
import type { ViewDependencies } from './viewDependencies';
import { repositoryLinks } from './repositoryLinks';

/** The commits a view shows. */
const HISTORY_LENGTH = 20;

/**
 * The GitOps view of an entity's page: the files of its GitOps folder and
 * of its claims with the objects in them, the commits that changed them, and
 * how each configured cluster differs from them.
 */
export class GitOpsViewService {
  readonly #deps: ViewDependencies;

  constructor(deps: ViewDependencies) {
    this.#deps = deps;
  }

  async view(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<GitOpsView> {
    const { entity, entityRef } = await readEntity(
      this.#deps.catalog,
      ref,
      credentials,
    );
    const clusters = await clustersState({
      clusters: this.#deps.clusters,
      permissions: this.#deps.permissions,
      credentials,
    });
    const location = gitopsLocation(entity);
    if (!location) {
      return { entityRef, files: [], commits: [], clusters, drift: [] };
    }

    const platformApis = this.#deps.platformApis;
    const manifests = await readEntityManifests({
      repository: this.#deps.repository,
      entity,
      location,
      platformApis,
    });
    const objects = manifests.files.flatMap(f => f.objects);
    const [commits, drift] = await Promise.all([
      this.#deps.repository.history(
        [
          ...new Set([
            location.path,
            ...manifests.claims.map(c => c.source.path),
          ]),
        ],
        HISTORY_LENGTH,
      ),
      mayReadClusters(clusters)
        ? clusterDrift({
            clusters: this.#deps.clusters,
            git: objects,
            location,
            platformApis,
          })
        : [],
    ]);

    const unknown = new Set(viewManifests(objects, { platformApis }).unknown);
    const links = repositoryLinks(this.#deps.repository.displayUrl);
    const sha = manifests.commitSha;
    const files = manifests.files.map((file): GitOpsFileView => {
      const url = sha ? links.file(sha, file.path) : undefined;
      return {
        path: file.path,
        ...(url ? { url } : {}),
        objects: file.objects.map(parsed => {
          const { apiVersion, kind, metadata } = parsed.object;
          return {
            apiVersion,
            kind,
            // A kustomization.yaml may have no metadata.
            name: metadata?.name ?? '',
            ...(metadata?.namespace ? { namespace: metadata.namespace } : {}),
            known: !unknown.has(parsed),
          };
        }),
        problems: file.problems.map(({ line, message }) => ({
          line,
          message,
        })),
      };
    });
    const commitUrl = sha ? links.commit(sha) : undefined;

    return {
      entityRef,
      path: location.path,
      ...(sha
        ? { commit: { sha, ...(commitUrl ? { url: commitUrl } : {}) } }
        : {}),
      files,
      // The view names the author; their email stays out of it.
      commits: commits.map(
        ({ sha: commitSha, author, time, message, url }) => ({
          sha: commitSha,
          author,
          time,
          message,
          ...(url ? { url } : {}),
        }),
      ),
      clusters,
      drift,
    };
  }
}
