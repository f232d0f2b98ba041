import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { z } from 'zod';
import type { Logger } from '../logger';

/** A job is a name, a zod payload (ids only) and an idempotent handler: a retry or a re-run after a crash is harmless. */
export type JobDefinition<P = unknown> = {
  name: string;
  payload: z.ZodType<P>;
  concurrency: number;
  attempts: number;
  /** First retry delay; each next one doubles. */
  backoffMs: number;
  handler: (payload: P) => Promise<void>;
};

export const defineJob = <P>(def: JobDefinition<P>) => def as unknown as JobDefinition;

export type EnqueueOptions = { jobId?: string; delayMs?: number };

export type JobRunner = {
  mode: 'bullmq' | 'in-process';
  enqueue: (name: string, payload: unknown, opts?: EnqueueOptions) => Promise<void>;
  /** Resolves when no job is waiting or running (in-process; BullMQ: when the queues are empty). */
  idle: () => Promise<void>;
  close: () => Promise<void>;
};

const invalidPayload = (name: string, err: unknown) =>
  new Error(`Job ${name}: payload rejected: ${String(err)}`);

const byName = (defs: JobDefinition[]) => {
  const map = new Map(defs.map((d) => [d.name, d]));
  return (name: string) => {
    const def = map.get(name);
    if (!def) throw new Error(`Unknown job "${name}"`);
    return def;
  };
};

export const createBullmqRunner = (opts: {
  redisUrl: string;
  defs: JobDefinition[];
  log: Logger;
  /** Key prefix: lets tests share one Redis without seeing each other's queues. */
  prefix?: string;
  workers?: boolean;
  /** How long a worker's lock on a job lasts; a crashed worker's job is taken up again after it expires. */
  lockDurationMs?: number;
}): JobRunner => {
  const url = new URL(opts.redisUrl);
  const connection = {
    host: url.hostname,
    port: Number(url.port || 6379),
    password: url.password || undefined,
    db: Number(url.pathname.slice(1) || 0),
    maxRetriesPerRequest: null,
  };
  const prefix = opts.prefix ?? 'postdesk';
  const find = byName(opts.defs);
  const queues = new Map(opts.defs.map((d) => [d.name, new Queue(d.name, { connection, prefix })]));
  const workers =
    opts.workers === false
      ? []
      : opts.defs.map((def) =>
          new Worker(
            def.name,
            async (job) => {
              const parsed = def.payload.safeParse(job.data);
              if (!parsed.success)
                throw new UnrecoverableError(invalidPayload(def.name, parsed.error).message);
              await def.handler(parsed.data);
            },
            {
              connection,
              prefix,
              concurrency: def.concurrency,
              lockDuration: opts.lockDurationMs ?? 30_000,
              stalledInterval: Math.min(opts.lockDurationMs ?? 30_000, 30_000),
            },
          ).on('failed', (job, err) =>
            opts.log.warn(
              { job: def.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message },
              'job failed',
            ),
          ),
        );
  return {
    mode: 'bullmq',
    enqueue: async (name, payload, o = {}) => {
      const def = find(name);
      const parsed = def.payload.safeParse(payload);
      if (!parsed.success) throw invalidPayload(name, parsed.error);
      await queues.get(name)!.add(name, parsed.data, {
        jobId: o.jobId,
        delay: o.delayMs,
        attempts: def.attempts,
        backoff: { type: 'exponential', delay: def.backoffMs },
        removeOnComplete: 1000,
        removeOnFail: false,
      });
    },
    idle: async () => {
      for (;;) {
        const counts = await Promise.all(
          [...queues.values()].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
        );
        if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
};

/** Same handlers without Redis, for `npm start` on embedded defaults; jobs do not survive a restart. */
export const createInProcessRunner = (opts: { defs: JobDefinition[]; log: Logger }): JobRunner => {
  const find = byName(opts.defs);
  const seen = new Set<string>();
  const running = new Map<string, number>();
  const waiting: { def: JobDefinition; payload: unknown; attempt: number }[] = [];
  let pending = 0;
  let closed = false;
  const idleWaiters: (() => void)[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const settle = () => {
    if (pending === 0) for (const w of idleWaiters.splice(0)) w();
  };

  const pump = () => {
    for (let i = 0; i < waiting.length; i++) {
      const item = waiting[i]!;
      if ((running.get(item.def.name) ?? 0) >= item.def.concurrency) continue;
      waiting.splice(i--, 1);
      running.set(item.def.name, (running.get(item.def.name) ?? 0) + 1);
      void run(item);
    }
  };

  const schedule = (item: (typeof waiting)[number], delayMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (closed) return;
      waiting.push(item);
      pump();
    }, delayMs);
    timers.add(timer);
  };

  const run = async (item: (typeof waiting)[number]) => {
    let retry = false;
    try {
      await item.def.handler(item.payload);
    } catch (err) {
      retry = item.attempt < item.def.attempts;
      opts.log.warn({ job: item.def.name, attempt: item.attempt, err: (err as Error).message }, 'job failed');
    }
    running.set(item.def.name, (running.get(item.def.name) ?? 1) - 1);
    if (retry && !closed) {
      schedule({ ...item, attempt: item.attempt + 1 }, item.def.backoffMs * 2 ** (item.attempt - 1));
    } else {
      pending -= 1;
    }
    pump();
    settle();
  };

  opts.log.warn('REDIS_URL is not set: jobs run in-process and do not survive a restart');
  return {
    mode: 'in-process',
    enqueue: async (name, payload, o = {}) => {
      const def = find(name);
      const parsed = def.payload.safeParse(payload);
      if (!parsed.success) throw invalidPayload(name, parsed.error);
      if (o.jobId) {
        if (seen.has(`${name}:${o.jobId}`)) return;
        seen.add(`${name}:${o.jobId}`);
      }
      pending += 1;
      schedule({ def, payload: parsed.data, attempt: 1 }, o.delayMs ?? 0);
    },
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      waiting.length = 0;
      while ([...running.values()].some((n) => n > 0)) await new Promise((r) => setTimeout(r, 20));
      pending = 0;
      settle();
    },
  };
};

export const createJobRunner = (opts: {
  redisUrl?: string;
  defs: JobDefinition[];
  log: Logger;
  prefix?: string;
}) =>
  opts.redisUrl
    ? createBullmqRunner({ redisUrl: opts.redisUrl, defs: opts.defs, log: opts.log, prefix: opts.prefix })
    : createInProcessRunner(opts);
