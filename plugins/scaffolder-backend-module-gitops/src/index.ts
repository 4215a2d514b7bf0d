/**
 * The golden paths' GitOps actions, as a scaffolder backend module.
 *
 * @packageDocumentation
 */
export { scaffolderModuleGitops as default } from './module';
