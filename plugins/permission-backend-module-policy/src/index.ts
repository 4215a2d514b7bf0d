/**
 * Causeway's permission policy, as a module of the permission backend, and
 * the Kubernetes backend module that applies it to each entity's objects.
 *
 * @packageDocumentation
 */
export { permissionModuleCausewayPolicy as default } from './module';
export { CausewayPermissionPolicy } from './CausewayPermissionPolicy';
export type { CausewayPermissionPolicyOptions } from './CausewayPermissionPolicy';
export { kubernetesModuleOwnersOnly } from './kubernetes/module';
export { kubernetesEntityObjectsReadPermission } from './kubernetes/permissions';
