/**
 * Causeway's permission policy, as a module of the permission backend.
 *
 * @packageDocumentation
 */
export { permissionModuleCausewayPolicy as default } from './module';
export { CausewayPermissionPolicy } from './CausewayPermissionPolicy';
export type { CausewayPermissionPolicyOptions } from './CausewayPermissionPolicy';
