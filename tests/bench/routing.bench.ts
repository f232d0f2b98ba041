// Route planning: the Solomon VRPTW instances beside the repo (gap to the best-known distance when only
// distance is minimised, time per instance, feasibility by the independent checker), then a realistic day
// in Huế: 200 stops, 8 couriers, 2-hour windows. ROUTING_MS sets the time limit per instance (default 2000).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSolution, type Problem, parseSolomon, type Stop, solve } from '../../shared/src/routing';

const SOLOMON_DIR = fileURLToPath(new URL('../fixtures/routing/solomon/', import.meta.url));

const out = (line: string) => process.stdout.write(`${line}\n`);

const readBestKnown = (): Map<string, number> => {
  const rows = readFileSync(`${SOLOMON_DIR}bks.csv`, 'utf8').trim().split(/\r?\n/);
  const header = rows[0]!.split(',');
  const col = header.indexOf('distance_only');
  return new Map(rows.slice(1).map((r) => [r.split(',')[0]!, Number(r.split(',')[col])]));
};

const table = (head: string[], rows: string[][]) => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out(line(head));
  for (const r of rows) out(line(r));
};

/** A deterministic day around the Huế post office (16.46 N, 107.59 E): stops within ~4 km of it. */
const hueDay = (n: number, vehicles: number, seed: number): Problem => {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const stops: Stop[] = Array.from({ length: n }, (_, i) => {
    const ready = 8 * 60 + Math.floor(rand() * 8) * 60;
    const r = 4500 * Math.sqrt(rand());
    const a = 2 * Math.PI * rand();
    return {
      id: `task-${i + 1}`,
      lat: 16.46 + (r * Math.sin(a)) / 111_320,
      lng: 107.59 + (r * Math.cos(a)) / (111_320 * Math.cos((16.46 * Math.PI) / 180)),
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
    shiftLength: 10 * 60,
    speedKmh: 25,
  };
};

export async function run() {
  const ms = Number(process.env.ROUTING_MS ?? 2000);
  if (!existsSync(SOLOMON_DIR)) {
    out(`skipped: no Solomon instances at ${SOLOMON_DIR}`);
  } else {
    const best = readBestKnown();
    const names = readdirSync(SOLOMON_DIR)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => f.replace(/\.txt$/, ''))
      .sort();
    out(`Solomon VRPTW, ${ms} ms per instance, one core, seed 1`);
    const rows: string[][] = [];
    const gaps: number[] = [];
    for (const name of names) {
      const problem = parseSolomon(readFileSync(`${SOLOMON_DIR}${name}.txt`, 'utf8'));
      const started = performance.now();
      const solution = solve(problem, { timeLimitMs: ms, seed: 1 });
      const elapsed = performance.now() - started;
      const ok = checkSolution(problem, solution).length === 0 && solution.unserved.length === 0;
      const bks = best.get(name);
      const gap = bks ? 100 * (solution.distance / bks - 1) : Number.NaN;
      if (bks) gaps.push(gap);
      rows.push([
        name,
        String(solution.routes.length),
        solution.distance.toFixed(2),
        bks ? bks.toFixed(2) : '-',
        Number.isNaN(gap) ? '-' : `${gap >= 0 ? '+' : ''}${gap.toFixed(2)}`,
        elapsed.toFixed(0),
        ok ? 'yes' : 'NO',
      ]);
    }
    table(['instance', 'vehicles', 'distance', 'best (dist. only)', 'gap %', 'time ms', 'feasible'], rows);
    const mean = gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length);
    out(`mean gap: ${mean >= 0 ? '+' : ''}${mean.toFixed(2)} % over ${gaps.length} instances`);
  }

  const day = hueDay(200, 8, 2024);
  const started = performance.now();
  const plan = solve(day, { timeLimitMs: ms, seed: 1 });
  const elapsed = performance.now() - started;
  const feasible = checkSolution(day, plan).length === 0;
  out(
    `Huế day: 200 stops, 8 couriers, 2-hour windows, 25 km/h: ${plan.routes.length} routes, ` +
      `${(plan.distance / 1000).toFixed(1)} km, ${plan.unserved.length} unserved, ${elapsed.toFixed(0)} ms, ` +
      `feasible ${feasible ? 'yes' : 'NO'}`,
  );
}
