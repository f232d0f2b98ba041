import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { z } from 'zod';
import type { Logger } from '../logger';
import { createRedis, pingRedis, type RedisConfig } from './redis';

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

/** Where a job is: `missing` = never added, or lost (Redis emptied) or already cleaned away. */
export type JobStatus = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed' | 'missing';

/** Work on a clock: one run per period across every process of the cluster. */
export type Schedule = { job: string; everyMs: number };

export type JobRunner = {
  mode: 'bullmq' | 'in-process';
  /** Whether this process consumes the queues (the `worker` and `all` roles) or only adds to them (`web`). */
  consumes: boolean;
  enqueue: (name: string, payload: unknown, opts?: EnqueueOptions) => Promise<void>;
  status: (name: string, jobId: string) => Promise<JobStatus>;
  /**
   * Starts periodic jobs (BullMQ job schedulers, kept in Redis): upserted now, and re-created when a check
   * finds one gone (Redis restarted empty), after which `onLost` runs so the caller re-enqueues from PostgreSQL.
   */
  schedule: (schedules: Schedule[], opts?: { checkEveryMs?: number; onLost?: () => void }) => Promise<void>;
  /** The queue's store answers (always true in-process); for /ready. */
  ping: () => Promise<boolean>;
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

/** Failed jobs are kept a week (at most 5,000 per queue) for inspection, then dropped. */
export const FAILED_RETENTION = { age: 7 * 24 * 3600, count: 5_000 };
const COMPLETED_RETENTION = { age: 24 * 3600, count: 1_000 };

/** The default key prefix: the braces are a Redis Cluster hash tag, so a queue's keys share one slot. */
export const DEFAULT_PREFIX = '{postdesk}';

/** An enqueue that cannot reach Redis fails after this instead of holding the request for ever. */
const ENQUEUE_TIMEOUT_MS = 10_000;

const withTimeout = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: Redis did not answer in ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

export const createBullmqRunner = (opts: {
  /** A URL, or the full configuration (Sentinels). */
  redisUrl?: string;
  redis?: RedisConfig;
  defs: JobDefinition[];
  log: Logger;
  /** Key prefix: lets tests share one Redis without seeing each other's queues. */
  prefix?: string;
  /** false: this process only adds jobs (the `web` role). */
  workers?: boolean;
  /** How long a worker's lock on a job lasts; a crashed worker's job is taken up again after it expires. */
  lockDurationMs?: number;
  enqueueTimeoutMs?: number;
}): JobRunner => {
  const config = opts.redis ?? { url: opts.redisUrl };
  const connection = createRedis(config, opts.log);
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const find = byName(opts.defs);
  const queues = new Map(opts.defs.map((d) => [d.name, new Queue(d.name, { connection, prefix })]));
  for (const q of queues.values())
    q.on('error', (err) => opts.log.warn({ queue: q.name, err: err.message }, 'queue error'));
  const lockDuration = opts.lockDurationMs ?? 30_000;
  // The workers' own connection (BullMQ adds a blocking one per worker from it).
  const workerConnection = opts.workers === false ? null : createRedis(config, opts.log);
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
              connection: workerConnection!,
              prefix,
              concurrency: def.concurrency,
              lockDuration,
              stalledInterval: Math.min(lockDuration, 30_000),
            },
          )
            .on('failed', (job, err) =>
              opts.log.warn(
                { job: def.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message },
                'job failed',
              ),
            )
            // Without a listener an 'error' (Redis gone) would be thrown by the emitter and end the process.
            .on('error', (err) => opts.log.warn({ job: def.name, err: err.message }, 'worker error')),
        );
  const jobOptions = (def: JobDefinition) => ({
    attempts: def.attempts,
    backoff: { type: 'exponential' as const, delay: def.backoffMs },
    removeOnComplete: COMPLETED_RETENTION,
    removeOnFail: FAILED_RETENTION,
  });
  let watchdog: NodeJS.Timeout | undefined;
  let closed = false;
  const upsert = (s: Schedule) => {
    const def = find(s.job);
    return queues
      .get(s.job)!
      .upsertJobScheduler(
        `every:${s.job}`,
        { every: s.everyMs },
        { name: s.job, data: {}, opts: jobOptions(def) },
      );
  };
  return {
    mode: 'bullmq',
    consumes: workers.length > 0,
    enqueue: async (name, payload, o = {}) => {
      const def = find(name);
      const parsed = def.payload.safeParse(payload);
      if (!parsed.success) throw invalidPayload(name, parsed.error);
      await withTimeout(
        queues.get(name)!.add(name, parsed.data, { jobId: o.jobId, delay: o.delayMs, ...jobOptions(def) }),
        opts.enqueueTimeoutMs ?? ENQUEUE_TIMEOUT_MS,
        `enqueue ${name}`,
      );
    },
    status: async (name, jobId) => {
      find(name);
      const state = await queues.get(name)!.getJobState(jobId);
      if (state === 'unknown') return 'missing';
      if (state === 'prioritized' || state === 'waiting-children') return 'waiting';
      return state as JobStatus;
    },
    schedule: async (schedules, o = {}) => {
      for (const s of schedules) await upsert(s);
      if (watchdog) clearInterval(watchdog);
      let checking = false;
      watchdog = setInterval(async () => {
        if (checking || closed) return;
        checking = true;
        try {
          let lost = false;
          for (const s of schedules) {
            if (await queues.get(s.job)!.getJobScheduler(`every:${s.job}`)) continue;
            lost = true;
            await upsert(s);
          }
          if (lost) {
            opts.log.warn('job schedulers were missing in Redis (restarted empty?): re-created them');
            o.onLost?.();
          }
        } catch (err) {
          opts.log.warn({ err: (err as Error).message }, 'could not check the job schedulers');
        } finally {
          checking = false;
        }
      }, o.checkEveryMs ?? 30_000);
      watchdog.unref();
    },
    ping: () => pingRedis(connection),
    idle: async () => {
      for (;;) {
        const counts = await Promise.all(
          [...queues.values()].map(async (q) => {
            const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
            // Each job scheduler keeps its next run delayed: that one is not work in progress.
            return { ...c, delayed: (c.delayed ?? 0) - (await q.getJobSchedulersCount()) };
          }),
        );
        if (counts.every((c) => Object.values(c).every((n) => n <= 0))) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: async () => {
      closed = true;
      if (watchdog) clearInterval(watchdog);
      // A worker finishes the jobs it is running; what it has not started stays in Redis for another.
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      workerConnection?.disconnect();
      connection.disconnect();
    },
  };
};

/** Same handlers without Redis, for `npm start` on embedded defaults; jobs do not survive a restart. */
export const createInProcessRunner = (opts: { defs: JobDefinition[]; log: Logger }): JobRunner => {
  const find = byName(opts.defs);
  /** Each job id's state, like BullMQ's (kept for the process's life: ids are few, one per page revision). */
  const states = new Map<string, JobStatus>();
  const running = new Map<string, number>();
  /** `forget`: a periodic run, whose id is free again once it ends (the next tick may enqueue it). */
  const waiting: { def: JobDefinition; payload: unknown; attempt: number; key?: string; forget?: boolean }[] =
    [];
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
      if (item.key) states.set(item.key, 'active');
      running.set(item.def.name, (running.get(item.def.name) ?? 0) + 1);
      void run(item);
    }
  };

  const schedule = (item: (typeof waiting)[number], delayMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (closed) return;
      if (item.key) states.set(item.key, 'waiting');
      waiting.push(item);
      pump();
    }, delayMs);
    timers.add(timer);
  };

  const run = async (item: (typeof waiting)[number]) => {
    let retry = false;
    let failedFinally = false;
    try {
      await item.def.handler(item.payload);
    } catch (err) {
      retry = item.attempt < item.def.attempts;
      failedFinally = !retry;
      opts.log.warn({ job: item.def.name, attempt: item.attempt, err: (err as Error).message }, 'job failed');
    }
    running.set(item.def.name, (running.get(item.def.name) ?? 1) - 1);
    if (item.key && item.forget && !retry) states.delete(item.key);
    else if (item.key) states.set(item.key, retry ? 'delayed' : failedFinally ? 'failed' : 'completed');
    if (retry && !closed) {
      schedule({ ...item, attempt: item.attempt + 1 }, item.def.backoffMs * 2 ** (item.attempt - 1));
    } else {
      pending -= 1;
    }
    pump();
    settle();
  };

  const add = (name: string, payload: unknown, o: EnqueueOptions & { forget?: boolean }) => {
    const def = find(name);
    const parsed = def.payload.safeParse(payload);
    if (!parsed.success) throw invalidPayload(name, parsed.error);
    const key = o.jobId ? `${name}:${o.jobId}` : undefined;
    if (key) {
      if (states.has(key)) return;
      states.set(key, o.delayMs ? 'delayed' : 'waiting');
    }
    pending += 1;
    schedule(
      {
        def,
        payload: parsed.data,
        attempt: 1,
        ...(key ? { key } : {}),
        ...(o.forget ? { forget: true } : {}),
      },
      o.delayMs ?? 0,
    );
  };
  const enqueue: JobRunner['enqueue'] = async (name, payload, o = {}) => add(name, payload, o);
  const clocks = new Set<NodeJS.Timeout>();

  opts.log.warn('REDIS_URL is not set: jobs run in-process and do not survive a restart');
  return {
    mode: 'in-process',
    consumes: true,
    enqueue,
    status: async (name, jobId) => {
      find(name);
      return states.get(`${name}:${jobId}`) ?? 'missing';
    },
    // One process: a plain clock per job; a tick while the last run still waits or runs is skipped.
    schedule: async (schedules) => {
      for (const s of schedules) {
        find(s.job);
        const clock = setInterval(() => {
          if (closed) return;
          try {
            add(s.job, {}, { jobId: 'every', forget: true });
          } catch (err) {
            opts.log.warn({ job: s.job, err: (err as Error).message }, 'could not enqueue a periodic job');
          }
        }, s.everyMs);
        clock.unref();
        clocks.add(clock);
      }
    },
    ping: async () => true,
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    close: async () => {
      closed = true;
      for (const c of clocks) clearInterval(c);
      for (const t of timers) clearTimeout(t);
      waiting.length = 0;
      while ([...running.values()].some((n) => n > 0)) await new Promise((r) => setTimeout(r, 20));
      pending = 0;
      settle();
    },
  };
};

/**
 * BullMQ when Redis is configured, else in-process. `workers: false` (the `web` role) only adds jobs: the
 * `worker` processes run them. In-process always runs its own jobs: there is no one else to.
 */
export const createJobRunner = (opts: {
  redisUrl?: string;
  redis?: RedisConfig;
  defs: JobDefinition[];
  log: Logger;
  prefix?: string;
  workers?: boolean;
}) =>
  opts.redisUrl || opts.redis?.url || opts.redis?.sentinels
    ? createBullmqRunner({
        redis: opts.redis ?? { url: opts.redisUrl },
        defs: opts.defs,
        log: opts.log,
        ...(opts.prefix ? { prefix: opts.prefix } : {}),
        ...(opts.workers === false ? { workers: false } : {}),
      })
    : createInProcessRunner(opts);
