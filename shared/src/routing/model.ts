import type { Metric } from './geo';
import type { Depot, Place, Stop } from './types';

/** Where and when a vehicle starts: the depot at opening, or (mid-day) its last stop or position. */
export type VehicleStart = { node: number; depart: number; load: number; group: number };

/**
 * The solver's flat view of a problem: node 0 is the depot, 1..n the stops to route, then the vehicles'
 * start places. Matrices are row-major `size × size`.
 */
export type Model = {
  n: number;
  size: number;
  ready: Float64Array;
  due: Float64Array;
  svc: Float64Array;
  dem: Float64Array;
  dist: Float64Array;
  time: Float64Array;
  capacity: number;
  /** Latest return to the depot (depot due time, shortened by the shift length). */
  end: number;
  vehicles: VehicleStart[];
  /** For each stop, the other stops nearest first. */
  neighbours: Int32Array[];
  maxDist: number;
};

export type StartSpec = { place?: Place; depart: number; load: number };

export const buildModel = (input: {
  depot: Depot;
  customers: Stop[];
  starts: StartSpec[];
  capacity: number;
  end: number;
  metric: Metric;
}): Model => {
  const { depot, customers, starts, metric } = input;
  const n = customers.length;
  const places: Place[] = [depot, ...customers];
  const startNode = new Map<string, number>();
  const vehicles: VehicleStart[] = [];
  const groups = new Map<string, number>();
  for (const s of starts) {
    let node = 0;
    if (s.place) {
      const known = startNode.get(s.place.id);
      if (known === undefined) {
        node = places.length;
        places.push(s.place);
        startNode.set(s.place.id, node);
      } else node = known;
    }
    const key = `${node}|${s.depart}|${s.load}`;
    if (!groups.has(key)) groups.set(key, groups.size);
    vehicles.push({ node, depart: s.depart, load: s.load, group: groups.get(key)! });
  }
  const size = places.length;
  const ready = new Float64Array(size);
  const due = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
  const svc = new Float64Array(size);
  const dem = new Float64Array(size);
  ready[0] = depot.readyTime;
  due[0] = input.end;
  customers.forEach((c, i) => {
    ready[i + 1] = c.readyTime;
    due[i + 1] = c.dueTime;
    svc[i + 1] = c.serviceTime;
    dem[i + 1] = c.demand;
  });
  const dist = new Float64Array(size * size);
  const time = new Float64Array(size * size);
  let maxDist = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      if (i === j) continue;
      const t = metric.travel(places[i]!, places[j]!);
      dist[i * size + j] = t.distance;
      time[i * size + j] = t.time;
      if (t.distance > maxDist) maxDist = t.distance;
    }
  }
  const neighbours: Int32Array[] = [new Int32Array(0)];
  for (let i = 1; i <= n; i++) {
    const others: number[] = [];
    for (let j = 1; j <= n; j++) if (j !== i) others.push(j);
    others.sort((a, b) => dist[i * size + a]! - dist[i * size + b]!);
    neighbours.push(Int32Array.from(others));
  }
  return {
    n,
    size,
    ready,
    due,
    svc,
    dem,
    dist,
    time,
    capacity: input.capacity,
    end: input.end,
    vehicles,
    neighbours,
    maxDist,
  };
};
