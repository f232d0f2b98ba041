// Route planning: the Solomon VRPTW instances beside the repo (gap to the best-known distance when only
// distance is minimised, time per instance, feasibility by the independent checker), then a realistic day
// in Huế: 200 stops, 8 couriers, 2-hour windows. ROUTING_MS sets the time limit per instance (default 2000).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSolution, parseSolomon, solve } from '../../shared/src/routing';
import { hueDay } from './hue-day';

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
