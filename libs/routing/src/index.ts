export type {
  AreaRef,
  CategoryCandidate,
  OpdCandidate,
  RoutingCandidates,
  RoutingDecision,
  RoutingInput,
  RoutingOutcome,
} from './types';
export { analyseRouting, decide, decideAnalysed, proposeRouting, type RoutingAnalysis } from './decide';
export type { Preview, PreviewItem, UnitRef } from './admin-api';
export {
  createRoutingContext,
  defaultRules,
  loadRoutingKnowledge,
  DEFAULT_THRESHOLDS,
  type RoutingContext,
  type RoutingContextOptions,
  type RoutingKnowledge,
  type RoutingThresholds,
} from './knowledge';
export {
  evaluateRules,
  parseRoutingRules,
  selectRule,
  RoutingRulesError,
  type ResolvedUnit,
  type RoutingRule,
  type RoutingRules,
  type RuleEvaluation,
  type RuleFacts,
  type RuleMatch,
  type RuleTarget,
  type UnitLevel,
} from './unit/rules';
export { defaultRoutingRules, DEFAULT_RULES_VERSION } from './unit/default-rules';
export {
  DEFAULT_DUPLICATE_POLICY,
  InMemoryIncidentIndex,
  candidateCategories,
  findDuplicateIn,
  type DuplicateMatch,
  type DuplicatePolicy,
  type IncidentIndex,
  type IncidentRecord,
} from './duplicates/incident-index';
export { textSignature, signatureSimilarity } from './duplicates/text-signature';
export { compatibleCategories, incidentFamily } from './duplicates/category-family';
export type { PlaceCandidate, PlaceLevel } from './place/text-place';
export type { LatLon } from './place/geometry';
