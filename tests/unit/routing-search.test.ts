import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSolution, parseSolomon, type Problem, solve } from '@postdesk/shared';
import { describe, expect, it } from 'vitest';
import { createMetric } from '../../shared/src/routing/geo';
import { buildModel, NEIGHBOURS } from '../../shared/src/routing/model';
import { Budget, optimize } from '../../shared/src/routing/search';

/** Solver internals that a user notices as "the plan comes back on time, whole, and valid". */
const SOLOMON_DIR = fileURLToPath(new URL('../fixtures/routing/solomon/', import.meta.url));
const HOMBERGER_DIR = fileURLToPath(new URL('../fixtures/routing/homberger/', import.meta.url));

const modelOf = (problem: Problem) =>
  buildModel({
    depot: problem.depot,
    customers: problem.stops,
    starts: Array.from({ length: problem.vehicles }, () => ({ depart: problem.depot.readyTime, load: 0 })),
    capacity: problem.capacity,
    end: problem.depot.dueTime,
    metric: createMetric(problem),
  });

/** Every stop exactly once, and each route on time and within capacity (recomputed from the model). */
const expectValidRoutes = (problem: Problem, routes: { nodes: number[] }[]) => {
  const model = modelOf(problem);
  const seen = routes.flatMap((r) => r.nodes).sort((a, b) => a - b);
  expect(seen).toEqual(Array.from({ length: problem.stops.length }, (_, i) => i + 1));
  for (const r of routes) {
    let t = problem.depot.readyTime;
    let prev = 0;
    let load = 0;
    for (const u of r.nodes) {
      t = Math.max(t + model.time[prev * model.size + u]!, model.ready[u]!);
      expect(t).toBeLessThanOrEqual(model.due[u]! + 1e-6);
      t += model.svc[u]!;
      load += model.dem[u]!;
      prev = u;
    }
    expect(t + model.time[prev * model.size]!).toBeLessThanOrEqual(problem.depot.dueTime + 1e-6);
    expect(load).toBeLessThanOrEqual(problem.capacity);
  }
};

describe('granular neighbour lists', () => {
  it('keeps the closest stops of each stop, nearest first, and only a bounded number of them', () => {
    const problem = parseSolomon(readFileSync(`${SOLOMON_DIR}C101.txt`, 'utf8'));
    const model = modelOf(problem);
    expect(model.neighbours[1]).toHaveLength(NEIGHBOURS);
    for (let u = 1; u <= model.n; u++) {
      const nb = model.neighbours[u]!;
      expect(nb.includes(u)).toBe(false);
      expect(new Set(nb).size).toBe(nb.length);
    }
    // Without time windows the score is the distance: the list is the plain nearest-first order.
    const plain = modelOf({
      ...problem,
      stops: problem.stops.map((s) => ({ ...s, readyTime: 0, dueTime: 10_000, serviceTime: 0 })),
      depot: { ...problem.depot, dueTime: 100_000 },
    });
    const d = (a: number, b: number) => plain.dist[a * plain.size + b]!;
    const nb = plain.neighbours[7]!;
    for (let i = 1; i < nb.length; i++) expect(d(7, nb[i - 1]!)).toBeLessThanOrEqual(d(7, nb[i]!));
    const farthestKept = d(7, nb[nb.length - 1]!);
    const closerLeftOut = Array.from({ length: plain.n }, (_, i) => i + 1).filter(
      (v) => v !== 7 && !nb.includes(v) && d(7, v) < farthestKept,
    );
    expect(closerLeftOut).toEqual([]);
  });
});

describe('time limit', () => {
  it('stops polling the clock only when the limit is really reached', () => {
    let now = 1000;
    const clock = () => {
      now += 0.5;
      return now;
    };
    const budget = new Budget(clock, 1000, 20);
    let polls = 0;
    while (!budget.over()) polls++;
    expect(budget.elapsed()).toBeGreaterThanOrEqual(20);
    expect(now - 1000).toBeGreaterThanOrEqual(20);
    expect(polls).toBeGreaterThan(0);
  });

  it('still places every stop feasibly when the limit is spent before construction ends', () => {
    // A Homberger instance of 400 customers with a clock that has already run out once the model is
    // built: construction must give up its regret phase, insert the rest greedily, and return.
    const problem = parseSolomon(readFileSync(`${HOMBERGER_DIR}r1_4_1.txt`, 'utf8'));
    const model = modelOf(problem);
    let reads = 0;
    const clock = () => (reads++ === 0 ? 0 : 1_000_000);
    const result = optimize(model, { timeLimitMs: 1000, seed: 1, clock });
    expect(result.iterations).toBe(0);
    expect(result.pool).toEqual([]);
    expectValidRoutes(problem, result.routes);
  });
});

describe('search on a larger instance', () => {
  it('solves a 200-customer Homberger instance feasibly within 5 % of the best known in 300 iterations', () => {
    const problem = parseSolomon(readFileSync(`${HOMBERGER_DIR}c1_2_1.txt`, 'utf8'));
    const model = modelOf(problem);
    const result = optimize(model, { timeLimitMs: 600_000, seed: 3, maxIterations: 300 });
    expectValidRoutes(problem, result.routes);
    const distance = result.routes.reduce((s, r) => s + r.cost, 0);
    // SINTEF best known 2704.57 (20 vehicles).
    expect(100 * (distance / 2704.57 - 1)).toBeLessThan(5);
  }, 300_000);

  it('gives plans the independent checker accepts on clustered, random and mixed instances', () => {
    for (const name of ['C201', 'R205', 'RC106']) {
      const problem = parseSolomon(readFileSync(`${SOLOMON_DIR}${name}.txt`, 'utf8'));
      const solution = solve(problem, { maxIterations: 200, seed: 2, timeLimitMs: 600_000, cpuTime: true });
      expect(checkSolution(problem, solution)).toEqual([]);
      expect(solution.unserved).toEqual([]);
    }
  }, 300_000);
});
