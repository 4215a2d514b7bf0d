/** Where things live in the GitOps repository; Argo CD applications point here. */
export const gitopsLayout = {
  serviceDir: (environment: string, namespace: string, name: string) =>
    `apps/${environment}/${namespace}/${name}`,
  namespaceDir: (environment: string, namespace: string) =>
    `apps/${environment}/${namespace}/_namespace`,
  infrastructureDir: (environment: string, namespace: string) =>
    `infrastructure/${environment}/${namespace}`,
};
