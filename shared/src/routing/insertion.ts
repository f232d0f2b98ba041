import type { Model } from './model';
import type { Rng } from './random';
import { cloneRoute, EPS, insertionCost, type Route, routeLoad, updateRoute } from './route';

/**
 * A candidate solution being edited: routes are cloned on first write, so the current one stays intact.
 * `routeOf`, when kept, says which route holds each stop (-1 = in the pool) and lets insertion look only
 * at the routes of a stop's neighbours.
 */
export type Work = { routes: Route[]; owned: boolean[]; pool: number[]; routeOf?: Int32Array };

export const touch = (w: Work, ri: number): Route => {
  if (!w.owned[ri]) {
    w.routes[ri] = cloneRoute(w.routes[ri]!);
    w.owned[ri] = true;
  }
  return w.routes[ri]!;
};

export const insertAt = (model: Model, w: Work, ri: number, u: number, k: number): void => {
  const r = touch(w, ri);
  r.nodes.splice(k, 0, u);
  updateRoute(model, r);
  if (w.routeOf) w.routeOf[u] = ri;
};

/** Neighbours whose routes a stop is tried in, when the solution has many routes. */
const INSERT_NEIGHBOURS = 24;
/** Below this many routes, every route is tried (cheap, and the best place is never missed). */
const GRANULAR_FROM_ROUTES = 12;

/** Empty routes of identical vehicles are interchangeable: only the first of each group is tried. */
const representatives = (model: Model, routes: Route[]): boolean[] => {
  const seen = new Set<number>();
  return routes.map((r) => {
    if (r.nodes.length > 0) return true;
    const g = model.vehicles[r.vehicle]!.group;
    if (seen.has(g)) return false;
    seen.add(g);
    return true;
  });
};

/** Best position for u in r (or -1), its cost in `found.cost`; a shared scratch keeps the hot loop allocation-free. */
const found = { cost: 0, k: -1 };
const bestInRoute = (model: Model, r: Route, u: number, rng: Rng, blink: number, noise: number): void => {
  found.cost = Number.POSITIVE_INFINITY;
  found.k = -1;
  if (routeLoad(r) + model.dem[u]! > model.capacity + EPS) return;
  const m = r.nodes.length;
  // lst rises and dep rises along a route: skip positions whose successor must start before u can be
  // done, and stop once the vehicle leaves after u's window has closed.
  const earliestDone = model.ready[u]! + model.svc[u]!;
  const lst = r.lst;
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lst[mid + 1]! < earliestDone) lo = mid + 1;
    else hi = mid;
  }
  const due = model.due[u]!;
  for (let k = lo; k <= m; k++) {
    if (r.dep[k]! > due + EPS) break;
    if (blink > 0 && rng.next() < blink) continue;
    let c = insertionCost(model, r, u, k);
    if (c === Number.POSITIVE_INFINITY) continue;
    if (noise > 0) c += noise * (2 * rng.next() - 1);
    if (c < found.cost) {
      found.cost = c;
      found.k = k;
    }
  }
};

export type GreedyOrder = 'random' | 'demand' | 'far' | 'close';

/** Greedy insertion with blinks (each position skipped with a small probability), as in SISR. */
export const greedyRepair = (
  model: Model,
  w: Work,
  rng: Rng,
  order: GreedyOrder,
  blink: number,
  noise: number,
) => {
  const pool = w.pool;
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  const { dem, dist } = model;
  if (order === 'demand') pool.sort((a, b) => dem[b]! - dem[a]!);
  else if (order === 'far') pool.sort((a, b) => dist[b]! - dist[a]!);
  else if (order === 'close') pool.sort((a, b) => dist[a]! - dist[b]!);
  const left: number[] = [];
  const used = w.routes.reduce((c, r) => c + (r.nodes.length > 0 ? 1 : 0), 0);
  const granular = w.routeOf !== undefined && used >= GRANULAR_FROM_ROUTES;
  const mark = granular ? new Uint8Array(w.routes.length) : undefined;
  for (const u of pool) {
    const reps = representatives(model, w.routes);
    let best = Number.POSITIVE_INFINITY;
    let bestR = -1;
    let bestK = -1;
    const tryRoute = (ri: number) => {
      bestInRoute(model, w.routes[ri]!, u, rng, blink, noise);
      if (found.cost < best) {
        best = found.cost;
        bestR = ri;
        bestK = found.k;
      }
    };
    if (mark && w.routeOf) {
      mark.fill(0);
      const nb = model.neighbours[u]!;
      for (let i = 0; i < nb.length && i < INSERT_NEIGHBOURS; i++) {
        const ri = w.routeOf[nb[i]!]!;
        if (ri < 0 || mark[ri]) continue;
        mark[ri] = 1;
        tryRoute(ri);
      }
      for (let ri = 0; ri < w.routes.length; ri++)
        if (reps[ri] && w.routes[ri]!.nodes.length === 0) tryRoute(ri);
    }
    if (bestR < 0) for (let ri = 0; ri < w.routes.length; ri++) if (reps[ri]) tryRoute(ri);
    if (bestR < 0) left.push(u);
    else insertAt(model, w, bestR, u, bestK);
  }
  w.pool = left;
};

const MISSING = 1e9;

/** Regret-k insertion: the stop that would lose most by waiting goes in first. */
export const regretRepair = (
  model: Model,
  w: Work,
  rng: Rng,
  regretK: number,
  noise: number,
  stop?: () => boolean,
) => {
  const pool = w.pool;
  const nr = w.routes.length;
  const np = pool.length;
  const cost = new Float64Array(np * nr).fill(Number.POSITIVE_INFINITY);
  const pos = new Int32Array(np * nr).fill(-1);
  let reps = representatives(model, w.routes);
  const fillColumn = (ri: number, active: Uint8Array) => {
    const r = w.routes[ri]!;
    for (let i = 0; i < np; i++) {
      if (!active[i]) continue;
      if (!reps[ri]) {
        cost[i * nr + ri] = Number.POSITIVE_INFINITY;
        continue;
      }
      bestInRoute(model, r, pool[i]!, rng, 0, noise);
      cost[i * nr + ri] = found.cost;
      pos[i * nr + ri] = found.k;
    }
  };
  const active = new Uint8Array(np).fill(1);
  for (let ri = 0; ri < nr; ri++) fillColumn(ri, active);
  // Only routes that can be tried (used ones and one empty route per kind) take part in the regret.
  let cols: number[] = [];
  for (let ri = 0; ri < nr; ri++) if (reps[ri]) cols.push(ri);
  let remaining = np;
  const left: number[] = [];
  const top = new Float64Array(regretK);
  while (remaining > 0) {
    if (stop?.()) {
      // Out of time: whatever is not placed yet goes back to the pool for a cheaper insertion.
      for (let i = 0; i < np; i++) if (active[i]) left.push(pool[i]!);
      break;
    }
    let pick = -1;
    let pickRegret = Number.NEGATIVE_INFINITY;
    let pickBest = Number.POSITIVE_INFINITY;
    let pickRoute = -1;
    for (let i = 0; i < np; i++) {
      if (!active[i]) continue;
      top.fill(Number.POSITIVE_INFINITY);
      let bestRoute = -1;
      for (let x = 0; x < cols.length; x++) {
        const ri = cols[x]!;
        const c = cost[i * nr + ri]!;
        if (c >= top[regretK - 1]!) continue;
        let j = regretK - 1;
        while (j > 0 && top[j - 1]! > c) {
          top[j] = top[j - 1]!;
          j--;
        }
        top[j] = c;
        if (j === 0) bestRoute = ri;
      }
      if (bestRoute < 0) {
        active[i] = 0;
        remaining--;
        left.push(pool[i]!);
        continue;
      }
      let regret = 0;
      for (let j = 1; j < regretK; j++)
        regret += top[j] === Number.POSITIVE_INFINITY ? MISSING : top[j]! - top[0]!;
      if (regret > pickRegret + EPS || (regret > pickRegret - EPS && top[0]! < pickBest)) {
        pick = i;
        pickRegret = regret;
        pickBest = top[0]!;
        pickRoute = bestRoute;
      }
    }
    if (pick < 0) break;
    const wasEmpty = w.routes[pickRoute]!.nodes.length === 0;
    insertAt(model, w, pickRoute, pool[pick]!, pos[pick * nr + pickRoute]!);
    active[pick] = 0;
    remaining--;
    if (wasEmpty) {
      const before = reps;
      reps = representatives(model, w.routes);
      for (let ri = 0; ri < nr; ri++) if (reps[ri] && !before[ri]) fillColumn(ri, active);
      cols = [];
      for (let ri = 0; ri < nr; ri++) if (reps[ri]) cols.push(ri);
    }
    fillColumn(pickRoute, active);
  }
  w.pool = left;
};
