/**
 * The scorecard's extension point for backend modules.
 *
 * @packageDocumentation
 */
export { scorecardFactProvidersExtensionPoint } from './extensionPoints';
export type { ScorecardFactProvidersExtensionPoint } from './extensionPoints';
export type {
  EntityChangeListener,
  EntityRevisions,
  FactProvider,
} from './FactProvider';
