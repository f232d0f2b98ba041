export {
  type ComputeOptions,
  computeIndicators,
  PUBLICITY_GROUP,
  scoreOf,
  type GroupBy,
  type GroupResult,
  type IndicatorResult,
} from './compute';
export type { ClockOptions, DossierFact, Extension, Period, Supplement } from './facts';
export {
  endOfProcessing,
  isOnTime,
  type NotCountedReason,
  type OnTimeReason,
  type OnTimeVerdict,
} from './on-time';
export { percentOf, pointsFor, type Rate, round2 } from './rates';
export {
  DOSSIER_GROUPS,
  type DossierGroup,
  INDICATOR_RULES,
  INDICATORS,
  type IndicatorGroup,
  type IndicatorKey,
  type IndicatorRule,
  type IndicatorRules,
  type IndicatorRulesVersion,
  indicatorRulesOn,
} from './rules';
export { type Move, type Step, whatMovesIt } from './what-moves-it';
export {
  AT_RISK_HOURS,
  type DeadlineStatus,
  deadlineStatus,
  type Risk,
  type Whereabouts,
  whereaboutsOf,
} from './deadline';
