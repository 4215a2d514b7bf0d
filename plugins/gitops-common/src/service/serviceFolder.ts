import { InputError, NotAllowedError } from '@backstage/errors';
import {
  GITOPS_PATH_ANNOTATION,
  gitopsLayout,
  OWNER_LABEL,
  parseServiceDir,
} from '../layout';
import { WORKLOAD_KINDS } from '../parse/manifestView';
import {
  ManifestSourceFile,
  parseManifestFiles,
} from '../parse/parseManifests';

/** A service's folder in the GitOps repository, and where it runs. */
export type ServiceFolder = {
  /** apps/ENVIRONMENT/NAMESPACE/NAME */
  gitopsPath: string;
  environment: string;
  /** The owning team's name: a team's workloads run in its namespace. */
  namespace: string;
  name: string;
};

/**
 * The folder of a catalog entity that a golden path may change, decided from
 * what the catalog says of the entity: apps/ENVIRONMENT/OWNER/NAME, OWNER
 * being the name of the group in its spec.owner. Its
 * causeway.dev/gitops-path annotation, written by whoever registered the
 * entity, only picks the environment and must name that very folder.
 */
export function serviceFolderOf(entity: {
  /** e.g. component:default/refund-api, for messages */
  ref: string;
  name: string;
  /** The name of the group in spec.owner; undefined when no group owns it. */
  ownerName?: string;
  /** Its causeway.dev/gitops-path annotation. */
  gitopsPath?: string;
}): ServiceFolder {
  const { ref, name, ownerName, gitopsPath } = entity;
  if (!gitopsPath) {
    throw new InputError(
      `${ref} has no ${GITOPS_PATH_ANNOTATION} annotation: it has no folder in the GitOps repository`,
    );
  }
  if (!ownerName) {
    throw new InputError(
      `${ref} is not owned by a group: only a team's services have a folder in the GitOps repository`,
    );
  }
  const parsed = parseServiceDir(gitopsPath.replace(/\/+$/, ''));
  const expected = gitopsLayout.serviceDir(
    parsed?.environment ?? 'ENVIRONMENT',
    ownerName,
    name,
  );
  if (!parsed || gitopsPath.replace(/\/+$/, '') !== expected) {
    throw new InputError(
      `${ref}: its ${GITOPS_PATH_ANNOTATION} annotation ${JSON.stringify(
        gitopsPath,
      )} is not its folder: ${name}, owned by ${ownerName}, lives in ${expected}`,
    );
  }
  return {
    gitopsPath: expected,
    environment: parsed.environment,
    namespace: ownerName,
    name,
  };
}

/**
 * Refuses a folder whose manifests do not say they are the team's: it must
 * hold a workload, and each workload, and any other object that names an
 * owner, must carry the team's owner label. What the catalog says of an
 * entity is not enough to change files that another team's label marks.
 */
export function assertFolderOwnedBy(
  gitopsPath: string,
  owner: string,
  files: ManifestSourceFile[],
): void {
  const { objects } = parseManifestFiles(files);
  const workloads = objects.filter(o =>
    (WORKLOAD_KINDS as readonly string[]).includes(o.object.kind),
  );
  if (workloads.length === 0) {
    throw new InputError(
      `${gitopsPath} holds no workload in the GitOps repository`,
    );
  }
  // The workloads first: what a change is about.
  const others = objects.filter(o => !workloads.includes(o));
  for (const parsed of [...workloads, ...others]) {
    const { path, object } = parsed;
    const label = object.metadata?.labels?.[OWNER_LABEL];
    if (
      label !== owner &&
      (workloads.includes(parsed) || label !== undefined)
    ) {
      throw new NotAllowedError(
        `${path} in the GitOps repository is not ${owner}'s: its ${
          object.kind
        } ${object.metadata.name} has ${
          label === undefined
            ? `no ${OWNER_LABEL} label`
            : `${OWNER_LABEL}: ${JSON.stringify(label)}`
        }`,
      );
    }
  }
}
