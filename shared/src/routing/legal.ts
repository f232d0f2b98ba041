import { createMetric, type Metric } from './geo';
import { unserved } from './reasons';
import { replan } from './replan';
import { solve } from './solve';
import type {
  LateReason,
  LateStop,
  PlanChange,
  PlannedRoute,
  Problem,
  Solution,
  SolveOptions,
  Stop,
  Unserved,
} from './types';

/**
 * The law in the plan. Stops with a `legalDue` (their result due date or J+n service level falls on this day,
 * or has passed) come first: late distance is preferred over late dossiers. Lexicographically:
 *   1. as many stops due today served before their legal time as the fleet allows,
 *   2. then as many stops as possible,
 *   3. then the least distance.
 * The solver minimises (2, 3) with hard windows; this wrapper gets (1) by tightening each due stop's window
 * to its legal time, and when the full plan still leaves out a due stop the fleet could reach on time (the
 * solver traded it for other stops), it makes room by moving stops with no legal date today to another day.
 * Due stops that cannot make their time are still served today when possible (late by hours, not days),
 * and `Solution.late` says which stops miss their legal date and why, in Vietnamese and English.
 */
export const solveWithDeadlines = (
  problem: Problem,
  options: SolveOptions = {},
  solveFn: (problem: Problem, options: SolveOptions) => Solution = solve,
): Solution => {
  const start = problem.depot.readyTime;
  const due = problem.stops.filter((s) => s.legalDue !== undefined);
  if (due.length === 0) return { ...solveFn(problem, options), late: [] };
  const limit = options.timeLimitMs ?? 1000;
  const tightened = problem.stops.map((s) => tighten(s, start));
  const strict: Problem = { ...problem, stops: tightened };
  const plan = solveFn(strict, { ...options, timeLimitMs: Math.max(10, Math.round(limit * 0.75)) });
  const metric = createMetric(strict);
  const byId = new Map(tightened.map((s) => [s.id, s]));
  const day = new Day(strict, metric, plan);
  const missing = due.filter((s) => day.isUnserved(s.id) && onTimePossible(s, start));
  if (missing.length > 0) {
    // What the fleet can do with the due stops alone: those are worth other stops' places.
    const alone = solveFn(
      { ...strict, stops: due.map((s) => byId.get(s.id)!) },
      { ...options, timeLimitMs: Math.max(10, Math.round(limit * 0.25)) },
    );
    const reachable = new Set(alone.routes.flatMap((r) => r.stops));
    for (const s of missing) if (reachable.has(s.id)) day.makeRoomFor(byId.get(s.id)!);
    day.reinsertDeferred();
  }
  // Due stops that cannot be on time: today, late, rather than another day.
  for (const s of due) if (day.isUnserved(s.id) && metric.knows(s)) day.insertCheapest(s);
  const solution = day.toSolution();
  return { ...solution, late: lateReport(problem, metric, solution) };
};

/** A due stop's window shortened to its legal time, when that time is inside the day and the window. */
const tighten = (s: Stop, dayStart: number): Stop =>
  onTimePossible(s, dayStart) ? { ...s, dueTime: Math.min(s.dueTime, s.legalDue!) } : s;

const onTimePossible = (s: Stop, dayStart: number) =>
  s.legalDue !== undefined && s.legalDue >= dayStart && s.legalDue >= s.readyTime;

const EPS = 1e-6;

type Schedule = { ok: boolean; arrivals: number[]; distance: number; load: number; returnTime: number };

/** A day's routes as editable stop lists, checked by our own scheduler (independent of the solver's). */
class Day {
  private readonly routes: { vehicle: number; stops: Stop[] }[];
  private readonly served = new Set<string>();
  private readonly left = new Map<string, Unserved>();
  private readonly end: number;

  constructor(
    private readonly problem: Problem,
    private readonly metric: Metric,
    plan: Solution,
  ) {
    const byId = new Map(problem.stops.map((s) => [s.id, s]));
    this.routes = plan.routes.map((r) => ({ vehicle: r.vehicle, stops: r.stops.map((id) => byId.get(id)!) }));
    const used = new Set(plan.routes.map((r) => r.vehicle));
    for (let v = 0; v < Math.floor(problem.vehicles); v++)
      if (!used.has(v)) this.routes.push({ vehicle: v, stops: [] });
    for (const r of this.routes) for (const s of r.stops) this.served.add(s.id);
    for (const u of plan.unserved) this.left.set(u.id, u);
    this.end =
      problem.shiftLength === undefined
        ? problem.depot.dueTime
        : Math.min(problem.depot.dueTime, problem.depot.readyTime + problem.shiftLength);
  }

  isUnserved = (id: string) => !this.served.has(id);

  schedule(stops: Stop[]): Schedule {
    const { depot, capacity } = this.problem;
    let t = depot.readyTime;
    let prev: Stop | typeof depot = depot;
    let distance = 0;
    let load = 0;
    let ok = true;
    const arrivals: number[] = [];
    for (const s of stops) {
      const leg = this.metric.travel(prev, s);
      const arr = t + leg.time;
      arrivals.push(arr);
      distance += leg.distance;
      load += s.demand;
      const begin = Math.max(arr, s.readyTime);
      if (begin > s.dueTime + EPS) ok = false;
      t = begin + s.serviceTime;
      prev = s;
    }
    const back = this.metric.travel(prev, depot);
    distance += back.distance;
    const returnTime = t + back.time;
    if (load > capacity + EPS || returnTime > this.end + EPS) ok = false;
    return { ok, arrivals, distance, load, returnTime };
  }

  private take(s: Stop) {
    this.served.add(s.id);
    this.left.delete(s.id);
  }

  /** Cheapest feasible position over every route, without moving anything else; false when none. */
  insertCheapest(s: Stop): boolean {
    let best: { r: number; at: number; cost: number } | null = null;
    for (const [r, route] of this.routes.entries()) {
      const base = this.schedule(route.stops).distance;
      for (let at = 0; at <= route.stops.length; at++) {
        const next = [...route.stops.slice(0, at), s, ...route.stops.slice(at)];
        const sch = this.schedule(next);
        if (sch.ok && (!best || sch.distance - base < best.cost)) best = { r, at, cost: sch.distance - base };
      }
    }
    if (!best) return false;
    const { r, at } = best;
    this.routes[r]!.stops.splice(at, 0, s);
    this.take(s);
    return true;
  }

  private readonly deferred: Stop[] = [];

  /**
   * Puts a due stop in, moving out as few stops with no legal date today as it takes (at most three per
   * route, the ones whose removal saves the most time first), then the least extra distance.
   */
  makeRoomFor(s: Stop) {
    if (this.insertCheapest(s)) return;
    let best: { r: number; stops: Stop[]; out: Stop[]; cost: number } | null = null;
    for (const [r, route] of this.routes.entries()) {
      const base = this.schedule(route.stops).distance;
      for (let at = 0; at <= route.stops.length; at++) {
        let stops = [...route.stops.slice(0, at), s, ...route.stops.slice(at)];
        const out: Stop[] = [];
        let sch = this.schedule(stops);
        while (!sch.ok && out.length < 3) {
          const victim = this.bestEjection(stops);
          if (!victim) break;
          out.push(victim);
          stops = stops.filter((x) => x !== victim);
          sch = this.schedule(stops);
        }
        if (!sch.ok) continue;
        const cost = out.length * 1e12 + (sch.distance - base);
        if (!best || cost < best.cost) best = { r, stops, out, cost };
      }
    }
    if (!best) return;
    const { r, stops, out } = best;
    this.routes[r]!.stops = stops;
    this.take(s);
    for (const o of out) {
      this.served.delete(o.id);
      this.deferred.push(o);
    }
  }

  /** The stop with no legal date today whose removal saves the most travel and service time. */
  private bestEjection(stops: Stop[]): Stop | null {
    const { depot } = this.problem;
    let best: Stop | null = null;
    let saved = Number.NEGATIVE_INFINITY;
    stops.forEach((x, i) => {
      if (x.legalDue !== undefined) return;
      const prev = i === 0 ? depot : stops[i - 1]!;
      const next = i === stops.length - 1 ? depot : stops[i + 1]!;
      const gain =
        this.metric.travel(prev, x).time +
        x.serviceTime +
        this.metric.travel(x, next).time -
        this.metric.travel(prev, next).time;
      if (gain > saved) {
        saved = gain;
        best = x;
      }
    });
    return best;
  }

  /** Stops moved out for a due one may still fit on another courier's route; the others wait. */
  reinsertDeferred() {
    for (const o of this.deferred.splice(0)) {
      if (!this.insertCheapest(o)) this.left.set(o.id, unserved(o.id, 'DEFERRED_FOR_LEGAL_DATE'));
    }
  }

  toSolution(): Solution {
    const routes: PlannedRoute[] = [];
    for (const r of this.routes) {
      if (r.stops.length === 0) continue;
      const sch = this.schedule(r.stops);
      routes.push({
        vehicle: r.vehicle,
        stops: r.stops.map((s) => s.id),
        distance: sch.distance,
        arrivals: sch.arrivals,
        load: sch.load,
        returnTime: sch.returnTime,
      });
    }
    routes.sort((a, b) => a.vehicle - b.vehicle);
    return {
      routes,
      distance: routes.reduce((sum, r) => sum + r.distance, 0),
      unserved: [...this.left.values()],
    };
  }
}

const hhmm = (minutes: number) => {
  const m = Math.max(0, Math.round(minutes));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

const dmy = (day: string | undefined) => (day ? day.split('-').reverse().join('/') : '');

const basisText = (s: Stop) =>
  s.legalBasis === 'service_level'
    ? { vi: `hạn chỉ tiêu J+n ${dmy(s.legalDate)}`, en: `J+n service level date ${dmy(s.legalDate)}` }
    : { vi: `hạn trả kết quả ${dmy(s.legalDate)}`, en: `result due date ${dmy(s.legalDate)}` };

/** Why a stop misses its legal date, in Vietnamese and English. */
const explain = (
  s: Stop,
  reason: LateReason,
  arrival: number | undefined,
  unservedWhy: Unserved | undefined,
): { vi: string; en: string } => {
  const b = basisText(s);
  const at = arrival === undefined ? null : hhmm(Math.max(arrival, s.readyTime));
  const by = hhmm(s.legalDue ?? 0);
  switch (reason) {
    case 'ALREADY_OVERDUE':
      return at
        ? {
            vi: `Đã quá ${b.vi}; xếp phục vụ sớm trong ngày (dự kiến ${at}).`,
            en: `Already past its ${b.en}; planned early today (about ${at}).`,
          }
        : {
            vi: `Đã quá ${b.vi} và hôm nay không bưu tá nào nhận thêm được.`,
            en: `Already past its ${b.en}, and no courier can take it today.`,
          };
    case 'WINDOW_AFTER_DEADLINE':
      return {
        vi: `Người dân hẹn từ ${hhmm(s.readyTime)}, sau giờ hạn ${by} (${b.vi}).`,
        en: `The citizen's window opens at ${hhmm(s.readyTime)}, after the legal time ${by} (${b.en}).`,
      };
    case 'DEADLINE_UNREACHABLE':
      return {
        vi: `Đi thẳng từ bưu cục cũng không đến kịp trước ${by} (${b.vi})${at ? `; dự kiến đến ${at}` : ''}.`,
        en: `Even straight from the post office no courier arrives before ${by} (${b.en})${at ? `; planned ${at}` : ''}.`,
      };
    case 'FLEET_FULL':
      return at
        ? {
            vi: `Các bưu tá đã kín lịch với hồ sơ đến hạn khác; dự kiến đến ${at}, sau ${by} (${b.vi}).`,
            en: `The couriers are full with other stops due today; planned ${at}, after ${by} (${b.en}).`,
          }
        : {
            vi: `Các bưu tá đã kín lịch với hồ sơ đến hạn khác; không kịp ${b.vi}.`,
            en: `The couriers are full with other stops due today; it misses its ${b.en}.`,
          };
    default:
      return {
        vi: `Không được xếp hôm nay nên lỡ ${b.vi}: ${unservedWhy?.vi ?? ''}`.trim(),
        en: `Not planned today, so it misses its ${b.en}: ${unservedWhy?.en ?? ''}`.trim(),
      };
  }
};

/**
 * The stops that will miss their legal date in `solution` (a plan of `problem`, whose stops carry
 * `legalDue`), with why. Served on time = service starts by `legalDue`.
 */
export const lateReport = (problem: Problem, metric: Metric, solution: Solution): LateStop[] => {
  const start = problem.depot.readyTime;
  const arrival = new Map<string, number>();
  for (const r of solution.routes)
    r.stops.forEach((id, i) => {
      arrival.set(id, r.arrivals[i]!);
    });
  const why = new Map(solution.unserved.map((u) => [u.id, u]));
  const late: LateStop[] = [];
  for (const s of problem.stops) {
    if (s.legalDue === undefined) continue;
    const at = arrival.get(s.id);
    const begin = at === undefined ? undefined : Math.max(at, s.readyTime);
    if (begin !== undefined && s.legalDue >= start && begin <= s.legalDue + EPS) continue;
    let reason: LateReason;
    if (s.legalDue < start) reason = 'ALREADY_OVERDUE';
    else if (s.readyTime > s.legalDue) reason = 'WINDOW_AFTER_DEADLINE';
    else if (!metric.knows(s)) reason = 'NOT_SERVED';
    else if (
      Math.max(start + metric.travel(problem.depot, s).time, s.readyTime) > s.legalDue + EPS ||
      why.get(s.id)?.reason === 'TIME_WINDOW_UNREACHABLE'
    )
      reason = 'DEADLINE_UNREACHABLE';
    else if (at === undefined && why.get(s.id)?.reason !== 'NO_VEHICLE_AVAILABLE') reason = 'NOT_SERVED';
    else reason = 'FLEET_FULL';
    late.push({
      id: s.id,
      reason,
      ...(s.legalBasis ? { basis: s.legalBasis } : {}),
      ...(s.legalDate ? { legalDate: s.legalDate } : {}),
      legalDue: s.legalDue,
      ...(at !== undefined ? { plannedArrival: at } : {}),
      ...explain(s, reason, at, why.get(s.id)),
    });
  }
  return late;
};

/**
 * A mid-day re-plan under the same law: due stops keep their legal time as the end of their window (so the
 * solver serves them on time or reports them), and the result says which stops will miss their date.
 */
export const replanWithDeadlines = (
  problem: Problem,
  current: Solution,
  change: PlanChange,
  options: SolveOptions = {},
  replanFn: typeof replan = replan,
): Solution => {
  const start = problem.depot.readyTime;
  const strict: Problem = { ...problem, stops: problem.stops.map((s) => tighten(s, start)) };
  const added = (change.added ?? []).map((s) => tighten(s, start));
  const solution = replanFn(strict, current, { ...change, added }, options);
  const all: Problem = { ...problem, stops: [...problem.stops, ...(change.added ?? [])] };
  const failed = new Set(change.failed ?? []);
  // A failed stop is history for today: its lateness is the failed attempt's, not the plan's.
  const late = lateReport(
    { ...all, stops: all.stops.filter((s) => !failed.has(s.id)) },
    createMetric(all),
    solution,
  );
  return { ...solution, late };
};
