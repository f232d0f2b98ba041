// Route planning, measured in CPU time of this process (a budget means the same search however loaded the
// machine is): the 56 Solomon VRPTW instances at 1 s and 5 s with the mean gap per class to the best-known
// distance when only distance is minimised; Gehring–Homberger samples at 200, 400 and 1,000 customers;
// iterations per second and CPU used against the limit from n = 100 to 1,000; then a realistic day in Huế.
// Every solution is re-scored by the independent checker. Environment:
//   ROUTING_BUDGETS  Solomon budgets in ms (default "1000,5000")
//   ROUTING_SOLOMON  "all" (default), a comma-separated list of instance names, or "" to skip
//   ROUTING_SCALE_MS budget of the n = 100…1,000 scale table (default 1000; 0 skips it)
//   ROUTING_LARGE_MS budget for the Homberger samples (default 10000); ROUTING_LARGE="" skips them
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  checkSolution,
  type Problem,
  parseSolomon,
  type SolveOptions,
  type Solution,
  solve,
} from '../../shared/src/routing';
import { hueDay } from './hue-day';

const FIXTURES = fileURLToPath(new URL('../fixtures/routing/', import.meta.url));
const SOLOMON_DIR = `${FIXTURES}solomon/`;
const HOMBERGER_DIR = `${FIXTURES}homberger/`;
const CLASSES = ['C1', 'C2', 'R1', 'R2', 'RC1', 'RC2'];

const out = (line: string) => process.stdout.write(`${line}\n`);

const readCsv = (path: string, column: string): Map<string, number> => {
  const rows = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const col = rows[0]!.split(',').indexOf(column);
  return new Map(rows.slice(1).map((r) => [r.split(',')[0]!, Number(r.split(',')[col])]));
};

/** A table printed row by row as results come in (a long run shows its progress; columns ≥ 8 wide). */
const stream = (head: string[]) => {
  const widths = head.map((h, i) => Math.max(h.length, i === 0 ? 10 : 8));
  const line = (cells: string[]) =>
    out(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  line(head);
  return line;
};

const table = (head: string[], rows: string[][]) => {
  const line = stream(head);
  for (const r of rows) line(r);
};

const signed = (x: number, digits = 2) =>
  Number.isNaN(x) ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

type Run = { solution: Solution; cpu: number; ok: boolean; iterations: number; constructionMs: number };

/** One solve on a CPU-time budget, with the CPU it really used and the checker's verdict. */
const timed = (problem: Problem, ms: number): Run => {
  const stats: { iterations?: number; constructionMs?: number } = {};
  const options = { timeLimitMs: ms, seed: 1, cpuTime: true, stats } as SolveOptions;
  const before = cpuMs();
  const solution = solve(problem, options);
  const cpu = cpuMs() - before;
  const ok = checkSolution(problem, solution).length === 0 && solution.unserved.length === 0;
  return { solution, cpu, ok, iterations: stats.iterations ?? 0, constructionMs: stats.constructionMs ?? 0 };
};

const classOf = (name: string) => /^[A-Z]+\d/.exec(name.toUpperCase())?.[0] ?? name;

const solomon = () => {
  if (!existsSync(SOLOMON_DIR)) return out(`skipped: no Solomon instances at ${SOLOMON_DIR}`);
  const best = readCsv(`${SOLOMON_DIR}bks.csv`, 'distance_only');
  const budgets = (process.env.ROUTING_BUDGETS ?? '1000,5000').split(',').map(Number);
  const pick = process.env.ROUTING_SOLOMON ?? 'all';
  if (!pick) return;
  const names = readdirSync(SOLOMON_DIR)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => f.replace(/\.txt$/, ''))
    .filter((n) => pick === 'all' || pick.split(',').includes(n))
    .sort();
  out(
    `Solomon VRPTW (${names.length} instances), CPU-time budgets ${budgets.join(' / ')} ms, one core, seed 1`,
  );
  out(
    'gap = 100 × (distance / best-known distance-only − 1); feasible = independent checker, nothing unserved',
  );
  const gaps = budgets.map(() => new Map<string, number[]>());
  const line = stream([
    'instance',
    'best',
    ...budgets.flatMap((ms) => [`veh@${ms}`, `dist@${ms}`, `gap%@${ms}`, 'cpu ms', 'ok']),
  ]);
  let allFeasible = true;
  for (const name of names) {
    const problem = parseSolomon(readFileSync(`${SOLOMON_DIR}${name}.txt`, 'utf8'));
    const bks = best.get(name) ?? Number.NaN;
    const row = [name];
    budgets.forEach((ms, b) => {
      const r = timed(problem, ms);
      const gap = 100 * (r.solution.distance / bks - 1);
      allFeasible &&= r.ok;
      const cls = classOf(name);
      if (!gaps[b]!.has(cls)) gaps[b]!.set(cls, []);
      if (!Number.isNaN(gap)) gaps[b]!.get(cls)!.push(gap);
      row.push(
        String(r.solution.routes.length),
        r.solution.distance.toFixed(2),
        signed(gap),
        r.cpu.toFixed(0),
        r.ok ? 'yes' : 'NO',
      );
    });
    row.splice(1, 0, Number.isNaN(bks) ? '-' : bks.toFixed(2));
    line(row);
  }
  out('');
  table(
    ['budget', ...CLASSES, 'all'],
    budgets.map((ms, b) => [
      `${ms} ms`,
      ...CLASSES.map((c) => (gaps[b]!.has(c) ? signed(mean(gaps[b]!.get(c)!)) : '-')),
      signed(mean([...gaps[b]!.values()].flat())),
    ]),
  );
  out(`all feasible: ${allFeasible ? 'yes' : 'NO'}`);
};

const homberger = () => {
  if (!existsSync(HOMBERGER_DIR)) return out(`skipped: no Homberger instances at ${HOMBERGER_DIR}`);
  const wanted =
    process.env.ROUTING_LARGE ??
    'c1_2_1,c2_2_1,r1_2_1,r2_2_1,rc1_2_1,rc2_2_1,c1_4_1,c2_4_1,r1_4_1,r2_4_1,rc1_4_1,rc2_4_1,r1_10_1,rc2_10_1';
  if (!wanted) return;
  const ms = Number(process.env.ROUTING_LARGE_MS ?? 10_000);
  const best = readCsv(`${HOMBERGER_DIR}bks.csv`, 'distance_sintef');
  out('');
  out(
    `Gehring–Homberger samples, ${ms} ms CPU each, seed 1 (best known = SINTEF list, fewest vehicles first,`,
  );
  out('so a distance-only plan may use more vehicles and come out below it)');
  const line = stream([
    'instance',
    'n',
    'vehicles',
    'distance',
    'best',
    'gap %',
    'cpu ms',
    'iterations',
    'feasible',
  ]);
  const bySize = new Map<number, number[]>();
  for (const name of wanted.split(',')) {
    const problem = parseSolomon(readFileSync(`${HOMBERGER_DIR}${name}.txt`, 'utf8'));
    const r = timed(problem, ms);
    const bks = best.get(name) ?? Number.NaN;
    const gap = 100 * (r.solution.distance / bks - 1);
    const n = problem.stops.length;
    if (!bySize.has(n)) bySize.set(n, []);
    bySize.get(n)!.push(gap);
    line([
      name,
      String(n),
      String(r.solution.routes.length),
      r.solution.distance.toFixed(2),
      bks.toFixed(2),
      signed(gap),
      r.cpu.toFixed(0),
      String(r.iterations),
      r.ok ? 'yes' : 'NO',
    ]);
  }
  for (const [n, g] of [...bySize].sort((a, b) => a[0] - b[0]))
    out(`mean gap at n = ${n}: ${signed(mean(g))} %`);
};

/** The R1 family from 100 to 1,000 customers on the same budget: how fast the search runs as n grows. */
const scale = () => {
  const ms = Number(process.env.ROUTING_SCALE_MS ?? 1000);
  if (!ms) return;
  const files = [
    `${SOLOMON_DIR}R101.txt`,
    `${HOMBERGER_DIR}r1_2_1.txt`,
    `${HOMBERGER_DIR}r1_4_1.txt`,
    `${HOMBERGER_DIR}r1_6_1.txt`,
    `${HOMBERGER_DIR}r1_8_1.txt`,
    `${HOMBERGER_DIR}r1_10_1.txt`,
  ].filter(existsSync);
  out('');
  out(`Scale: R1 instances, ${ms} ms CPU limit (covering model, construction and improvement)`);
  const rows: string[][] = [];
  let prev = Number.NaN;
  let prevN = Number.NaN;
  for (const file of files) {
    const problem = parseSolomon(readFileSync(file, 'utf8'));
    const r = timed(problem, ms);
    const n = problem.stops.length;
    const searchS = Math.max(1e-3, (r.cpu - r.constructionMs) / 1000);
    const rate = r.iterations / searchS;
    const perDoubling = Number.isNaN(prev) ? Number.NaN : (prev / rate) ** (1 / Math.log2(n / prevN));
    rows.push([
      String(n),
      r.constructionMs.toFixed(0),
      r.cpu.toFixed(0),
      signed(100 * (r.cpu / ms - 1), 1),
      String(r.iterations),
      rate.toFixed(0),
      Number.isNaN(perDoubling) ? '-' : `${perDoubling.toFixed(2)}×`,
      r.ok ? 'yes' : 'NO',
    ]);
    prev = rate;
    prevN = n;
  }
  table(
    ['n', 'model+constr ms', 'cpu ms', 'vs limit %', 'iterations', 'iter/s', 'fall/doubling', 'feasible'],
    rows,
  );
};

export async function run() {
  solomon();
  scale();
  homberger();

  const ms = Number(process.env.ROUTING_MS ?? 2000);
  const day = hueDay(200, 8, 2024);
  const started = performance.now();
  const plan = solve(day, { timeLimitMs: ms, seed: 1 });
  const elapsed = performance.now() - started;
  const feasible = checkSolution(day, plan).length === 0;
  out('');
  out(
    `Huế day: 200 stops, 8 couriers, 2-hour windows, 25 km/h: ${plan.routes.length} routes, ` +
      `${(plan.distance / 1000).toFixed(1)} km, ${plan.unserved.length} unserved, ${elapsed.toFixed(0)} ms, ` +
      `feasible ${feasible ? 'yes' : 'NO'}`,
  );
}
