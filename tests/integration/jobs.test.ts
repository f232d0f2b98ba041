import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createBullmqRunner,
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
