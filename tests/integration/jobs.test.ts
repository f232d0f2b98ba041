import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Queue } from 'bullmq';
import {
  createBullmqRunner,
  FAILED_RETENTION,
  createInProcessRunner,
  defineJob,
  type JobRunner,
} from '../../server/src/jobs/queue';
import { createLogger } from '../../server/src/logger';

const log = createLogger('silent');
const REDIS = 'redis://127.0.0.1:6379';

/** A job that fails its first `failures` runs, then records the payload: the same definition for both runners. */
const flaky = (failures: number, done: number[], runs: { count: number }) =>
  defineJob({
    name: 'flaky',
    payload: z.object({ n: z.number().int() }),
    concurrency: 2,
    attempts: 3,
    backoffMs: 20,
    handler: async ({ n }) => {
      runs.count += 1;
      if (runs.count <= failures) throw new Error('agency system timed out');
      done.push(n);
    },
  });

const runners: Record<string, (defs: ReturnType<typeof defineJob>[]) => JobRunner> = {
  bullmq: (defs) =>
    createBullmqRunner({ redisUrl: REDIS, defs, log, prefix: `pdt-${randomBytes(4).toString('hex')}` }),
  'in-process': (defs) => createInProcessRunner({ defs, log }),
};

describe.each(Object.keys(runners))('jobs (%s)', (mode) => {
  it('retries a failing job with backoff until it succeeds', async () => {
    const done: number[] = [];
    const runs = { count: 0 };
    const jobs = runners[mode]!([flaky(2, done, runs)]);
    await jobs.enqueue('flaky', { n: 7 });
    await jobs.idle();
    await jobs.close();
    expect(done).toEqual([7]);
    expect(runs.count).toBe(3);
  });

  it('runs a job with the same id once', async () => {
    const done: number[] = [];
    const jobs = runners[mode]!([flaky(0, done, { count: 0 })]);
    await jobs.enqueue('flaky', { n: 1 }, { jobId: 'portal-sync-1' });
    await jobs.enqueue('flaky', { n: 1 }, { jobId: 'portal-sync-1' });
    await jobs.idle();
    await jobs.close();
    expect(done).toEqual([1]);
  });

  it('tells where a job is: waiting or running, completed, failed, or missing (never added, or lost)', async () => {
    const jobs = runners[mode]!([flaky(5, [], { count: 0 })]);
    expect(await jobs.status('flaky', 'never-added')).toBe('missing');
    await jobs.enqueue('flaky', { n: 1 }, { jobId: 'always-fails' });
    await jobs.idle();
    expect(await jobs.status('flaky', 'always-fails')).toBe('failed');
    await jobs.close();
  });

  it('runs a periodic job on its schedule', async () => {
    const done: number[] = [];
    const jobs = runners[mode]!([
      defineJob({
        name: 'tick',
        payload: z.object({}),
        concurrency: 1,
        attempts: 1,
        backoffMs: 10,
        handler: async () => {
          done.push(1);
        },
      }),
    ]);
    await jobs.schedule([{ job: 'tick', everyMs: 200 }]);
    for (let i = 0; i < 100 && done.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    await jobs.close();
    expect(done.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a payload that does not match the schema, before it is queued', async () => {
    const done: number[] = [];
    const jobs = runners[mode]!([flaky(0, done, { count: 0 })]);
    await expect(jobs.enqueue('flaky', { n: 'seven' })).rejects.toThrow(/payload rejected/);
    await expect(jobs.enqueue('nope', {})).rejects.toThrow(/Unknown job/);
    await jobs.idle();
    await jobs.close();
    expect(done).toEqual([]);
  });
});

describe('BullMQ in a cluster', () => {
  it('a web process (no workers) only adds jobs; failed jobs are kept with a retention, not for ever', async () => {
    const prefix = `{pdt-${randomBytes(4).toString('hex')}}`;
    const done: number[] = [];
    const web = createBullmqRunner({
      redisUrl: REDIS,
      defs: [flaky(5, done, { count: 0 })],
      log,
      prefix,
      workers: false,
    });
    expect(web.consumes).toBe(false);
    await web.enqueue('flaky', { n: 3 }, { jobId: 'from-web' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await web.status('flaky', 'from-web')).toBe('waiting');
    const worker = createBullmqRunner({ redisUrl: REDIS, defs: [flaky(5, done, { count: 0 })], log, prefix });
    await worker.idle();
    expect(await web.status('flaky', 'from-web')).toBe('failed');
    const queue = new Queue('flaky', { connection: { host: '127.0.0.1', port: 6379 }, prefix });
    const job = await queue.getJob('from-web');
    expect(job?.opts.removeOnFail).toEqual(FAILED_RETENTION);
    await queue.close();
    await worker.close();
    await web.close();
  }, 30_000);
});

describe('jobs survive a killed worker (BullMQ)', () => {
  it('a job whose worker was killed with -9 mid-run is taken up and finished by another worker', async () => {
    const prefix = `pdt-${randomBytes(4).toString('hex')}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/crashing-worker.ts', prefix], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const producer = createBullmqRunner({
      redisUrl: REDIS,
      prefix,
      log,
      workers: false,
      defs: [slowDef(() => {})],
    });
    await producer.enqueue('slow', { n: 42 });
    await new Promise<void>((resolve) =>
      child.stdout!.on('data', (d) => String(d).includes('started') && resolve()),
    );
    child.kill('SIGKILL');

    let finished = 0;
    const rescuer = createBullmqRunner({
      redisUrl: REDIS,
      prefix,
      log,
      lockDurationMs: 2_000,
      defs: [slowDef(() => (finished = 42))],
    });
    for (let i = 0; i < 200 && finished === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await rescuer.close();
    await producer.close();
    expect(finished).toBe(42);
  }, 40_000);
});

const slowDef = (onRun: () => void) =>
  defineJob({
    name: 'slow',
    payload: z.object({ n: z.number() }),
    concurrency: 1,
    attempts: 1,
    backoffMs: 100,
    handler: async () => onRun(),
  });
