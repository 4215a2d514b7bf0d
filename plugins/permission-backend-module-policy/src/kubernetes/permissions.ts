import { createPermission } from '@backstage/plugin-permission-common';

/**
 * See the Kubernetes objects of one catalog entity (the Kubernetes tab, the
 * workload and custom resource queries): a resource permission on the
 * entity, so the policy can allow its owners and platform admins only. The
 * upstream kubernetes.resources.read is a basic permission, which cannot
 * depend on whose the entity is.
 */
export const kubernetesEntityObjectsReadPermission = createPermission({
  name: 'kubernetes.entity.objects.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
