// A worker process that takes a `digitize_page` job, marks the page processing as the real job does, says
// so on stdout and never finishes: the test kills it with -9, as a machine dying mid-page would.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { openDatabase } from '../../server/src/db/client';
import { documentPages } from '../../server/src/db/schema';
import { createBullmqRunner, defineJob } from '../../server/src/jobs/queue';
import { createLogger } from '../../server/src/logger';

const [prefix, databaseUrl, redisUrl] = process.argv.slice(2);
const { db } = await openDatabase({ url: databaseUrl! });
createBullmqRunner({
  redisUrl: redisUrl ?? 'redis://127.0.0.1:6379',
  prefix,
  lockDurationMs: 2_000,
  log: createLogger('silent'),
  defs: [
    defineJob({
      name: 'digitize_page',
      payload: z.object({ pageId: z.uuid(), revision: z.number().int().min(0) }),
      concurrency: 1,
      attempts: 3,
      backoffMs: 100,
      handler: async ({ pageId }) => {
        await db.update(documentPages).set({ state: 'processing' }).where(eq(documentPages.id, pageId));
        process.stdout.write('started\n');
        await new Promise(() => {});
      },
    }),
  ],
});
