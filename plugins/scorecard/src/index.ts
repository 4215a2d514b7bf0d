/**
 * The scorecard's frontend: a Scorecard tab and summary card on components,
 * a card on group pages and the Scorecards page.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export { scorecardApiRef, ScorecardClient } from './api/ScorecardClient';
export type {
  ChecksResponse,
  NewWaiver,
  OverviewQuery,
  OverviewSort,
  ScorecardApi,
  ScorecardCheck,
  StoredWaiver,
} from './api/ScorecardClient';
