/**
 * The scorecard backend plugin: checks evaluated ahead of time, stored
 * results, history, rollups, waivers and the release gate.
 *
 * @packageDocumentation
 */
export { scorecardPlugin as default } from './plugin';
export { CatalogFactProvider } from './facts/CatalogFactProvider';
export { CompiledChecks, evaluateEntity } from './service/evaluation';
export type { WaiverRecord } from './database/ScorecardStore';
export type { WaiverView } from './service/ScorecardService';
