import {
  checkSolution,
  type Problem,
  replanWithDeadlines,
  type Solution,
  type Stop,
  solveWithDeadlines,
} from '@postdesk/shared';
import { describe, expect, it } from 'vitest';

/** A fixed amount of search with a fixed seed (the long time limit only guards against a hang). */
const iterations = { maxIterations: 800, seed: 1, timeLimitMs: 120_000 };

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
  vehicles: 1,
  capacity: 10,
  ...over,
});

const served = (s: Solution) => new Set(s.routes.flatMap((r) => r.stops));

describe('the law in the plan: stops due today come before distance', () => {
  it('gives a due stop the place of a nearer stop with no date today, and says the other waits', () => {
    // One courier, room for three: three stops next door and one far away whose result is due today.
    const problem = plane(
      [
        stop('near-1', 1, 0),
        stop('near-2', 0, 1),
        stop('near-3', -1, 0),
        stop('due', 40, 0, { legalDue: 500, legalBasis: 'result_due', legalDate: '2026-12-08' }),
      ],
      { capacity: 3 },
    );
    const plan = solveWithDeadlines(problem, iterations);
    expect(served(plan).has('due')).toBe(true);
    expect(plan.late).toEqual([]);
    const waiting = plan.unserved.filter((u) => u.reason === 'DEFERRED_FOR_LEGAL_DATE');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.vi).toContain('đến hạn pháp lý');
    expect(waiting[0]!.en).toContain('legal date');
    // Longer than the three neighbours alone: late distance, not a late dossier.
    expect(plan.distance).toBeGreaterThan(40);
    expect(checkSolution(problem, plan)).toEqual([]);
  });

  it('reports a stop that cannot make its date, why, and still serves it today', () => {
    const problem = plane(
      [
        stop('ok', 3, 4, { legalDue: 100, legalBasis: 'result_due', legalDate: '2026-12-08' }),
        // 50 away at one unit per minute: it cannot be reached by minute 30.
        stop('far', 30, 40, { legalDue: 30, legalBasis: 'service_level', legalDate: '2026-12-08' }),
        stop('overdue', 6, 8, { legalDue: -1, legalBasis: 'result_due', legalDate: '2026-12-05' }),
        stop('citizen-late', 1, 1, {
          readyTime: 600,
          legalDue: 300,
          legalBasis: 'result_due',
          legalDate: '2026-12-08',
        }),
        stop('free', 2, 2),
      ],
      { vehicles: 2 },
    );
    const plan = solveWithDeadlines(problem, iterations);
    expect(checkSolution(problem, plan)).toEqual([]);
    // Everything is served today; three stops miss their legal date, each with its reason.
    expect(plan.unserved).toEqual([]);
    const late = new Map(plan.late!.map((l) => [l.id, l]));
    expect([...late.keys()].sort()).toEqual(['citizen-late', 'far', 'overdue']);
    expect(late.get('far')!.reason).toBe('DEADLINE_UNREACHABLE');
    expect(late.get('far')!.plannedArrival).toBeGreaterThanOrEqual(50);
    expect(late.get('far')!.vi).toContain('00:30');
    expect(late.get('far')!.vi).toContain('hạn chỉ tiêu J+n 08/12/2026');
    expect(late.get('far')!.en).toContain('J+n service level date 08/12/2026');
    expect(late.get('overdue')!.reason).toBe('ALREADY_OVERDUE');
    expect(late.get('overdue')!.en).toContain('Already past its result due date 05/12/2026');
    expect(late.get('citizen-late')!.reason).toBe('WINDOW_AFTER_DEADLINE');
    expect(late.get('citizen-late')!.vi).toContain('Người dân hẹn từ 10:00');
  });

  it('says the fleet is full when due stops alone are more than the couriers can carry', () => {
    const problem = plane(
      [1, 2, 3].map((i) =>
        stop(`due-${i}`, i, 0, { legalDue: 500, legalBasis: 'result_due', legalDate: '2026-12-08' }),
      ),
      { capacity: 2 },
    );
    const plan = solveWithDeadlines(problem, iterations);
    expect(served(plan).size).toBe(2);
    expect(plan.late).toHaveLength(1);
    expect(plan.late![0]!.reason).toBe('FLEET_FULL');
    expect(plan.late![0]!.vi).toContain('kín lịch');
  });

  it('re-plans mid-day with the same report', () => {
    const problem = plane([
      stop('a', 10, 0),
      stop('b', 20, 0),
      stop('c', 30, 0, { legalDue: 35, legalBasis: 'result_due', legalDate: '2026-12-08' }),
    ]);
    const morning: Solution = {
      routes: [
        { vehicle: 0, stops: ['a', 'b', 'c'], arrivals: [10, 20, 30], distance: 60, load: 3, returnTime: 60 },
      ],
      distance: 60,
      unserved: [],
    };
    // At minute 15 'a' is done and 'b' failed; the courier stands at (12, 0).
    const again = replanWithDeadlines(problem, morning, {
      now: 15,
      failed: ['b'],
      positions: { 0: { id: 'here', x: 12, y: 0 } },
    });
    const route = again.routes[0]!;
    expect(route.stops).toEqual(['a', 'c']);
    expect(route.resumeFrom?.place).toMatchObject({ x: 12, y: 0 });
    // From (12, 0) at 15 it is 18 more: c at 33, before its legal 35.
    expect(route.arrivals[1]).toBeCloseTo(33, 5);
    expect(again.late).toEqual([]);
    expect(again.unserved.map((u) => u.reason)).toEqual(['STOP_FAILED']);
  });
});
