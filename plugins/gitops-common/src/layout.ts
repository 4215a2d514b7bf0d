/**
 * The annotation naming an entity's place in the GitOps repository: a
 * service's folder (apps/ENVIRONMENT/NAMESPACE/NAME) or a claim Resource's
 * file.
 */
export const GITOPS_PATH_ANNOTATION = 'causeway.dev/gitops-path';

/** On a claim's catalog Resource: the claim's apiVersion/kind. */
export const CLAIM_ANNOTATION = 'causeway.dev/claim';

/**
 * The label naming the team (its group's name) that owns an object the
 * builders write: what tells, in the GitOps repository, whose a folder is.
 */
export const OWNER_LABEL = 'causeway.dev/owner';

/** Where things live in the GitOps repository; Argo CD applications point here. */
export const gitopsLayout = {
  serviceDir: (environment: string, namespace: string, name: string) =>
    `apps/${environment}/${namespace}/${name}`,
  namespaceDir: (environment: string, namespace: string) =>
    `apps/${environment}/${namespace}/_namespace`,
  infrastructureDir: (environment: string, namespace: string) =>
    `infrastructure/${environment}/${namespace}`,
};

const SERVICE_DIR = /^apps\/([a-z0-9-]+)\/([a-z0-9-]+)\/([a-z0-9-]+)$/;

/** The parts of a service's folder (apps/ENVIRONMENT/NAMESPACE/NAME), or undefined for any other path. */
export function parseServiceDir(
  dir: string,
): { environment: string; namespace: string; name: string } | undefined {
  const match = SERVICE_DIR.exec(dir);
  return match
    ? { environment: match[1], namespace: match[2], name: match[3] }
    : undefined;
}

const TEAM_PATH = /^(?:apps|infrastructure)\/[a-z0-9-]+\/([a-z0-9-]+)\/./;

/**
 * The team (its group's name) whose namespace a repository path is in:
 * apps/ENVIRONMENT/TEAM/... or infrastructure/ENVIRONMENT/TEAM/...;
 * undefined for any other path (Argo CD applications, platform files).
 */
export function teamOfPath(path: string): string | undefined {
  return TEAM_PATH.exec(path)?.[1];
}
