import { z } from 'zod';
import { deleteExpiredSessions } from '../auth/sessions';
import type { Db } from '../db/client';
import { digitizePageJob } from '../digitize/job';
import type { FileStore } from '../files/store';
import { defineJob } from './queue';

/** Every job the server runs, with its concurrency and retry policy. */
export const jobDefinitions = ({ db, files }: { db: Db; files: FileStore }) => [
  digitizePageJob({ db, files }),
  defineJob({
    name: 'cleanup_sessions',
    payload: z.object({}),
    concurrency: 1,
    // Harmless to repeat; a failure waits for the next hourly run after three tries.
    attempts: 3,
    backoffMs: 5_000,
    handler: async () => {
      await deleteExpiredSessions(db);
    },
  }),
];
