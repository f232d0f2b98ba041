import type { Model } from './model';

export const EPS = 1e-9;

/**
 * One vehicle's sequence with the arrays that make a feasibility check O(1): `dep[k]` is the earliest
 * departure from position k (0 = the start), `lst[k]` the latest service start at position k that keeps
 * the rest of the route feasible (m + 1 = back at the depot), `cum[k]` the load after position k.
 */
export type Route = {
  vehicle: number;
  nodes: number[];
  dep: number[];
  lst: number[];
  cum: number[];
  cost: number;
  feasible: boolean;
};

export const emptyRoute = (model: Model, vehicle: number): Route => {
  const r: Route = { vehicle, nodes: [], dep: [], lst: [], cum: [], cost: 0, feasible: true };
  updateRoute(model, r);
  return r;
};

export const cloneRoute = (r: Route): Route => ({
  vehicle: r.vehicle,
  nodes: r.nodes.slice(),
  dep: r.dep.slice(),
  lst: r.lst.slice(),
  cum: r.cum.slice(),
  cost: r.cost,
  feasible: r.feasible,
});

export const startNode = (model: Model, r: Route): number => model.vehicles[r.vehicle]!.node;

/** Node at position k: 0 = the start place, 1..m the stops, m + 1 = the depot. */
export const nodeAt = (model: Model, r: Route, k: number): number =>
  k === 0 ? model.vehicles[r.vehicle]!.node : k > r.nodes.length ? 0 : r.nodes[k - 1]!;

export const updateRoute = (model: Model, r: Route): void => {
  const { size, time, dist, ready, due, svc, dem } = model;
  const v = model.vehicles[r.vehicle]!;
  const nodes = r.nodes;
  const m = nodes.length;
  const dep = r.dep;
  const cum = r.cum;
  const lst = r.lst;
  dep.length = m + 1;
  cum.length = m + 1;
  lst.length = m + 2;
  let prev = v.node;
  let t = v.depart;
  let load = v.load;
  let cost = 0;
  let ok = true;
  dep[0] = t;
  cum[0] = load;
  for (let k = 1; k <= m; k++) {
    const u = nodes[k - 1]!;
    const arr = t + time[prev * size + u]!;
    const s = arr > ready[u]! ? arr : ready[u]!;
    if (s > due[u]! + EPS) ok = false;
    t = s + svc[u]!;
    dep[k] = t;
    load += dem[u]!;
    cum[k] = load;
    cost += dist[prev * size + u]!;
    prev = u;
  }
  if (m > 0 || v.node !== 0) {
    cost += dist[prev * size]!;
    if (t + time[prev * size]! > model.end + EPS) ok = false;
  }
  if (load > model.capacity + EPS) ok = false;
  lst[m + 1] = model.end;
  let next = 0;
  for (let k = m; k >= 1; k--) {
    const u = nodes[k - 1]!;
    const l = lst[k + 1]! - time[u * size + next]! - svc[u]!;
    lst[k] = l < due[u]! ? l : due[u]!;
    next = u;
  }
  lst[0] = Number.POSITIVE_INFINITY;
  r.cost = cost;
  r.feasible = ok;
};

/** Extra distance of putting u between positions k and k + 1, or Infinity when infeasible (O(1)). */
export const insertionCost = (model: Model, r: Route, u: number, k: number): number => {
  const { size, time, dist, ready, due, svc } = model;
  const p = k === 0 ? model.vehicles[r.vehicle]!.node : r.nodes[k - 1]!;
  const q = k === r.nodes.length ? 0 : r.nodes[k]!;
  const arr = r.dep[k]! + time[p * size + u]!;
  const s = arr > ready[u]! ? arr : ready[u]!;
  if (s > due[u]! + EPS) return Number.POSITIVE_INFINITY;
  const arrQ = s + svc[u]! + time[u * size + q]!;
  const sQ = arrQ > ready[q]! ? arrQ : ready[q]!;
  if (sQ > r.lst[k + 1]! + EPS) return Number.POSITIVE_INFINITY;
  return dist[p * size + u]! + dist[u * size + q]! - dist[p * size + q]!;
};

export const routeLoad = (r: Route): number => r.cum[r.cum.length - 1]!;

/**
 * Whether prefix 0..k, then `seq[from..to)`, then the route's positions kEnd..m+1 is on time. Capacity is
 * the caller's business.
 */
export const seqFeasible = (
  model: Model,
  r: Route,
  k: number,
  seq: number[],
  from: number,
  to: number,
  kEnd: number,
): boolean => {
  const { size, time, ready, due, svc } = model;
  let prev = nodeAt(model, r, k);
  let t = r.dep[k]!;
  for (let i = from; i < to; i++) {
    const u = seq[i]!;
    const arr = t + time[prev * size + u]!;
    const s = arr > ready[u]! ? arr : ready[u]!;
    if (s > due[u]! + EPS) return false;
    t = s + svc[u]!;
    prev = u;
  }
  const q = nodeAt(model, r, kEnd);
  const arr = t + time[prev * size + q]!;
  const s = arr > ready[q]! ? arr : ready[q]!;
  return s <= r.lst[kEnd]! + EPS;
};
