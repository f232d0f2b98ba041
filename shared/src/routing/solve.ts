import { createMetric, type Metric } from './geo';
import { buildModel, type Model, type StartSpec } from './model';
import { unserved } from './reasons';
import type { Route } from './route';
import { cpuClock, optimize, type Tuning, wallClock } from './search';
import type { Depot, PlannedRoute, Problem, Solution, SolveOptions, Stop, Unserved } from './types';

const DEFAULT_TIME_LIMIT_MS = 1000;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Stops the solver can work with; the others are reported as INVALID_STOP rather than crash the plan. */
export const splitValidStops = (
  problem: Problem,
  metric: Metric,
  stops: Stop[],
  taken: Set<string> = new Set([problem.depot.id]),
): { valid: Stop[]; invalid: Unserved[] } => {
  const valid: Stop[] = [];
  const invalid: Unserved[] = [];
  for (const s of stops) {
    const ok =
      typeof s.id === 'string' &&
      !taken.has(s.id) &&
      finite(s.demand) &&
      s.demand >= 0 &&
      finite(s.readyTime) &&
      finite(s.dueTime) &&
      s.dueTime >= s.readyTime &&
      finite(s.serviceTime) &&
      s.serviceTime >= 0 &&
      metric.knows(s);
    if (typeof s.id === 'string') taken.add(s.id);
    if (ok) valid.push(s);
    else invalid.push(unserved(String(s.id), 'INVALID_STOP'));
  }
  return { valid, invalid };
};

/** Latest return to the depot: its due time, or the end of the shift when that comes first. */
export const dayEnd = (problem: Problem): number =>
  problem.shiftLength === undefined
    ? problem.depot.dueTime
    : Math.min(problem.depot.dueTime, problem.depot.readyTime + problem.shiftLength);

/** Arrival times along a route, recomputed with the model's travel times. */
export const scheduleNodes = (model: Model, vehicle: number, nodes: number[]): number[] => {
  const v = model.vehicles[vehicle]!;
  let t = v.depart;
  let prev = v.node;
  return nodes.map((u) => {
    const arr = t + model.time[prev * model.size + u]!;
    t = Math.max(arr, model.ready[u]!) + model.svc[u]!;
    prev = u;
    return arr;
  });
};

/** A route as the courier sees it: stop ids, arrival times and the distance depot → stops → depot. */
export const describeRoute = (
  metric: Metric,
  depot: Depot,
  vehicle: number,
  stops: Stop[],
  arrivals: number[],
): PlannedRoute => {
  let distance = 0;
  let prev: Stop | Depot = depot;
  let load = 0;
  let t = depot.readyTime;
  stops.forEach((s, i) => {
    distance += metric.travel(prev, s).distance;
    load += s.demand;
    t = Math.max(arrivals[i]!, s.readyTime) + s.serviceTime;
    prev = s;
  });
  const back = metric.travel(prev, depot);
  distance += back.distance;
  return { vehicle, stops: stops.map((s) => s.id), distance, arrivals, load, returnTime: t + back.time };
};

/** For the bench and tuning only: search knobs, and an object the solve fills with its figures. */
type InternalOptions = SolveOptions & {
  tuning?: Partial<Tuning>;
  stats?: { iterations?: number; constructionMs?: number; modelMs?: number };
};

/**
 * Plan the day: routes for up to `problem.vehicles` couriers from the depot, minimising total distance
 * under capacity, time windows and shift length. Stops that cannot be served come back in `unserved`
 * with a reason; the function does not throw on bad stops.
 */
export const solve = (problem: Problem, options: SolveOptions = {}): Solution => {
  const clock = options.cpuTime ? cpuClock() : wallClock;
  const startedAt = clock();
  const metric = createMetric(problem);
  const { valid, invalid } = splitValidStops(problem, metric, problem.stops);
  const vehicles = Math.max(0, Math.floor(finite(problem.vehicles) ? problem.vehicles : 0));
  const starts: StartSpec[] = Array.from({ length: vehicles }, () => ({
    depart: problem.depot.readyTime,
    load: 0,
  }));
  const model = buildModel({
    depot: problem.depot,
    customers: valid,
    starts,
    capacity: problem.capacity,
    end: dayEnd(problem),
    metric,
  });
  const internal = options as InternalOptions;
  const modelMs = clock() - startedAt;
  const result = optimize(model, {
    timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
    seed: options.seed ?? 1,
    maxIterations: options.maxIterations,
    tuning: internal.tuning,
    clock,
    startedAt,
  });
  if (internal.stats) {
    internal.stats.iterations = result.iterations;
    internal.stats.constructionMs = result.constructedAt - startedAt;
    internal.stats.modelMs = modelMs;
  }
  return toSolution(problem, metric, model, valid, result.routes, [
    ...invalid,
    ...[...result.unreachable].map(([u, why]) => unserved(valid[u - 1]!.id, why)),
    ...result.pool.map((u) => unserved(valid[u - 1]!.id, 'NO_VEHICLE_AVAILABLE')),
  ]);
};

const toSolution = (
  problem: Problem,
  metric: Metric,
  model: Model,
  customers: Stop[],
  routes: Route[],
  left: Unserved[],
): Solution => {
  const planned = routes
    .filter((r) => r.nodes.length > 0)
    .map((r) =>
      describeRoute(
        metric,
        problem.depot,
        r.vehicle,
        r.nodes.map((u) => customers[u - 1]!),
        scheduleNodes(model, r.vehicle, r.nodes),
      ),
    );
  return { routes: planned, distance: planned.reduce((sum, r) => sum + r.distance, 0), unserved: left };
};
