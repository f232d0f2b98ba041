import { z } from 'zod';
import { purgeOldRequests } from '../agency-api/idempotency';
import { agencyWebhookChannel } from '../agency-api/webhooks';
import { deleteExpiredSessions } from '../auth/sessions';
import { deleteExpiredCitizenSessions } from '../eid/sessions';
import { adminJobs } from '../admin/jobs';
import { boardJobs } from '../board/jobs';
import type { Db } from '../db/client';
import { liveReplanJobs } from '../courier/live-replan';
import { digitizePageJob, ocrPageJob } from '../digitize/job';
import type { Env } from '../env';
import { fileGcJob } from '../files/gc';
import { createLogger } from '../logger';
import type { FileStore } from '../files/store';
import { outboxDeliverJob } from '../integrations/outbox';
import { createPortalClient } from '../integrations/portal/client';
import { createSmsSender, smsChannel } from '../notify/sender';
import { paymentPollJob } from '../payments/online';
import { recoverPagesJob, retentionJob } from './maintenance';
import { archiveRenewalJob } from '../signing/archive-renewal';
import type { LongTermConfig } from '../signing/augment';
import type { JobRunner } from './queue';
import { defineJob } from './queue';

/** Every job the server runs, with its concurrency and retry policy. */
export const jobDefinitions = ({
  db,
  files,
  env,
  jobs,
  longTerm,
}: {
  db: Db;
  files: FileStore;
  env?: Env;
  jobs?: () => JobRunner;
  /** The signer's TSA settings: stored signed copies get new document timestamps before theirs expire. */
  longTerm?: LongTermConfig;
}) => [
  digitizePageJob({ db, files, ...(jobs ? { jobs } : {}) }),
  // Optional OCR, one page per core, apart from the scan processing so the clerk never waits for it.
  ocrPageJob({ db, files }),
  ...boardJobs({ db }),
  ...adminJobs({ db, ...(env ? { logLevel: env.LOG_LEVEL } : {}) }),
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
  // Text messages to citizens (topic notify.sms): the SMS provider, or the development mailbox.
  ...(env
    ? [outboxDeliverJob({ db, ...(jobs ? { jobs } : {}), channel: smsChannel(createSmsSender(env)) })]
    : []),
  // payment_poll: online bills whose callback did not arrive are settled by asking the gateway.
  paymentPollJob({ db, ...(env ? { env } : {}), ...(jobs ? { jobs } : {}) }),
  // Signed webhooks to agencies' systems (dossier forwarded), from the same outbox, in order per dossier.
  outboxDeliverJob({
    db,
    ...(jobs ? { jobs } : {}),
    channel: agencyWebhookChannel({
      publicUrl: env?.PUBLIC_URL ?? 'http://localhost:3000',
      timeoutMs: env?.AGENCY_WEBHOOK_TIMEOUT_MS ?? 10_000,
    }),
  }),
  // Pages stuck queued or processing (a lost or failed job) found in PostgreSQL and put back, or failed.
  ...(jobs
    ? [
        recoverPagesJob({
          db,
          jobs,
          stuckAfterMs: (env?.PAGE_STUCK_AFTER_S ?? 300) * 1000,
          maxRecoveries: env?.PAGE_MAX_RECOVERIES ?? 3,
        }),
      ]
    : []),
  // Live re-planning of the couriers' day (failed visit, task due today, courier off) on a CPU thread.
  ...(env && jobs ? liveReplanJobs({ db, env, jobs, log: createLogger(env.LOG_LEVEL) }) : []),
  // Sent outbox messages, expired one-time codes and the development mailbox past their retention.
  retentionJob({
    db,
    policy: {
      outboxDays: env?.RETENTION_OUTBOX_DAYS ?? 90,
      mailboxDays: env?.RETENTION_MAILBOX_DAYS ?? 7,
      otpDays: 2,
    },
  }),
  // archive_renewal: daily; renews PAdES B-LTA copies whose last timestamp's TSA certificate nears expiry.
  ...(longTerm ? [archiveRenewalJob({ db, files, longTerm })] : []),
  defineJob({
    name: 'purge_api_requests',
    payload: z.object({ now: z.string().optional() }),
    concurrency: 1,
    // Harmless to repeat: it deletes what is past the retention.
    attempts: 3,
    backoffMs: 5_000,
    handler: async ({ now }) => {
      await purgeOldRequests(db, now ? new Date(now) : new Date());
    },
  }),
  // files_gc: daily; deletes blobs no row names once past their grace period (FILE_GC_GRACE_HOURS).
  fileGcJob({ db, files, graceHours: env?.FILE_GC_GRACE_HOURS ?? 168 }),
  defineJob({
    name: 'cleanup_sessions',
    payload: z.object({}),
    concurrency: 1,
    // Harmless to repeat; a failure waits for the next hourly run after three tries.
    attempts: 3,
    backoffMs: 5_000,
    handler: async () => {
      await deleteExpiredSessions(db);
      await deleteExpiredCitizenSessions(db);
    },
  }),
];
