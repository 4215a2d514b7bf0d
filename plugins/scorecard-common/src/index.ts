/**
 * The scorecard's shared model: levels, the rule language over facts, check
 * files, permissions and the API's types.
 *
 * @packageDocumentation
 */
export { computeLevel, LEVELS, levelRank } from './levels';
export type { EntityLevel, Level } from './levels';
export {
  compileRule,
  OPERATOR_FACT_TYPES,
  OPERATORS,
  ruleFacts,
} from './rules';
export type {
  Comparison,
  CompiledRule,
  FactDefinition,
  Facts,
  FactType,
  FactValue,
  Operator,
  Rule,
} from './rules';
export { parseCheckFile, selectorMatches } from './checks';
export { isSafeLink } from './links';
export type {
  CheckDefinition,
  CheckFileProblem,
  EntitySelector,
  EntitySubject,
} from './checks';
export {
  scorecardEvaluatePermission,
  scorecardPermissions,
  scorecardReadPermission,
  scorecardWaiverCreatePermission,
  scorecardWaiverDeletePermission,
} from './permissions';
export { gradedCommits, revisionsMatch } from './revisions';
export type { GradedRevisions, Revision } from './revisions';
export type * from './api';
