/**
 * The annotation naming an entity's place in the GitOps repository: a
 * service's folder (apps/ENVIRONMENT/NAMESPACE/NAME) or a claim Resource's
 * file.
 */
export const GITOPS_PATH_ANNOTATION = 'causeway.dev/gitops-path';

/** On a claim's catalog Resource: the claim's apiVersion/kind. */
export const CLAIM_ANNOTATION = 'causeway.dev/claim';

/** Where things live in the GitOps repository; Argo CD applications point here. */
export const gitopsLayout = {
  serviceDir: (environment: string, namespace: string, name: string) =>
    `apps/${environment}/${namespace}/${name}`,
  namespaceDir: (environment: string, namespace: string) =>
    `apps/${environment}/${namespace}/_namespace`,
  infrastructureDir: (environment: string, namespace: string) =>
    `infrastructure/${environment}/${namespace}`,
};
