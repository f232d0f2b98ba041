/** A place on the map: Solomon-style plane coordinates (x, y) or a GPS position (lat, lng). */
export type Place = { id: string; x?: number; y?: number; lat?: number; lng?: number };

/** A courier task: pick up or deliver at a citizen's address within the citizen's time window. */
export type Stop = Place & {
  /** Load the stop adds to the vehicle (dossiers, parcels…), counted against `Problem.capacity`. */
  demand: number;
  /** Earliest start of service, minutes from the start of the day. */
  readyTime: number;
  /** Latest start of service, minutes from the start of the day. */
  dueTime: number;
  /** Minutes spent at the door. */
  serviceTime: number;
  /**
   * Optional, for the legal plan (routing/legal.ts): the latest start of service, in minutes of the day, that
   * keeps the stop's legal date (result due date, J+n service level); absent = nothing due on this day.
   * A value below the day's start means the date has already passed: the stop is late whatever happens.
   */
  legalDue?: number;
  /** What sets `legalDue`, for the report. */
  legalBasis?: LegalBasis;
  /** The legal date itself (YYYY-MM-DD), for the report. */
  legalDate?: string;
};

/** Where a stop's legal deadline comes from: the result's due date, or the postal J+n service level. */
export type LegalBasis = 'result_due' | 'service_level';

/** The post office couriers leave from and return to; `dueTime` is the latest return. */
export type Depot = Place & { readyTime: number; dueTime: number };

export type Travel = { distance: number; time: number };

/**
 * A road-distance/time matrix in place of straight lines: either a function of two places, or dense
 * arrays indexed like `ids` (which must hold the depot's and every stop's id).
 */
export type DistanceMatrix =
  | ((from: Place, to: Place) => Travel)
  | { ids: string[]; distance: number[][]; time?: number[][] };

export type Problem = {
  depot: Depot;
  stops: Stop[];
  vehicles: number;
  capacity: number;
  /** Longest working time of a courier, minutes from the depot's ready time. */
  shiftLength?: number;
  /** Speed used to turn haversine metres into travel minutes (default 25 km/h, a motorbike in town). */
  speedKmh?: number;
  matrix?: DistanceMatrix;
};

export type PlannedRoute = {
  vehicle: number;
  stops: string[];
  /** Depot → stops → depot, in the problem's distance unit (metres for lat/lng). */
  distance: number;
  /** Arrival time at each stop (the courier may then wait for the stop's ready time). */
  arrivals: number[];
  /** Total demand collected on the route. */
  load: number;
  /** Time the courier is back at the depot. */
  returnTime: number;
  /** After a re-plan from a reported position: the courier was at `place` at `time`, before stop `index`. */
  resumeFrom?: { index: number; place: Place; time: number };
};

export type UnservedReason =
  | 'INVALID_STOP'
  | 'DEMAND_EXCEEDS_CAPACITY'
  | 'TIME_WINDOW_UNREACHABLE'
  | 'CANNOT_RETURN_IN_TIME'
  | 'NO_VEHICLE_AVAILABLE'
  | 'STOP_FAILED'
  /** Left for another day to make room for stops whose legal date is today (routing/legal.ts). */
  | 'DEFERRED_FOR_LEGAL_DATE';

export type Unserved = { id: string; reason: UnservedReason; vi: string; en: string };

export type Solution = {
  routes: PlannedRoute[];
  distance: number;
  unserved: Unserved[];
  /** Legal plan only: the stops that will miss their legal date, and why (routing/legal.ts). */
  late?: LateStop[];
};

export type LateReason =
  /** The legal date was already past before the day started. */
  | 'ALREADY_OVERDUE'
  /** Even alone, straight from the start, no courier reaches the stop before its legal time. */
  | 'DEADLINE_UNREACHABLE'
  /** The citizen's window opens after the legal time: serving it in the window is late by construction. */
  | 'WINDOW_AFTER_DEADLINE'
  /** Reachable alone, but the couriers' day is full of other stops due today. */
  | 'FLEET_FULL'
  /** Not served today at all (no room, no position, invalid data); see `unserved` for the stop's reason. */
  | 'NOT_SERVED';

export type LateStop = {
  id: string;
  reason: LateReason;
  basis?: LegalBasis;
  legalDate?: string;
  /** The legal latest start (minutes of the day) and the planned arrival, when served today. */
  legalDue?: number;
  plannedArrival?: number;
  vi: string;
  en: string;
};

export type SolveOptions = {
  /**
   * Budget for the whole solve: building the distance model, construction and improvement (default
   * 1000 ms). Measured in wall time unless `cpuTime` is set.
   */
  timeLimitMs?: number;
  /**
   * Measure `timeLimitMs` in CPU time of the process rather than wall time, so that a budget means the
   * same amount of search on a loaded machine (benchmarks). Falls back to wall time where the runtime has
   * no CPU counter.
   */
  cpuTime?: boolean;
  /** Same seed and same `maxIterations` → same solution. */
  seed?: number;
  /** Iteration budget; when given, the annealing schedule follows iterations, not the clock. */
  maxIterations?: number;
};

/** A mid-day change: new stops, failed stops, the clock, and optionally where each courier is now. */
export type PlanChange = {
  added?: Stop[];
  failed?: string[];
  now: number;
  /** Current position of a courier, by vehicle index. */
  positions?: Record<number, Place>;
};

export type ViolationCode =
  | 'UNKNOWN_STOP'
  | 'DUPLICATE_STOP'
  | 'MISSING_STOP'
  | 'SERVED_AND_UNSERVED'
  | 'VEHICLE_INVALID'
  | 'VEHICLE_REUSED'
  | 'CAPACITY_EXCEEDED'
  | 'TIME_WINDOW_VIOLATED'
  | 'ARRIVAL_IMPOSSIBLE'
  | 'ARRIVALS_LENGTH'
  | 'LATE_RETURN'
  | 'SHIFT_EXCEEDED'
  | 'DISTANCE_MISMATCH';

export type Violation = { code: ViolationCode; vehicle?: number; stop?: string; message: string };
