import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlanChange, Problem, Solution, SolveOptions } from '@postdesk/shared';
import { Piscina } from 'piscina';
import type { ProcessedPage, ProcessPageOptions } from '../digitize/pipeline';
import type * as CpuWorker from './cpu-worker';

/**
 * CPU-heavy work (scan pages, route plans) on worker threads, so the event loop keeps answering requests while
 * a page is deskewed or a day is planned. Off until `startCpuThreads` (the server at start-up): tests and scripts
 * run the same functions inline.
 */
let pool: Piscina | null = null;

/**
 * One thread per core but one, kept for the event loop (at most 4); each thread's sharp uses one libvips
 * thread, so the threads together do not take the core the requests are answered on.
 */
export const defaultThreadCount = () => Math.max(1, Math.min(4, availableParallelism() - 1));

/** The worker file next to this one: `.js` once compiled; under tsx, a loader that reads the `.ts`. */
const workerFile = () => {
  const compiled = extname(fileURLToPath(import.meta.url)) === '.js';
  return fileURLToPath(new URL(compiled ? './cpu-worker.js' : './cpu-worker-tsx.mjs', import.meta.url));
};

export const startCpuThreads = (opts: { threads?: number } = {}) => {
  if (pool) return pool;
  const threads = opts.threads && opts.threads > 0 ? opts.threads : defaultThreadCount();
  pool = new Piscina({ filename: workerFile(), minThreads: 1, maxThreads: threads, idleTimeout: 60_000 });
  return pool;
};

export const cpuThreads = () => (pool ? { threads: pool.options.maxThreads } : null);

export const stopCpuThreads = async () => {
  const p = pool;
  pool = null;
  await p?.destroy();
};

/** Structured clone turns Buffers into plain Uint8Arrays; callers expect Buffers (sharp, pdf-lib accept both). */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export const processPageOffThread = async (
  bytes: Uint8Array,
  options: ProcessPageOptions,
  inline: (bytes: Uint8Array, options: ProcessPageOptions) => Promise<ProcessedPage>,
): Promise<ProcessedPage> => {
  // A profile is filled in place by the inline run; it cannot cross a thread boundary.
  if (!pool || options.profile) return inline(bytes, options);
  const task: Parameters<typeof CpuWorker.page>[0] = { bytes, options };
  const result = (await pool.run(task, { name: 'page' })) as ProcessedPage;
  return {
    ...result,
    thumbnail: asBuffer(result.thumbnail),
    image: { ...result.image, data: asBuffer(result.image.data) },
  };
};

/**
 * A routing task on a thread: `name` is the export of cpu-worker.ts. Inline where no pool was started
 * (tests, scripts; the server starts it in every role that answers requests or runs jobs), or when the
 * problem's distances are a function (not cloneable).
 */
const routeOffThread = async <R>(
  name: 'route' | 'reroute' | 'plan' | 'replanLegal',
  task: { problem: Problem; options: SolveOptions },
  inline: () => R,
): Promise<R> => {
  if (!pool || typeof task.problem.matrix === 'function') return inline();
  return (await pool.run(task, { name })) as R;
};

/** The solver on a thread. */
export const solveOffThread = (
  problem: Problem,
  options: SolveOptions,
  inline: (problem: Problem, options: SolveOptions) => Solution,
): Promise<Solution> => routeOffThread('route', { problem, options }, () => inline(problem, options));

type Replan = { problem: Problem; current: Solution; change: PlanChange; options?: SolveOptions };
type ReplanFn = (problem: Problem, current: Solution, change: PlanChange, options?: SolveOptions) => Solution;

export const replanOffThread = (args: Replan, inline: ReplanFn): Promise<Solution> =>
  routeOffThread('reroute', { ...args, options: args.options ?? {} }, () =>
    inline(args.problem, args.current, args.change, args.options),
  );

/** The dispatch page's plan: stops due today first, and which stops miss their legal date. */
export const planOffThread = (
  problem: Problem,
  options: SolveOptions,
  inline: (problem: Problem, options: SolveOptions) => Solution,
): Promise<Solution> => routeOffThread('plan', { problem, options }, () => inline(problem, options));

/** A mid-day re-plan under the same law. */
export const replanLegalOffThread = (args: Replan, inline: ReplanFn): Promise<Solution> =>
  routeOffThread('replanLegal', { ...args, options: args.options ?? {} }, () =>
    inline(args.problem, args.current, args.change, args.options),
  );
