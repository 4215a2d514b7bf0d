/**
 * Catalog entity providers for Causeway's git repositories.
 *
 * @packageDocumentation
 */
export { catalogModuleGitops as default } from './module';
