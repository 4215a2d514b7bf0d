/**
 * The golden paths' own scaffolder actions, as a backend module.
 *
 * @packageDocumentation
 */
export { scaffolderModuleGoldenPaths as default } from './module';
