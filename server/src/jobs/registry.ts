import { z } from 'zod';
import { deleteExpiredSessions } from '../auth/sessions';
import type { Db } from '../db/client';
import { digitizePageJob } from '../digitize/job';
import type { Env } from '../env';
import type { FileStore } from '../files/store';
import { outboxDeliverJob } from '../integrations/outbox';
import { createPortalClient } from '../integrations/portal/client';
import type { JobRunner } from './queue';
import { defineJob } from './queue';

/** Every job the server runs, with its concurrency and retry policy. */
export const jobDefinitions = ({
  db,
  files,
  env,
  jobs,
}: {
  db: Db;
  files: FileStore;
  env?: Env;
  jobs?: () => JobRunner;
}) => [
  digitizePageJob({ db, files }),
  // outbox_deliver: retries and backoff live per message in the outbox table (in order per dossier); the
  // job's own attempts only cover database errors.
  ...(env?.PORTAL_SYNC_URL
    ? [
        outboxDeliverJob({
          db,
          ...(jobs ? { jobs } : {}),
          filesBaseUrl: env.PORTAL_FILES_URL ?? null,
          client: createPortalClient({ baseUrl: env.PORTAL_SYNC_URL, timeoutMs: env.PORTAL_TIMEOUT_MS }),
        }),
      ]
    : []),
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
