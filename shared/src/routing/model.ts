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
  /** For each stop, its `NEIGHBOURS` closest stops (distance plus time-window incompatibility), nearest first. */
  neighbours: Int32Array[];
  maxDist: number;
};

/** How many neighbours each stop keeps: moves and insertions only look at these (granular search). */
export const NEIGHBOURS = 40;

/**
 * The `k` indices in lo..hi with the smallest score, smallest first, in O(range · log k) without sorting
 * the whole range (a bounded max-heap).
 */
export const nearest = (score: Float64Array, lo: number, hi: number, k: number): Int32Array => {
  const heap = new Int32Array(Math.max(0, k));
  let size = 0;
  const less = (a: number, b: number) => score[a]! < score[b]! || (score[a] === score[b] && a < b);
  const down = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && less(heap[m]!, heap[l]!)) m = l;
      if (r < size && less(heap[m]!, heap[r]!)) m = r;
      if (m === i) return;
      const t = heap[i]!;
      heap[i] = heap[m]!;
      heap[m] = t;
      i = m;
    }
  };
  for (let j = lo; j <= hi && k > 0; j++) {
    if (score[j] === Number.POSITIVE_INFINITY) continue;
    if (size < k) {
      heap[size] = j;
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(heap[p]!, heap[i]!)) break;
        const t = heap[i]!;
        heap[i] = heap[p]!;
        heap[p] = t;
        i = p;
      }
    } else if (less(j, heap[0]!)) {
      heap[0] = j;
      down(0);
    }
  }
  const out = Array.from(heap.subarray(0, size));
  out.sort((a, b) => (less(a, b) ? -1 : 1));
  return Int32Array.from(out);
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
  const k = Math.min(n - 1, NEIGHBOURS);
  const score = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) {
    // Granular neighbourhood (Vidal et al.): near in space and compatible in time, both directions.
    for (let j = 1; j <= n; j++) {
      if (j === i) continue;
      const tij = time[i * size + j]!;
      const tji = time[j * size + i]!;
      const waitIj = Math.max(0, ready[j]! - svc[i]! - tij - due[i]!);
      const lateIj = Math.max(0, ready[i]! + svc[i]! + tij - due[j]!);
      const waitJi = Math.max(0, ready[i]! - svc[j]! - tji - due[j]!);
      const lateJi = Math.max(0, ready[j]! + svc[j]! + tji - due[i]!);
      const ij = dist[i * size + j]! + 0.2 * waitIj + lateIj;
      const ji = dist[j * size + i]! + 0.2 * waitJi + lateJi;
      score[j] = ij < ji ? ij : ji;
    }
    score[i] = Number.POSITIVE_INFINITY;
    neighbours.push(nearest(score, 1, n, k));
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
