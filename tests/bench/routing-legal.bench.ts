// The law in the plan (issue 18, part 4): a realistic Huế day (150 stops, 2-hour windows, 4 couriers — one or two
// short of serving everything) where about a quarter of the stops are due today or already overdue. The plain
// solver (distance and stop count only) against the legal plan (due stops first): late dossiers, stops left
// for another day, distance, time. ROUTING_MS sets the time limit (default 2000).
import { createMetric, lateReport, solve, solveWithDeadlines } from '../../shared/src/routing';
import { hueLegalDay } from './hue-day';

const out = (line: string) => process.stdout.write(`${line}\n`);

export async function run() {
  const ms = Number(process.env.ROUTING_MS ?? 2000);
  const day = hueLegalDay(150, 4, 2024);
  const due = day.stops.filter((s) => s.legalDue !== undefined).length;
  const overdue = day.stops.filter(
    (s) => s.legalDue !== undefined && s.legalDue < day.depot.readyTime,
  ).length;
  out(
    `Huế legal day: ${day.stops.length} stops, ${due} due today (${overdue} already overdue), ${day.vehicles} couriers, ${ms} ms`,
  );
  out('planner        late dossiers  due unserved  left for later  distance km   time ms');
  for (const [name, plan] of [
    ['plain solve', (p: typeof day) => solve(p, { timeLimitMs: ms, seed: 1 })],
    ['legal plan', (p: typeof day) => solveWithDeadlines(p, { timeLimitMs: ms, seed: 1 })],
  ] as const) {
    const started = performance.now();
    const solution = plan(day);
    const elapsed = performance.now() - started;
    const late = lateReport(day, createMetric(day), solution);
    const unservedIds = new Set(solution.unserved.map((u) => u.id));
    const dueUnserved = day.stops.filter((s) => s.legalDue !== undefined && unservedIds.has(s.id)).length;
    out(
      `${name.padEnd(14)} ${String(late.length).padStart(13)}  ${String(dueUnserved).padStart(12)}  ${String(solution.unserved.length).padStart(14)}  ${(solution.distance / 1000).toFixed(1).padStart(11)}  ${elapsed.toFixed(0).padStart(8)}`,
    );
  }
  out('(late dossiers include the overdue ones, late whatever the plan does)');
}
