import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Change an existing service's files in the GitOps repository through a
 * golden path (e.g. add a database claim and load its Secret): a resource
 * permission on the service's catalog entity, so the policy can allow its
 * owners (and platform admins) only.
 */
export const gitopsServiceUpdatePermission = createPermission({
  name: 'gitops.service.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});
