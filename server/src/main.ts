// `postdesk [all|web|worker|migrate]` (`node --import tsx server/src/main.ts worker`):
//   all      the embedded default for one machine (`npm start`): migrates, answers requests and runs the jobs;
//   web      answers requests and adds jobs; never runs one (put several behind a load balancer);
//   worker   runs the jobs (BullMQ), the periodic ones included, on CPU threads sized to the cores;
//   migrate  the release step: applies the migrations under an advisory lock (and the seeds), then exits.
import { serve } from '@hono/node-server';
import { AGENCY_WEBHOOK_JOB } from './agency-api/webhooks';
import { createApp, createProbeApp } from './app';
import { REPLAN_SWEEP_JOB } from './courier/live-replan';
import { openDatabase } from './db/client';
import { resumeUnfinishedPages } from './digitize/pages';
import { parseEnv } from './env';
import { fileStoreFromEnv } from './files/store';
import { RECOVER_PAGES_JOB, RETENTION_JOB } from './jobs/maintenance';
import { createJobRunner, type JobRunner, type Schedule } from './jobs/queue';
import { jobDefinitions } from './jobs/registry';
import { startCpuThreads, stopCpuThreads } from './jobs/threads';
import { createLogger } from './logger';
import { SMS_JOB } from './notify/sender';
import { PAYMENT_POLL_JOB } from './payments/online';
import { demoCredentials, seedDemo, seedHolidays } from './seed/seed';
import { createSigner } from './signing';
import { ARCHIVE_RENEWAL_JOB } from './signing/archive-renewal';

const ROLES = ['all', 'web', 'worker', 'migrate'] as const;
type Role = (typeof ROLES)[number];
const role = (process.argv[2] ?? 'all') as Role;
if (!ROLES.includes(role)) {
  process.stderr.write(`Usage: postdesk [${ROLES.join('|')}]  (got "${process.argv[2]}")\n`);
  process.exit(2);
}

const env = parseEnv();
const log = createLogger(env.LOG_LEVEL).child({ role });
if ((role === 'web' || role === 'worker') && !env.REDIS_URL && !env.REDIS_SENTINELS) {
  // Without Redis each process would run its own in-process queue: web and workers could not share work.
  log.fatal('the web and worker roles share their jobs through Redis: set REDIS_URL (or use `all`)');
  process.exit(2);
}

// A promise nobody awaited is logged, not fatal: the request or job that made it has already answered. An
// exception thrown outside any handler leaves the process in an unknown state: log it and exit, for the
// supervisor (systemd, Kubernetes) to start a clean one. A lost database connection reaches neither: the
// driver reports it on the query, which answers 503.
process.on('unhandledRejection', (reason) => {
  log.error(
    { err: reason instanceof Error ? reason.message : String(reason) },
    'unhandled promise rejection',
  );
});
process.on('uncaughtException', (err) => {
  log.fatal({ err: err.message, stack: err.stack }, 'uncaught exception: exiting');
  process.exit(1);
});

const database = await openDatabase({
  url: env.DATABASE_URL,
  pgliteDir: env.pgliteDir,
  ...(env.DATABASE_REPLICA_URL ? { replicaUrl: env.DATABASE_REPLICA_URL } : {}),
  ...(env.DATABASE_MIGRATE_URL ? { migrateUrl: env.DATABASE_MIGRATE_URL } : {}),
  pool: {
    max: env.DATABASE_POOL_MAX,
    // Requests are cut at the limit; a worker's jobs (roll-ups over millions of rows) only when it is set.
    statementTimeoutMs:
      role === 'worker' && process.env.DATABASE_STATEMENT_TIMEOUT_MS === undefined
        ? 0
        : env.DATABASE_STATEMENT_TIMEOUT_MS,
    connectTimeoutS: env.DATABASE_CONNECT_TIMEOUT_S,
    pgbouncer: env.DATABASE_PGBOUNCER,
  },
});
if (role === 'all' || role === 'migrate') {
  log.info({ db: database.kind }, 'migrating');
  const applied = await database.migrate();
  log.info({ applied }, applied > 0 ? 'migrations applied' : 'database already up to date');
  await seedHolidays(database.db);
} else {
  // Web and worker processes of a release start after `postdesk migrate`: an older schema is refused here
  // rather than met as errors on the first requests.
  const pending = await database.pendingMigrations();
  if (pending > 0) {
    log.fatal({ pending }, 'the database is behind this release: run `postdesk migrate` first');
    await database.close();
    process.exit(1);
  }
}

const consumes = role !== 'web' && role !== 'migrate';
// Pages (workers) and route plans (a supervisor's request, answered by web) run on CPU threads.
if (role !== 'migrate') startCpuThreads({ threads: env.WORKER_THREADS });
const files = fileStoreFromEnv(env);
const signer = createSigner({ ...process.env, DATA_DIR: env.DATA_DIR });
if (!signer.longTerm) {
  log.warn(
    'no TSA_URL: signatures are PAdES baseline B only and cannot be checked once a certificate expires',
  );
}
const jobs: JobRunner = createJobRunner({
  redis: { url: env.REDIS_URL, sentinels: env.REDIS_SENTINELS, sentinelName: env.REDIS_SENTINEL_NAME },
  prefix: env.REDIS_PREFIX,
  defs: jobDefinitions({
    db: database.db,
    files,
    env,
    jobs: () => jobs,
    ...(signer.longTerm ? { longTerm: signer.longTerm } : {}),
  }),
  log,
  workers: consumes,
});
if (env.SEED_DEMO && (role === 'all' || role === 'migrate')) {
  // The demo's digitized dossiers are scanned and signed through the desk's own job and the clerks' keys.
  const { seeded } = await seedDemo(database.db, { scans: { files, jobs, signer } });
  if (seeded) log.info('demo data seeded');
}
if (role === 'migrate') {
  await jobs.close();
  await database.close();
  process.exit(0);
}

/**
 * Jobs that run on a clock: BullMQ job schedulers (one run per period across the cluster, kept in Redis and
 * re-created by the workers if Redis lost them), or a clock in the one process of the embedded default. The
 * outbox channels are swept as well as woken after each change, so a message whose wake-up was lost still goes.
 */
const periodic: (Schedule & { when: boolean })[] = [
  { job: RECOVER_PAGES_JOB, everyMs: 60_000, when: true },
  { job: RETENTION_JOB, everyMs: 86_400_000, when: true },
  { job: 'cleanup_sessions', everyMs: 3_600_000, when: true },
  { job: 'purge_api_requests', everyMs: 86_400_000, when: true },
  { job: 'files_gc', everyMs: 86_400_000, when: true },
  { job: 'outbox_deliver', everyMs: 10_000, when: Boolean(env.PORTAL_SYNC_URL) },
  { job: AGENCY_WEBHOOK_JOB, everyMs: 10_000, when: true },
  { job: SMS_JOB, everyMs: 10_000, when: true },
  { job: PAYMENT_POLL_JOB, everyMs: 300_000, when: Boolean(env.PAYMENT_GATEWAY_URL) },
  { job: 'board_deadline_warn', everyMs: 600_000, when: true },
  { job: REPLAN_SWEEP_JOB, everyMs: 60_000, when: true },
  { job: 'indicator_rollup_refresh', everyMs: 900_000, when: true },
  { job: 'calendar_runway_check', everyMs: 86_400_000, when: true },
  { job: ARCHIVE_RENEWAL_JOB, everyMs: 86_400_000, when: Boolean(signer.longTerm) },
];
if (consumes) {
  // Pages a clerk scanned before a restart (the in-process queue forgets them; BullMQ: same ids, no-op).
  const resumed = await resumeUnfinishedPages(database.db, jobs);
  if (resumed > 0) log.info({ pages: resumed }, 'resumed unfinished scanned pages');
  await jobs.schedule(
    periodic.filter((p) => p.when).map(({ job, everyMs }) => ({ job, everyMs })),
    {
      // Redis came back empty: what PostgreSQL says is unfinished is queued again, without a restart.
      onLost: () => {
        resumeUnfinishedPages(database.db, jobs).then(
          (n) => log.warn({ pages: n }, 're-queued unfinished pages after Redis lost its queues'),
          (err: Error) => log.warn({ err: err.message }, 'could not re-queue unfinished pages'),
        );
      },
    },
  );
}
if (!env.PORTAL_SYNC_URL) log.warn('PORTAL_SYNC_URL is not set: portal messages wait in the outbox');

// Citizen sign-in with the national e-ID: with no provider configured, the embedded default in development
// starts the local test provider (a real OpenID Provider on 127.0.0.1; any 12-digit number signs in).
let eidDevProvider: { issuer: string; close: () => Promise<void> } | null = null;
if (role === 'all' && env.NODE_ENV === 'development' && !env.EID_ISSUER_URL) {
  const { startEidProviderSim } = await import('../../tests/sim/eid-provider-sim');
  const redirect = env.EID_REDIRECT_URL ?? `${env.PUBLIC_URL.replace(/\/+$/, '')}/auth/eid/callback`;
  const sim = await startEidProviderSim({
    redirectUris: [redirect],
    port: env.EID_DEV_PROVIDER_PORT,
    idClaim: env.EID_ID_CLAIM,
  });
  Object.assign(env, {
    EID_ISSUER_URL: sim.issuer,
    EID_CLIENT_ID: sim.clientId,
    EID_CLIENT_SECRET: sim.clientSecret,
  });
  eidDevProvider = sim;
  log.warn(
    { issuer: sim.issuer },
    'EID_ISSUER_URL is not set: citizens sign in through the local test provider',
  );
}

// A worker answers only /health and /ready (for its supervisor), on the same PORT setting.
const deps = { db: database.db, readDb: database.readDb, env, log, jobs, files, signer, ready: { database } };
const app = role === 'worker' ? createProbeApp(deps) : createApp(deps);
const server = serve(
  {
    fetch: app.fetch,
    port: env.PORT,
    hostname: env.HOST,
  },
  (info) => {
    const url = `http://localhost:${info.port}`;
    const banner = [
      '',
      role === 'worker'
        ? `PostDesk worker running (health: ${url}/health, ${url}/ready)`
        : `PostDesk (${role}) is running at ${url}  (courier app: ${url}/courier/)`,
      `  database: ${database.kind === 'pglite' ? `PGlite in ${env.pgliteDir}` : 'PostgreSQL'}; jobs: ${jobs.mode}${jobs.consumes ? ' (runs them)' : ' (adds them)'}`,
      ...(eidDevProvider
        ? [
            `  citizens: ${url}/my — "Đăng nhập bằng VNeID" opens the local test provider (${eidDevProvider.issuer});`,
            '    type any 12-digit id number (the demo citizen: 046090001234)',
          ]
        : []),
      ...(env.SEED_DEMO && role === 'all'
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
  },
);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 30_000);
  force.unref();
  // No new requests; the running ones finish. Workers finish their jobs; the rest stays queued in Redis.
  await new Promise<void>((r) => server.close(() => r()));
  await jobs.close();
  await eidDevProvider?.close();
  await stopCpuThreads();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
