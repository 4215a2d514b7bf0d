import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { EntityChangeListener, FactProvider } from './FactProvider';

export interface ScorecardFactProvidersExtensionPoint {
  addFactProvider(...providers: FactProvider[]): void;
  /**
   * Lets a module say when entities' facts changed (e.g. a push to their
   * GitOps folder), so they are re-graded at once rather than on schedule.
   */
  addChangeSource(subscribe: (listener: EntityChangeListener) => void): void;
}

/** Where backend modules add fact providers to the scorecard. */
export const scorecardFactProvidersExtensionPoint =
  createExtensionPoint<ScorecardFactProvidersExtensionPoint>({
    id: 'scorecard.fact-providers',
  });
