import { type GreedyOrder, greedyRepair, insertAt, regretRepair, type Work } from './insertion';
import { GranularSearch } from './local-search';
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
export type Tuning = { t0: number; tf: number; qAvg: number; lsProb: number; lsMoves: number };
const DEFAULT_TUNING: Tuning = {
  t0: 1.5,
  tf: 0.005,
  qAvg: 15,
  lsProb: 1,
  lsMoves: 30,
};

export type OptimizeOptions = {
  timeLimitMs: number;
  seed: number;
  maxIterations?: number;
  /** Per vehicle, stops to keep in this order if they still fit (warm start for re-planning). */
  initial?: number[][];
  tuning?: Partial<Tuning>;
  /** The clock the limit is measured on (wall or CPU time, ms); default wall time. */
  clock?: () => number;
  /** Reading of `clock` when the solve began: model building counts against the limit too. */
  startedAt?: number;
};

export type OptimizeResult = {
  routes: Route[];
  /** Stops left out because the fleet could not take them. */
  pool: number[];
  /** Stops no vehicle could ever serve, with why. */
  unreachable: Map<number, UnservedReason>;
  iterations: number;
  /** Clock reading when construction and its first descent ended (for the bench). */
  constructedAt: number;
};

export const wallClock = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * A time limit that reads its clock sparingly: the CPU counter is a system call (tens of µs under a
 * sandbox), so it is read only when the cheap wall clock says `spacing` ms have passed since the last
 * reading (CPU time never runs ahead of wall time on one thread), about 1/200 of the limit (0.2–5 ms).
 */
export class Budget {
  private wallAt = Number.NEGATIVE_INFINITY;
  private last = 0;
  private readonly spacing: number;

  constructor(
    private readonly clock: () => number,
    private readonly started: number,
    readonly limit: number,
  ) {
    this.spacing = clock === wallClock ? 0 : Math.min(5, Math.max(0.2, limit / 200));
  }

  /** Read the clock now; ms since the start. */
  read(): number {
    this.wallAt = wallClock();
    this.last = this.clock() - this.started;
    return this.last;
  }

  /** Whether the limit is reached, reading the clock only now and then. */
  over(): boolean {
    if (this.spacing === 0 || wallClock() - this.wallAt >= this.spacing) this.read();
    return this.last >= this.limit;
  }

  /** ms since the start at the last reading. */
  elapsed(): number {
    return this.last;
  }
}

type CpuUsage = () => { user: number; system: number };
const cpuUsage = (): CpuUsage | undefined => {
  const proc = (globalThis as { process?: { cpuUsage?: CpuUsage } }).process;
  return typeof proc?.cpuUsage === 'function' ? proc.cpuUsage.bind(proc) : undefined;
};

/**
 * CPU time of the process in ms (user + system), so a budget means the same on a loaded machine; falls
 * back to wall time where there is no such counter (a browser).
 */
export const cpuClock = (): (() => number) => {
  const usage = cpuUsage();
  if (!usage) return wallClock;
  return () => {
    const u = usage();
    return (u.user + u.system) / 1000;
  };
};

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
  const now = options.clock ?? wallClock;
  const started = options.startedAt ?? now();
  const limit = options.timeLimitMs;
  const budget = new Budget(now, started, limit);
  const outOfTime = () => budget.over();
  // Construction may use up to a third of the limit with regret insertion; the rest is inserted greedily.
  const constructionOver = () => {
    budget.over();
    return budget.elapsed() >= limit / 3;
  };
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const rng = createRng(options.seed);
  const ls = new GranularSearch(model);
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
  regretRepair(model, w, rng, 2, 0, options.maxIterations ? undefined : constructionOver);
  if (w.pool.length > 0) {
    w.routeOf = indexRoutes(model, w).routeOf;
    greedyRepair(model, w, rng, 'far', 0, 0);
  }
  ls.run(w, rng, undefined, Number.POSITIVE_INFINITY, options.maxIterations ? undefined : outOfTime);
  const constructedAt = started + budget.read();
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
  const maxIterations = options.maxIterations ?? Number.POSITIVE_INFINITY;
  const improveStart = budget.elapsed();
  const touchedStops: number[] = [];
  while (routable > 0 && it < maxIterations) {
    if (budget.over()) break;
    const frac = options.maxIterations
      ? it / options.maxIterations
      : Math.min(1, (budget.elapsed() - improveStart) / Math.max(1, limit - improveStart));
    const temperature = t0 * (tf / t0) ** frac;
    it++;
    const cand = work(cur);
    const idx = indexRoutes(model, cand);
    cand.routeOf = idx.routeOf;
    const assigned = idx.assigned.length;
    const qMax = Math.max(1, Math.min(assigned, 2 * tuning.qAvg - 4, Math.ceil(0.4 * assigned)));
    const q = Math.min(assigned, 4 + rng.int(Math.max(1, qMax - 3)));
    // Regret insertion looks at every route for every stop: only worth it while routes are few.
    const pi = usedRoutes > 30 ? pickWeighted(repairW.slice(0, 2), rng) : pickWeighted(repairW, rng);
    const ri = pickWeighted(removalW, rng);
    if (assigned > 0) REMOVALS[ri]!(model, cand, idx, q, rng);
    REPAIRS[pi]!(model, cand, rng, noise);
    if (cand.routes.some((r) => !r.feasible)) continue;
    let cost = costOf(cand.routes, cand.pool, penalty);
    // The current solution is a local optimum except where ruin and recreate changed it: the descent
    // starts from the stops of the changed routes only (O(changed · NEIGHBOURS), not O(n)).
    touchedStops.length = 0;
    for (let r = 0; r < cand.routes.length; r++) {
      if (cand.owned[r]) for (const u of cand.routes[r]!.nodes) touchedStops.push(u);
    }
    if (tuning.lsProb > 0 && rng.next() < tuning.lsProb) {
      ls.run(cand, rng, touchedStops, tuning.lsMoves);
      cost = costOf(cand.routes, cand.pool, penalty);
    }
    removalUses[ri]!++;
    repairUses[pi]!++;
    let score = 0;
    if (cost < best.cost - EPS) {
      touchedStops.length = 0;
      for (let r = 0; r < cand.routes.length; r++) {
        if (cand.owned[r]) for (const u of cand.routes[r]!.nodes) touchedStops.push(u);
      }
      ls.run(cand, rng, touchedStops, Number.POSITIVE_INFINITY, outOfTime);
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
  return { routes: best.routes, pool: best.pool, unreachable, iterations: it, constructedAt };
};
