import { type GreedyOrder, greedyRepair, insertAt, regretRepair, type Work } from './insertion';
import { localSearch } from './local-search';
import type { Model } from './model';
import { createRng, type Rng } from './random';
import {
  indexRoutes,
  type RemovalOperator,
  randomRemoval,
  routeRemoval,
  shawRemoval,
  stringRemoval,
  worstRemoval,
} from './removal';
import { EPS, emptyRoute, insertionCost, type Route } from './route';
import type { UnservedReason } from './types';

/**
 * Search knobs, set on the Solomon benchmark: start/end temperature as a fraction of the average edge,
 * average number of stops removed per iteration, chance of a short descent on a candidate.
 */
export type Tuning = { t0: number; tf: number; qAvg: number; lsProb: number };
const DEFAULT_TUNING: Tuning = {
  t0: 1.5,
  tf: 0.005,
  qAvg: 15,
  lsProb: 0.1,
};

export type OptimizeOptions = {
  timeLimitMs: number;
  seed: number;
  maxIterations?: number;
  /** Per vehicle, stops to keep in this order if they still fit (warm start for re-planning). */
  initial?: number[][];
  tuning?: Partial<Tuning>;
};

export type OptimizeResult = {
  routes: Route[];
  /** Stops left out because the fleet could not take them. */
  pool: number[];
  /** Stops no vehicle could ever serve, with why. */
  unreachable: Map<number, UnservedReason>;
  iterations: number;
};

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Why a stop cannot be served even alone in an empty route, or null when some vehicle could. */
const classify = (model: Model, routes: Route[], u: number): UnservedReason | null => {
  if (routes.length === 0) return 'NO_VEHICLE_AVAILABLE';
  const { size, time, ready, due, svc, dem, capacity } = model;
  let fitsLoad = false;
  let reachesInTime = false;
  for (const r of routes) {
    const v = model.vehicles[r.vehicle]!;
    if (v.load + dem[u]! > capacity + EPS) continue;
    fitsLoad = true;
    const arr = v.depart + time[v.node * size + u]!;
    const s = Math.max(arr, ready[u]!);
    if (s > due[u]! + EPS) continue;
    reachesInTime = true;
    if (s + svc[u]! + time[u * size]! <= model.end + EPS) return null;
  }
  if (!fitsLoad) return 'DEMAND_EXCEEDS_CAPACITY';
  return reachesInTime ? 'CANNOT_RETURN_IN_TIME' : 'TIME_WINDOW_UNREACHABLE';
};

type State = { routes: Route[]; pool: number[]; cost: number };

const costOf = (routes: Route[], pool: number[], penalty: number) => {
  let c = pool.length * penalty;
  for (const r of routes) c += r.cost;
  return c;
};

const work = (s: State): Work => ({
  routes: s.routes.slice(),
  owned: s.routes.map(() => false),
  pool: s.pool.slice(),
});

const pickWeighted = (weights: number[], rng: Rng): number => {
  let total = 0;
  for (const x of weights) total += x;
  let t = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    t -= weights[i]!;
    if (t <= 0) return i;
  }
  return weights.length - 1;
};

const REMOVALS: RemovalOperator[] = [randomRemoval, worstRemoval, shawRemoval, stringRemoval, routeRemoval];
const ORDERS: GreedyOrder[] = [
  'random',
  'random',
  'random',
  'random',
  'demand',
  'demand',
  'demand',
  'demand',
];
ORDERS.push('far', 'far', 'close');

type Repair = (model: Model, w: Work, rng: Rng, noiseScale: number) => void;
const REPAIRS: Repair[] = [
  (model, w, rng) => greedyRepair(model, w, rng, ORDERS[rng.int(ORDERS.length)]!, 0.01, 0),
  (model, w, rng, noise) => greedyRepair(model, w, rng, 'random', 0, noise),
  (model, w, rng) => regretRepair(model, w, rng, 2, 0),
  (model, w, rng, noise) => regretRepair(model, w, rng, 3, noise),
];

const SCORE_BEST = 33;
const SCORE_BETTER = 9;
const SCORE_ACCEPTED = 13;
const SEGMENT = 100;
const REACTION = 0.1;

/**
 * Regret-2 construction, then adaptive large neighbourhood search (random, worst, Shaw, string and route
 * removal; blinking greedy and regret-k insertion, some with noise) under simulated annealing, with a local
 * search descent on every new best solution.
 */
export const optimize = (model: Model, options: OptimizeOptions): OptimizeResult => {
  const started = now();
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const rng = createRng(options.seed);
  const routes = model.vehicles.map((_, v) => emptyRoute(model, v));
  const unreachable = new Map<number, UnservedReason>();
  for (let u = 1; u <= model.n; u++) {
    const why = classify(model, routes, u);
    if (why) unreachable.set(u, why);
  }
  const w: Work = { routes, owned: routes.map(() => true), pool: [] };
  const placed = new Uint8Array(model.n + 1);
  options.initial?.forEach((seq, v) => {
    const r = routes[v];
    if (!r) return;
    for (const u of seq) {
      if (unreachable.has(u) || placed[u]) continue;
      const k = r.nodes.length;
      const load = r.cum[k]! + model.dem[u]!;
      if (load <= model.capacity + EPS && insertionCost(model, r, u, k) < Number.POSITIVE_INFINITY) {
        insertAt(model, w, v, u, k);
        placed[u] = 1;
      }
    }
  });
  for (let u = 1; u <= model.n; u++) if (!placed[u] && !unreachable.has(u)) w.pool.push(u);
  regretRepair(model, w, rng, 2, 0);
  localSearch(model, w);
  const penalty = 10 * (2 * model.maxDist + 1);
  let cur: State = { routes: w.routes, pool: w.pool, cost: costOf(w.routes, w.pool, penalty) };
  let best = cur;
  const assignedCount = model.n - unreachable.size - cur.pool.length;
  const usedRoutes = cur.routes.filter((r) => r.nodes.length > 0).length;
  const avgEdge = (cur.cost - cur.pool.length * penalty) / Math.max(1, assignedCount + usedRoutes);
  const t0 = tuning.t0 * avgEdge;
  const tf = tuning.tf * avgEdge;
  const removalW = REMOVALS.map(() => 1);
  const repairW = REPAIRS.map(() => 1);
  const removalScore = REMOVALS.map(() => 0);
  const repairScore = REPAIRS.map(() => 0);
  const removalUses = REMOVALS.map(() => 0);
  const repairUses = REPAIRS.map(() => 0);
  const routable = model.n - unreachable.size;
  const noise = 0.025 * model.maxDist;
  let it = 0;
  const budget = options.maxIterations ?? Number.POSITIVE_INFINITY;
  while (routable > 0 && it < budget) {
    const elapsed = now() - started;
    if (elapsed >= options.timeLimitMs) break;
    const frac = options.maxIterations ? it / options.maxIterations : elapsed / options.timeLimitMs;
    const temperature = t0 * (tf / t0) ** frac;
    it++;
    const cand = work(cur);
    const idx = indexRoutes(model, cand);
    const assigned = idx.assigned.length;
    const qMax = Math.max(1, Math.min(assigned, 2 * tuning.qAvg - 4, Math.ceil(0.4 * assigned)));
    const q = Math.min(assigned, 4 + rng.int(Math.max(1, qMax - 3)));
    const ri = pickWeighted(removalW, rng);
    const pi = pickWeighted(repairW, rng);
    if (assigned > 0) REMOVALS[ri]!(model, cand, idx, q, rng);
    REPAIRS[pi]!(model, cand, rng, noise);
    if (cand.routes.some((r) => !r.feasible)) continue;
    let cost = costOf(cand.routes, cand.pool, penalty);
    if (tuning.lsProb > 0 && rng.next() < tuning.lsProb) {
      localSearch(model, cand, 3);
      cost = costOf(cand.routes, cand.pool, penalty);
    }
    removalUses[ri]!++;
    repairUses[pi]!++;
    let score = 0;
    if (cost < best.cost - EPS) {
      localSearch(model, cand);
      cost = costOf(cand.routes, cand.pool, penalty);
      cur = { routes: cand.routes, pool: cand.pool, cost };
      best = cur;
      score = SCORE_BEST;
    } else if (cost < cur.cost + temperature * -Math.log(1 - rng.next())) {
      score = cost < cur.cost - EPS ? SCORE_BETTER : SCORE_ACCEPTED;
      cur = { routes: cand.routes, pool: cand.pool, cost };
    }
    removalScore[ri]! += score;
    repairScore[pi]! += score;
    if (it % SEGMENT === 0) {
      for (let i = 0; i < removalW.length; i++) {
        if (removalUses[i]! > 0)
          removalW[i] = Math.max(
            0.05,
            removalW[i]! * (1 - REACTION) + (REACTION * removalScore[i]!) / removalUses[i]!,
          );
        removalScore[i] = 0;
        removalUses[i] = 0;
      }
      for (let i = 0; i < repairW.length; i++) {
        if (repairUses[i]! > 0)
          repairW[i] = Math.max(
            0.05,
            repairW[i]! * (1 - REACTION) + (REACTION * repairScore[i]!) / repairUses[i]!,
          );
        repairScore[i] = 0;
        repairUses[i] = 0;
      }
    }
  }
  return { routes: best.routes, pool: best.pool, unreachable, iterations: it };
};
