import {
  checkSolution,
  type DistanceMatrix,
  type Problem,
  replan,
  type Solution,
  type Stop,
  solve,
  type ViolationCode,
} from '@postdesk/shared';
import { describe, expect, it } from 'vitest';

/** A fixed amount of search with a fixed seed: the same answer however loaded the machine is (the long time
 * limit only guards against a hang). */
const iterations = (seed = 1) => ({ maxIterations: 1500, seed, timeLimitMs: 120_000 });

const lcg = (seed: number) => {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
};

const stop = (id: string, x: number, y: number, over: Partial<Stop> = {}): Stop => ({
  id,
  x,
  y,
  demand: 1,
  readyTime: 0,
  dueTime: 1000,
  serviceTime: 0,
  ...over,
});

const plane = (stops: Stop[], over: Partial<Problem> = {}): Problem => ({
  depot: { id: 'depot', x: 0, y: 0, readyTime: 0, dueTime: 1000 },
  stops,
  vehicles: 3,
  capacity: 10,
  ...over,
});

/** Total distance of the best plan, by trying every order of the stops cut into at most `vehicles` routes. */
const bruteForce = (
  problem: Problem,
  travel: (a: string, b: string) => { distance: number; time: number },
) => {
  const byId = new Map(problem.stops.map((s) => [s.id, s]));
  const depot = problem.depot;
  const routeCost = (ids: string[]) => {
    let t = depot.readyTime;
    let prev = depot.id;
    let d = 0;
    let load = 0;
    for (const id of ids) {
      const s = byId.get(id)!;
      const leg = travel(prev, id);
      t = Math.max(t + leg.time, s.readyTime);
      if (t > s.dueTime + 1e-9) return Number.POSITIVE_INFINITY;
      t += s.serviceTime;
      d += leg.distance;
      load += s.demand;
      prev = id;
    }
    const back = travel(prev, depot.id);
    if (load > problem.capacity || t + back.time > depot.dueTime + 1e-9) return Number.POSITIVE_INFINITY;
    return ids.length === 0 ? 0 : d + back.distance;
  };
  let best = Number.POSITIVE_INFINITY;
  const ids = problem.stops.map((s) => s.id);
  const permute = (rest: string[], acc: string[]) => {
    if (rest.length === 0) {
      for (let mask = 0; mask < 1 << (acc.length - 1); mask++) {
        let cuts = 0;
        for (let b = mask; b; b >>= 1) cuts += b & 1;
        if (cuts > problem.vehicles - 1) continue;
        let total = 0;
        let from = 0;
        for (let i = 0; i < acc.length && total < best; i++) {
          if (i === acc.length - 1 || mask & (1 << i)) {
            total += routeCost(acc.slice(from, i + 1));
            from = i + 1;
          }
        }
        if (total < best) best = total;
      }
      return;
    }
    rest.forEach((id, i) => {
      permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, id]);
    });
  };
  permute(ids, []);
  return best;
};

const feasible = (problem: Problem, solution: Solution) =>
  expect(checkSolution(problem, solution)).toEqual([]);

const codes = (problem: Problem, solution: Solution): ViolationCode[] =>
  checkSolution(problem, solution).map((v) => v.code);

const reasonOf = (solution: Solution, id: string) => solution.unserved.find((u) => u.id === id)?.reason;

/** A day around the Huế post office (16.46 N, 107.59 E): stops within ~4 km, 2-hour windows, 5-min service. */
const hueDay = (n: number, vehicles: number, seed: number): Problem => {
  const rand = lcg(seed);
  const stops: Stop[] = Array.from({ length: n }, (_, i) => {
    const ready = 8 * 60 + Math.floor(rand() * 7) * 60;
    return {
      id: `task-${i + 1}`,
      lat: 16.46 + (rand() - 0.5) * 0.07,
      lng: 107.59 + (rand() - 0.5) * 0.07,
      demand: 1 + Math.floor(rand() * 3),
      readyTime: ready,
      dueTime: ready + 120,
      serviceTime: 5,
    };
  });
  return {
    depot: { id: 'post-office', lat: 16.46, lng: 107.59, readyTime: 7.5 * 60, dueTime: 17.5 * 60 },
    stops,
    vehicles,
    capacity: 60,
    speedKmh: 25,
  };
};

describe('solve: small instances against brute force', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`finds the optimum of a random 6-stop instance with windows and capacity (seed ${seed})`, () => {
      const rand = lcg(seed);
      const stops = Array.from({ length: 6 }, (_, i) => {
        const ready = Math.floor(rand() * 60);
        return stop(`s${i}`, Math.round(rand() * 40 - 20), Math.round(rand() * 40 - 20), {
          demand: 1 + Math.floor(rand() * 4),
          readyTime: ready,
          dueTime: ready + 30 + Math.floor(rand() * 60),
          serviceTime: 5,
        });
      });
      const problem = plane(stops, {
        vehicles: 3,
        capacity: 8,
        depot: { id: 'd', x: 0, y: 0, readyTime: 0, dueTime: 300 },
      });
      const places = new Map([[problem.depot.id, problem.depot], ...stops.map((s) => [s.id, s] as const)]);
      const optimum = bruteForce(problem, (a, b) => {
        const d = Math.hypot(places.get(a)!.x! - places.get(b)!.x!, places.get(a)!.y! - places.get(b)!.y!);
        return { distance: d, time: d };
      });
      const solution = solve(problem, iterations(seed));
      feasible(problem, solution);
      expect(solution.unserved).toEqual([]);
      expect(solution.distance).toBeCloseTo(optimum, 6);
    });
  }

  it('uses a plugged asymmetric road matrix and still finds the optimum', () => {
    const ids = ['po', 'a', 'b', 'c', 'd', 'e'];
    const rand = lcg(42);
    const distance = ids.map((_, i) => ids.map((__, j) => (i === j ? 0 : 1 + Math.floor(rand() * 30))));
    const matrix: DistanceMatrix = { ids, distance };
    const problem: Problem = {
      depot: { id: 'po', readyTime: 0, dueTime: 200 },
      stops: ids.slice(1).map((id) => ({ id, demand: 1, readyTime: 0, dueTime: 200, serviceTime: 2 })),
      vehicles: 2,
      capacity: 3,
      matrix,
    };
    const at = (id: string) => ids.indexOf(id);
    const optimum = bruteForce(problem, (a, b) => {
      const d = distance[at(a)]![at(b)]!;
      return { distance: d, time: d };
    });
    const solution = solve(problem, iterations());
    feasible(problem, solution);
    expect(solution.distance).toBeCloseTo(optimum, 9);
  });

  it('accepts a matrix given as a function of two places', () => {
    const manhattan = (a: { x?: number; y?: number }, b: { x?: number; y?: number }) => {
      const d = Math.abs(a.x! - b.x!) + Math.abs(a.y! - b.y!);
      return { distance: d, time: d / 2 };
    };
    const problem = plane([stop('a', 3, 4), stop('b', -3, 4), stop('c', 0, -5)], {
      matrix: manhattan,
      vehicles: 1,
    });
    const solution = solve(problem, iterations());
    feasible(problem, solution);
    expect(solution.distance).toBe(30);
    const first = problem.stops.find((s) => s.id === solution.routes[0]!.stops[0])!;
    expect(solution.routes[0]!.arrivals[0]).toBe(manhattan(problem.depot, first).time);
  });
});

describe('solve: windows, capacity and shift at the edge', () => {
  it('serves a stop whose window closes exactly on arrival, and waits at one that opens later', () => {
    const problem = plane(
      [stop('tight', 10, 0, { readyTime: 0, dueTime: 10 }), stop('late', 20, 0, { readyTime: 100 })],
      {
        vehicles: 1,
      },
    );
    const solution = solve(problem, iterations());
    feasible(problem, solution);
    expect(solution.routes[0]!.stops).toEqual(['tight', 'late']);
    expect(solution.routes[0]!.arrivals).toEqual([10, 20]);
    expect(solution.routes[0]!.returnTime).toBe(120);
  });

  it('fills a vehicle exactly to capacity and opens a second one for the next unit', () => {
    const problem = plane([
      stop('a', 10, 0, { demand: 6 }),
      stop('b', 10, 1, { demand: 4 }),
      stop('c', -10, 0, { demand: 1 }),
    ]);
    const solution = solve(problem, iterations());
    feasible(problem, solution);
    expect(solution.routes).toHaveLength(2);
    expect(solution.routes.map((r) => r.load).sort((a, b) => a - b)).toEqual([1, 10]);
  });

  it('keeps every courier within the shift length', () => {
    const stops = Array.from({ length: 12 }, (_, i) =>
      stop(`s${i}`, 20 * Math.cos(i), 20 * Math.sin(i), { serviceTime: 10 }),
    );
    const problem = plane(stops, { vehicles: 6, capacity: 100, shiftLength: 120 });
    const solution = solve(problem, iterations());
    feasible(problem, solution);
    expect(solution.unserved).toEqual([]);
    expect(Math.max(...solution.routes.map((r) => r.returnTime))).toBeLessThanOrEqual(120);
    expect(solution.routes.length).toBeGreaterThan(1);
  });
});

describe('solve: an infeasible day says which stops cannot be served and why', () => {
  it('reports each kind of unservable stop with a code and a Vietnamese and English text', () => {
    const problem = plane(
      [
        stop('ok', 5, 5),
        stop('heavy', 5, 6, { demand: 11 }),
        stop('too-early', 50, 0, { readyTime: 0, dueTime: 40 }),
        stop('too-far-for-shift', 600, 0, { dueTime: 900 }),
        stop('no-place', Number.NaN, 0),
        stop('ok', 6, 6),
      ],
      { vehicles: 1 },
    );
    const solution = solve(problem, iterations());
    expect(reasonOf(solution, 'heavy')).toBe('DEMAND_EXCEEDS_CAPACITY');
    expect(reasonOf(solution, 'too-early')).toBe('TIME_WINDOW_UNREACHABLE');
    expect(reasonOf(solution, 'too-far-for-shift')).toBe('CANNOT_RETURN_IN_TIME');
    expect(reasonOf(solution, 'no-place')).toBe('INVALID_STOP');
    expect(solution.unserved.filter((u) => u.id === 'ok').map((u) => u.reason)).toEqual(['INVALID_STOP']);
    const heavy = solution.unserved.find((u) => u.id === 'heavy')!;
    expect(heavy.vi).toMatch(/sức chở/);
    expect(heavy.en).toMatch(/carry/);
    expect(solution.routes.flatMap((r) => r.stops)).toEqual(['ok']);
  });

  it('says NO_VEHICLE_AVAILABLE when the fleet is too small, and never drops a stop silently', () => {
    const stops = Array.from({ length: 8 }, (_, i) => stop(`s${i}`, 10 + i, 0, { demand: 4 }));
    const problem = plane(stops, { vehicles: 2, capacity: 8 });
    const solution = solve(problem, iterations());
    feasible(problem, solution);
    expect(solution.routes.flatMap((r) => r.stops)).toHaveLength(4);
    expect(solution.unserved.map((u) => u.reason)).toEqual(Array(4).fill('NO_VEHICLE_AVAILABLE'));
  });

  it('returns an empty plan without throwing when there is no courier or no stop', () => {
    const none = solve(plane([stop('a', 1, 1)], { vehicles: 0 }), iterations());
    expect(none.unserved.map((u) => u.reason)).toEqual(['NO_VEHICLE_AVAILABLE']);
    expect(solve(plane([]), iterations())).toEqual({ routes: [], distance: 0, unserved: [] });
  });
});

describe('solve: determinism and real coordinates', () => {
  it('gives the same plan for the same seed and iteration budget', () => {
    const problem = hueDay(60, 4, 7);
    const a = solve(problem, { seed: 11, maxIterations: 300, timeLimitMs: 60_000 });
    const b = solve(problem, { seed: 11, maxIterations: 300, timeLimitMs: 60_000 });
    expect(b).toEqual(a);
    feasible(problem, a);
  });

  it('plans a Huế day in metres with haversine and 25 km/h travel times', () => {
    const problem = hueDay(40, 3, 3);
    const solution = solve(problem, iterations());
    feasible(problem, solution);
    expect(solution.unserved).toEqual([]);
    const first = solution.routes[0]!;
    const s = problem.stops.find((x) => x.id === first.stops[0])!;
    const metres =
      2 *
      6_371_008.8 *
      Math.asin(
        Math.sqrt(
          Math.sin(((s.lat! - 16.46) * Math.PI) / 360) ** 2 +
            Math.cos((16.46 * Math.PI) / 180) *
              Math.cos((s.lat! * Math.PI) / 180) *
              Math.sin(((s.lng! - 107.59) * Math.PI) / 360) ** 2,
        ),
      );
    expect(first.arrivals[0]).toBeCloseTo(450 + metres / (25_000 / 60), 6);
    expect(solution.distance).toBeGreaterThan(10_000);
  });
});

describe('replan', () => {
  it('keeps the stops already reached, drops a failed one and inserts new ones, in under 200 ms', () => {
    const problem = hueDay(100, 6, 5);
    const morning = solve(problem, iterations(1));
    feasible(problem, morning);
    const now = 11 * 60;
    const route = morning.routes.find((r) => r.arrivals.filter((a) => a <= now).length >= 2)!;
    const done = route.stops.filter((_, i) => route.arrivals[i]! <= now);
    const failedLater = route.stops.find((_, i) => route.arrivals[i]! > now)!;
    const added: Stop[] = [0, 1, 2].map((i) => ({
      id: `new-${i}`,
      lat: 16.46 + 0.01 * (i - 1),
      lng: 107.6,
      demand: 1,
      readyTime: 13 * 60,
      dueTime: 15 * 60,
      serviceTime: 5,
    }));
    const plan = replan(problem, morning, { now, added, failed: [failedLater, done[0]!] }, iterations());
    const full = { ...problem, stops: [...problem.stops, ...added] };
    feasible(full, plan);
    const after = plan.routes.find((r) => r.vehicle === route.vehicle)!;
    expect(after.stops.slice(0, done.length - 1)).toEqual(done.slice(1));
    expect(after.arrivals.slice(0, done.length - 1)).toEqual(route.arrivals.filter((a) => a <= now).slice(1));
    for (const r of morning.routes) {
      const kept = r.stops.filter((id, i) => r.arrivals[i]! <= now && id !== done[0]);
      expect(plan.routes.find((p) => p.vehicle === r.vehicle)!.stops.slice(0, kept.length)).toEqual(kept);
    }
    const served = new Set(plan.routes.flatMap((r) => r.stops));
    for (const s of added) expect(served.has(s.id)).toBe(true);
    expect(reasonOf(plan, failedLater)).toBe('STOP_FAILED');
    expect(reasonOf(plan, done[0]!)).toBe('STOP_FAILED');
    expect(served.has(failedLater)).toBe(false);
  });

  it('starts a courier from its reported position and refuses a new stop whose window has passed', () => {
    const problem = plane([stop('a', 10, 0, { dueTime: 12 }), stop('b', 20, 0, { readyTime: 30 })], {
      vehicles: 1,
    });
    const morning = solve(problem, iterations());
    const plan = replan(problem, morning, {
      now: 15,
      positions: { 0: { id: 'gps', x: 12, y: 3 } },
      added: [stop('gone', 1, 1, { dueTime: 10 }), stop('c', 15, 10)],
    });
    feasible(
      { ...problem, stops: [...problem.stops, stop('gone', 1, 1, { dueTime: 10 }), stop('c', 15, 10)] },
      plan,
    );
    expect(plan.routes[0]!.stops[0]).toBe('a');
    expect(plan.routes[0]!.stops).toContain('c');
    expect(reasonOf(plan, 'gone')).toBe('TIME_WINDOW_UNREACHABLE');
    expect(plan.routes[0]!.arrivals[1]).toBeGreaterThanOrEqual(15);
  });
});

describe('checkSolution catches broken plans', () => {
  const problem = plane(
    [
      stop('a', 10, 0, { demand: 4 }),
      stop('b', 10, 10, { demand: 4, dueTime: 40 }),
      stop('c', -10, 0, { demand: 4 }),
    ],
    { vehicles: 2, capacity: 8, shiftLength: 200 },
  );
  const good = (): Solution => solve(problem, iterations());
  const edit = (change: (s: Solution) => void): Solution => {
    const s = structuredClone(good());
    change(s);
    return s;
  };

  it('accepts the solver plan', () => {
    feasible(problem, good());
  });

  const cases: [ViolationCode, (s: Solution) => void][] = [
    [
      'UNKNOWN_STOP',
      (s) => {
        s.routes[0]!.stops.push('zzz');
        s.routes[0]!.arrivals.push(999);
      },
    ],
    [
      'DUPLICATE_STOP',
      (s) => {
        s.routes[1]!.stops.push(s.routes[0]!.stops[0]!);
        s.routes[1]!.arrivals.push(500);
      },
    ],
    [
      'MISSING_STOP',
      (s) => {
        s.routes[0]!.stops.pop();
        s.routes[0]!.arrivals.pop();
      },
    ],
    [
      'SERVED_AND_UNSERVED',
      (s) => void s.unserved.push({ id: 'a', reason: 'NO_VEHICLE_AVAILABLE', vi: '', en: '' }),
    ],
    [
      'VEHICLE_INVALID',
      (s) => {
        s.routes[0]!.vehicle = 7;
      },
    ],
    [
      'VEHICLE_REUSED',
      (s) => {
        s.routes[1]!.vehicle = s.routes[0]!.vehicle;
      },
    ],
    ['ARRIVALS_LENGTH', (s) => void s.routes[0]!.arrivals.push(1)],
    [
      'ARRIVAL_IMPOSSIBLE',
      (s) => {
        s.routes[0]!.arrivals[0] = 0;
      },
    ],
    [
      'TIME_WINDOW_VIOLATED',
      (s) => {
        const r = s.routes.find((x) => x.stops.includes('b'))!;
        r.arrivals[r.stops.indexOf('b')] = 41;
      },
    ],
    [
      'DISTANCE_MISMATCH',
      (s) => {
        s.distance += 1;
      },
    ],
  ];
  for (const [code, change] of cases) {
    it(`flags ${code}`, () => {
      expect(codes(problem, edit(change))).toContain(code);
    });
  }

  it('flags CAPACITY_EXCEEDED, LATE_RETURN and SHIFT_EXCEEDED on a hand-made plan', () => {
    const one: Solution = {
      routes: [
        {
          vehicle: 0,
          stops: ['a', 'c', 'b'],
          arrivals: [10, 30, 54.142],
          distance: 0,
          load: 12,
          returnTime: 0,
        },
      ],
      distance: 0,
      unserved: [],
    };
    expect(codes(problem, one)).toEqual(
      expect.arrayContaining(['CAPACITY_EXCEEDED', 'TIME_WINDOW_VIOLATED']),
    );
    const late: Solution = {
      routes: [{ vehicle: 0, stops: ['a'], arrivals: [995], distance: 20, load: 4, returnTime: 0 }],
      distance: 20,
      unserved: [
        { id: 'b', reason: 'NO_VEHICLE_AVAILABLE', vi: '', en: '' },
        { id: 'c', reason: 'NO_VEHICLE_AVAILABLE', vi: '', en: '' },
      ],
    };
    expect(codes(problem, late)).toEqual(['LATE_RETURN', 'SHIFT_EXCEEDED']);
    const shiftOnly = structuredClone(late);
    shiftOnly.routes[0]!.arrivals = [195];
    expect(codes(problem, shiftOnly)).toEqual(['SHIFT_EXCEEDED']);
  });
});
