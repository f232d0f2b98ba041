import { createMetric } from './geo';
import { buildModel, type StartSpec } from './model';
import { unserved } from './reasons';
import { cpuClock, optimize, wallClock } from './search';
import { dayEnd, describeRoute, scheduleNodes, splitValidStops } from './solve';
import type { PlanChange, PlannedRoute, Problem, Solution, SolveOptions, Stop } from './types';

const DEFAULT_REPLAN_MS = 120;

/**
 * Re-plan during the day. Stops a courier has reached by `change.now` stay where they are; failed stops
 * leave the plan (reported as STOP_FAILED); added stops are inserted; the rest may move between couriers.
 * Each courier continues from its current position when given, else from its last stop reached.
 * `problem` is the morning's problem; the returned plan covers its stops plus `change.added`.
 */
export const replan = (
  problem: Problem,
  current: Solution,
  change: PlanChange,
  options: SolveOptions = {},
): Solution => {
  const clock = options.cpuTime ? cpuClock() : wallClock;
  const startedAt = clock();
  const added = change.added ?? [];
  const full: Problem = { ...problem, stops: [...problem.stops, ...added] };
  const metric = createMetric(full);
  const byId = new Map<string, Stop>(full.stops.map((s) => [s.id, s]));
  const failed = new Set(change.failed ?? []);
  const now = change.now;
  const vehicles = Math.max(0, Math.floor(problem.vehicles));
  const fixed: { stops: Stop[]; arrivals: number[] }[] = Array.from({ length: vehicles }, () => ({
    stops: [],
    arrivals: [],
  }));
  const starts: StartSpec[] = [];
  const pending: string[][] = Array.from({ length: vehicles }, () => []);
  const routeOf = new Map(current.routes.map((r) => [r.vehicle, r]));
  const resume = new Map<number, NonNullable<PlannedRoute['resumeFrom']>>();
  for (let v = 0; v < vehicles; v++) {
    const route = routeOf.get(v);
    let place: Stop | undefined;
    let depart = Math.max(problem.depot.readyTime, now);
    let load = 0;
    route?.stops.forEach((id, i) => {
      const stop = byId.get(id);
      const arrival = route.arrivals[i] ?? Number.POSITIVE_INFINITY;
      if (!stop) return;
      if (arrival > now) {
        if (!failed.has(id)) pending[v]!.push(id);
        return;
      }
      place = stop;
      depart = Math.max(now, Math.max(arrival, stop.readyTime) + stop.serviceTime);
      if (failed.has(id)) return;
      fixed[v]!.stops.push(stop);
      fixed[v]!.arrivals.push(arrival);
      load += stop.demand;
    });
    const position = change.positions?.[v];
    // A dense matrix knows the position by its own id; otherwise the id only has to be unique.
    const dense = typeof problem.matrix === 'object';
    const at =
      position && metric.knows(position)
        ? { ...position, id: dense ? position.id : `@courier-${v}` }
        : undefined;
    if (at) resume.set(v, { index: fixed[v]!.stops.length, place: at, time: depart });
    starts.push({ place: at ?? place, depart, load });
  }
  const fixedIds = new Set(fixed.flatMap((f) => f.stops.map((s) => s.id)));
  const candidates = full.stops.filter((s) => !fixedIds.has(s.id) && !failed.has(s.id));
  const { valid, invalid } = splitValidStops(
    full,
    metric,
    candidates,
    new Set([problem.depot.id, ...fixedIds]),
  );
  const model = buildModel({
    depot: problem.depot,
    customers: valid,
    starts,
    capacity: problem.capacity,
    end: dayEnd(problem),
    metric,
  });
  const nodeOf = new Map(valid.map((s, i) => [s.id, i + 1]));
  const result = optimize(model, {
    timeLimitMs: options.timeLimitMs ?? DEFAULT_REPLAN_MS,
    seed: options.seed ?? 1,
    maxIterations: options.maxIterations,
    initial: pending.map((ids) => ids.flatMap((id) => nodeOf.get(id) ?? [])),
    clock,
    startedAt,
  });
  const routes: PlannedRoute[] = [];
  for (let v = 0; v < vehicles; v++) {
    const nodes = result.routes[v]!.nodes;
    const f = fixed[v]!;
    if (nodes.length === 0 && f.stops.length === 0) continue;
    const stops = [...f.stops, ...nodes.map((u) => valid[u - 1]!)];
    const arrivals = [...f.arrivals, ...scheduleNodes(model, v, nodes)];
    const planned = describeRoute(metric, problem.depot, v, stops, arrivals);
    const from = resume.get(v);
    if (from) {
      planned.resumeFrom = from;
      if (nodes.length === 0) planned.returnTime = from.time + metric.travel(from.place, problem.depot).time;
    }
    routes.push(planned);
  }
  return {
    routes,
    distance: routes.reduce((sum, r) => sum + r.distance, 0),
    unserved: [
      ...[...failed].filter((id) => byId.has(id)).map((id) => unserved(id, 'STOP_FAILED')),
      ...invalid,
      ...[...result.unreachable].map(([u, why]) => unserved(valid[u - 1]!.id, why)),
      ...result.pool.map((u) => unserved(valid[u - 1]!.id, 'NO_VEHICLE_AVAILABLE')),
    ],
  };
};
