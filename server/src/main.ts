import { serve } from '@hono/node-server';
import { createApp } from './app';
import { openDatabase } from './db/client';
import { parseEnv } from './env';
import { createFileStore } from './files/store';
import { createJobRunner, type JobRunner } from './jobs/queue';
import { jobDefinitions } from './jobs/registry';
import { createLogger } from './logger';
import { createSigner } from './signing';
import { demoCredentials, seedDemo, seedHolidays } from './seed/seed';

const env = parseEnv();
const log = createLogger(env.LOG_LEVEL);
const database = await openDatabase({ url: env.DATABASE_URL, pgliteDir: env.pgliteDir });
log.info({ db: database.kind }, 'migrating');
await database.migrate();
await seedHolidays(database.db);
if (env.SEED_DEMO) {
  const { seeded } = await seedDemo(database.db);
  if (seeded) log.info('demo data seeded');
}
const files = createFileStore({ dir: env.filesDir, maxBytes: env.MAX_UPLOAD_BYTES });
const jobs: JobRunner = createJobRunner({
  redisUrl: env.REDIS_URL,
  defs: jobDefinitions({ db: database.db, files, env, jobs: () => jobs }),
  log,
});
const signer = createSigner({ ...process.env, DATA_DIR: env.DATA_DIR });
const app = createApp({ db: database.db, env, log, jobs, files, signer });

const hourly = setInterval(
  () =>
    void jobs.enqueue('cleanup_sessions', {}, { jobId: `cleanup-${new Date().toISOString().slice(0, 13)}` }),
  3_600_000,
);

// Portal sync: a sweep every 10 s delivers what the outbox holds, in order per dossier.
const outboxSweep = env.PORTAL_SYNC_URL
  ? setInterval(
      () =>
        void jobs.enqueue('outbox_deliver', {}, { jobId: `outbox-sweep-${Math.floor(Date.now() / 10_000)}` }),
      10_000,
    )
  : null;
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
  clearInterval(hourly);
  if (outboxSweep) clearInterval(outboxSweep);
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  await new Promise<void>((r) => server.close(() => r()));
  await jobs.close();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
