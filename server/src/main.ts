import { serve } from '@hono/node-server';
import { AGENCY_WEBHOOK_JOB } from './agency-api/webhooks';
import { createApp } from './app';
import { openDatabase } from './db/client';
import { resumeUnfinishedPages } from './digitize/pages';
import { parseEnv } from './env';
import { createFileStore } from './files/store';
import { createJobRunner, type JobRunner } from './jobs/queue';
import { jobDefinitions } from './jobs/registry';
import { createLogger } from './logger';
import { SMS_JOB } from './notify/sender';
import { PAYMENT_POLL_JOB } from './payments/online';
import { demoCredentials, seedDemo, seedHolidays } from './seed/seed';
import { createSigner } from './signing';
import { ARCHIVE_RENEWAL_JOB } from './signing/archive-renewal';

const env = parseEnv();
const log = createLogger(env.LOG_LEVEL);
const database = await openDatabase({ url: env.DATABASE_URL, pgliteDir: env.pgliteDir });
log.info({ db: database.kind }, 'migrating');
await database.migrate();
await seedHolidays(database.db);
const files = createFileStore({ dir: env.filesDir, maxBytes: env.MAX_UPLOAD_BYTES });
const signer = createSigner({ ...process.env, DATA_DIR: env.DATA_DIR });
if (!signer.longTerm) {
  log.warn(
    'no TSA_URL: signatures are PAdES baseline B only and cannot be checked once a certificate expires',
  );
}
const jobs: JobRunner = createJobRunner({
  redisUrl: env.REDIS_URL,
  defs: jobDefinitions({
    db: database.db,
    files,
    env,
    jobs: () => jobs,
    ...(signer.longTerm ? { longTerm: signer.longTerm } : {}),
  }),
  log,
});
if (env.SEED_DEMO) {
  // The demo's digitized dossiers are scanned and signed through the desk's own job and the clerks' keys.
  const { seeded } = await seedDemo(database.db, { scans: { files, jobs, signer } });
  if (seeded) log.info('demo data seeded');
}
// The in-process runner forgets its queue on a restart: pages a clerk scanned before it are taken up again.
const resumed = await resumeUnfinishedPages(database.db, jobs);
if (resumed > 0) log.info({ pages: resumed }, 'resumed unfinished scanned pages');
const app = createApp({ db: database.db, env, log, jobs, files, signer });

/**
 * Jobs that run on a clock. Each sweep's job id is its time slot, so several server processes enqueue one
 * job per slot between them. The outbox channels are swept as well as woken after each change, so a
 * message whose wake-up was lost (a restart, Redis away) still goes out within a slot.
 */
const periodic: { job: string; everyMs: number; when: boolean }[] = [
  { job: 'cleanup_sessions', everyMs: 3_600_000, when: true },
  { job: 'purge_api_requests', everyMs: 86_400_000, when: true },
  { job: 'outbox_deliver', everyMs: 10_000, when: Boolean(env.PORTAL_SYNC_URL) },
  { job: AGENCY_WEBHOOK_JOB, everyMs: 10_000, when: true },
  { job: SMS_JOB, everyMs: 10_000, when: true },
  { job: PAYMENT_POLL_JOB, everyMs: 300_000, when: Boolean(env.PAYMENT_GATEWAY_URL) },
  { job: 'board_deadline_warn', everyMs: 600_000, when: true },
  { job: 'indicator_rollup_refresh', everyMs: 900_000, when: true },
  { job: ARCHIVE_RENEWAL_JOB, everyMs: 86_400_000, when: Boolean(signer.longTerm) },
];
const timers = periodic
  .filter((p) => p.when)
  .map((p) =>
    setInterval(() => {
      const slot = Math.floor(Date.now() / p.everyMs);
      jobs.enqueue(p.job, {}, { jobId: `${p.job}-sweep-${slot}` }).catch((err: Error) => {
        log.warn({ job: p.job, err: err.message }, 'could not enqueue a periodic job');
      });
    }, p.everyMs),
  );
if (!env.PORTAL_SYNC_URL) log.warn('PORTAL_SYNC_URL is not set: portal messages wait in the outbox');

const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  const url = `http://localhost:${info.port}`;
  const banner = [
    '',
    `PostDesk is running at ${url}  (courier app: ${url}/courier/)`,
    `  database: ${database.kind === 'pglite' ? `PGlite in ${env.pgliteDir}` : 'PostgreSQL'}; jobs: ${jobs.mode}`,
    ...(env.SEED_DEMO
      ? [
          '  demo accounts:',
          ...demoCredentials().map(
            (u) => `    ${u.username.padEnd(16)} ${u.password}  ${u.roles.join(', ')}`,
          ),
        ]
      : []),
    '',
  ];
  process.stdout.write(`${banner.join('\n')}\n`);
});

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  for (const timer of timers) clearInterval(timer);
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  await new Promise<void>((r) => server.close(() => r()));
  await jobs.close();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
