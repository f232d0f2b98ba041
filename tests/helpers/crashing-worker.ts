// A worker process that takes the `slow` job, says so on stdout, and never finishes: the test kills it with -9.
import { z } from 'zod';
import { createBullmqRunner, defineJob } from '../../server/src/jobs/queue';
import { createLogger } from '../../server/src/logger';

const [prefix] = process.argv.slice(2);
createBullmqRunner({
  redisUrl: 'redis://127.0.0.1:6379',
  prefix,
  lockDurationMs: 2_000,
  log: createLogger('silent'),
  defs: [
    defineJob({
      name: 'slow',
      payload: z.object({ n: z.number() }),
      concurrency: 1,
      attempts: 1,
      backoffMs: 100,
      handler: async () => {
        process.stdout.write('started\n');
        await new Promise(() => {});
      },
    }),
  ],
});
