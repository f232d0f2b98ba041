import { createMetric } from './geo';
import type { Place, Problem, Solution, Stop, Violation } from './types';

const TOLERANCE = 1e-6;

/**
 * Independent feasibility check: recomputes every route from the problem alone (travel, waiting, loads,
 * return time, distances) and lists what is wrong. An empty list means the plan can be driven as given.
 */
export const checkSolution = (problem: Problem, solution: Solution): Violation[] => {
  const metric = createMetric(problem);
  const out: Violation[] = [];
  const stops = new Map<string, Stop>(problem.stops.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const vehiclesSeen = new Set<number>();
  const latestReturn = problem.depot.dueTime;
  const shiftEnd =
    problem.shiftLength === undefined
      ? Number.POSITIVE_INFINITY
      : problem.depot.readyTime + problem.shiftLength;
  let total = 0;
  for (const route of solution.routes) {
    const v = route.vehicle;
    if (!Number.isInteger(v) || v < 0 || v >= problem.vehicles) {
      out.push({
        code: 'VEHICLE_INVALID',
        vehicle: v,
        message: `vehicle ${v} is not one of 0..${problem.vehicles - 1}`,
      });
    } else if (vehiclesSeen.has(v)) {
      out.push({ code: 'VEHICLE_REUSED', vehicle: v, message: `vehicle ${v} has more than one route` });
    }
    vehiclesSeen.add(v);
    if (route.arrivals.length !== route.stops.length) {
      out.push({
        code: 'ARRIVALS_LENGTH',
        vehicle: v,
        message: `${route.stops.length} stops but ${route.arrivals.length} arrival times`,
      });
    }
    const resume = route.resumeFrom;
    const resumeAt = (r: { time: number }, leftAt: number, vehicle: number) => {
      if (r.time < leftAt - TOLERANCE) {
        out.push({
          code: 'ARRIVAL_IMPOSSIBLE',
          vehicle,
          message: `courier reported on the way at ${r.time.toFixed(2)}, before leaving its last stop at ${leftAt.toFixed(2)}`,
        });
      }
      return r.time;
    };
    let prev: Place = problem.depot;
    let departure = problem.depot.readyTime;
    let load = 0;
    let distance = 0;
    route.stops.forEach((id, i) => {
      const stop = stops.get(id);
      if (!stop) {
        out.push({ code: 'UNKNOWN_STOP', vehicle: v, stop: id, message: `stop ${id} is not in the problem` });
        return;
      }
      if (seen.has(id))
        out.push({ code: 'DUPLICATE_STOP', vehicle: v, stop: id, message: `stop ${id} is visited twice` });
      seen.add(id);
      const leg = metric.travel(prev, stop);
      distance += leg.distance;
      let earliest = departure + leg.time;
      if (resume?.index === i)
        earliest = resumeAt(resume, departure, v) + metric.travel(resume.place, stop).time;
      const reported = route.arrivals[i] ?? earliest;
      if (reported < earliest - TOLERANCE) {
        out.push({
          code: 'ARRIVAL_IMPOSSIBLE',
          vehicle: v,
          stop: id,
          message: `arrival ${reported.toFixed(2)} is before the earliest possible ${earliest.toFixed(2)}`,
        });
      }
      const arrival = Math.max(reported, earliest);
      const start = Math.max(arrival, stop.readyTime);
      if (start > stop.dueTime + TOLERANCE) {
        out.push({
          code: 'TIME_WINDOW_VIOLATED',
          vehicle: v,
          stop: id,
          message: `service starts at ${start.toFixed(2)}, after the window closes at ${stop.dueTime}`,
        });
      }
      departure = start + stop.serviceTime;
      load += stop.demand;
      prev = stop;
    });
    const back = metric.travel(prev, problem.depot);
    distance += back.distance;
    const returnTime =
      resume?.index === route.stops.length
        ? resumeAt(resume, departure, v) + metric.travel(resume.place, problem.depot).time
        : departure + back.time;
    if (load > problem.capacity + TOLERANCE) {
      out.push({
        code: 'CAPACITY_EXCEEDED',
        vehicle: v,
        message: `load ${load} exceeds capacity ${problem.capacity}`,
      });
    }
    if (returnTime > latestReturn + TOLERANCE) {
      out.push({
        code: 'LATE_RETURN',
        vehicle: v,
        message: `back at the depot at ${returnTime.toFixed(2)}, after it closes at ${latestReturn}`,
      });
    }
    if (returnTime > shiftEnd + TOLERANCE) {
      out.push({
        code: 'SHIFT_EXCEEDED',
        vehicle: v,
        message: `back at ${returnTime.toFixed(2)}, after the shift ends at ${shiftEnd}`,
      });
    }
    if (Math.abs(distance - route.distance) > TOLERANCE * Math.max(1, distance)) {
      out.push({
        code: 'DISTANCE_MISMATCH',
        vehicle: v,
        message: `route distance is ${distance.toFixed(3)}, reported ${route.distance}`,
      });
    }
    total += distance;
  }
  if (Math.abs(total - solution.distance) > TOLERANCE * Math.max(1, total)) {
    out.push({
      code: 'DISTANCE_MISMATCH',
      message: `total distance is ${total.toFixed(3)}, reported ${solution.distance}`,
    });
  }
  const unserved = new Set(solution.unserved.map((u) => u.id));
  for (const s of problem.stops) {
    if (seen.has(s.id) && unserved.has(s.id)) {
      out.push({
        code: 'SERVED_AND_UNSERVED',
        stop: s.id,
        message: `stop ${s.id} is both routed and unserved`,
      });
    } else if (!seen.has(s.id) && !unserved.has(s.id)) {
      out.push({
        code: 'MISSING_STOP',
        stop: s.id,
        message: `stop ${s.id} is neither routed nor reported unserved`,
      });
    }
  }
  return out;
};
