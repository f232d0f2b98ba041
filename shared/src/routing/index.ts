export { checkSolution } from './check';
export { createMetric, euclidean, haversine, type Metric } from './geo';
export { lateReport, replanWithDeadlines, solveWithDeadlines } from './legal';
export { UNSERVED_REASONS } from './reasons';
export { replan } from './replan';
export { parseSolomon } from './solomon';
export { solve } from './solve';
export type {
  Depot,
  LateReason,
  LateStop,
  LegalBasis,
  DistanceMatrix,
  PlanChange,
  Place,
  PlannedRoute,
  Problem,
  Solution,
  SolveOptions,
  Stop,
  Travel,
  Unserved,
  UnservedReason,
  Violation,
  ViolationCode,
} from './types';
