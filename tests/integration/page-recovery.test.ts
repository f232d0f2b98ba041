// Scanned pages are never left "processing" for ever: the worker under a page killed twice, Redis restarted
// empty under queued pages. PostgreSQL is the truth; the reconciler and the schedulers' watchdog put back
// what the queue lost, without restarting anything. A Redis of this file's own is killed, never the shared one.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentPages, memberships, users } from '../../server/src/db/schema';
import { addPages, resumeUnfinishedPages } from '../../server/src/digitize/pages';
import { createFileStore, type FileStore } from '../../server/src/files/store';
import { PAGE_FAILED_CODE, RECOVER_PAGES_JOB, reconcilePages } from '../../server/src/jobs/maintenance';
import { createBullmqRunner, type JobRunner } from '../../server/src/jobs/queue';
import { jobDefinitions } from '../../server/src/jobs/registry';
import { createLogger } from '../../server/src/logger';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { freePort, killed, startPrivateRedis, until } from '../helpers/processes';

const log = createLogger('silent');
const SHARED_REDIS = 'redis://127.0.0.1:6379';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let files: FileStore;
let officeId: string;
let page: Uint8Array;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  files = createFileStore({
    dir: mkdtempSync(join(tmpdir(), 'postdesk-files-')),
    maxBytes: 25 * 1024 * 1024,
  });
  const [hang] = await database.db
    .select({ officeId: memberships.officeId })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.username, 'gdv.hang'));
  officeId = hang!.officeId;
  page = new Uint8Array(
    await sharp({ create: { width: 620, height: 877, channels: 3, background: '#f4f1ea' } })
      .composite([
        {
          input: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="620" height="877"><text x="60" y="120" font-size="24" font-family="DejaVu Sans">Tờ khai đăng ký khai sinh</text></svg>',
          ),
        },
      ])
      .jpeg()
      .toBuffer(),
  );
}, 120_000);
afterAll(() => database?.close());

/** A dossier received at gdv.hang's desk and one page of its first component uploaded, queued on `jobs`. */
const scanOnePage = async (jobs: JobRunner) => {
  const clerk = await server.callerAs('gdv.hang');
  const procedure = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const input = intakeFor(procedure, commune, {
    absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
  });
  input.applicant.citizenId = `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const received = await clerk.intake.submit(input);
  const { pageIds } = await addPages(database.db, {
    dossierId: received.dossierId,
    componentCode: procedure.components[0]!.code,
    bytes: page,
    officeId,
    files,
    jobs,
  });
  return { dossierId: received.dossierId, pageId: pageIds[0]! };
};

const pageRow = async (pageId: string) =>
  (await database.db.select().from(documentPages).where(eq(documentPages.id, pageId)))[0]!;

/** A worker process that takes the page's job and is killed with -9 while it holds it. */
const killWorkerMidPage = async (prefix: string, redisUrl = SHARED_REDIS) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/helpers/page-crashing-worker.ts', prefix, database.url, redisUrl],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the crashing worker never took the page')), 60_000);
    child.stdout!.on('data', (d) => {
      if (!String(d).includes('started')) return;
      clearTimeout(timer);
      resolve();
    });
  });
  await killed(child);
};

/** The real page job (and the rest), run by this process, with short locks so a dead worker's job is seen soon. */
const realWorker = (prefix: string, redisUrl = SHARED_REDIS) => {
  const worker: JobRunner = createBullmqRunner({
    redisUrl,
    prefix,
    log,
    lockDurationMs: 2_000,
    defs: jobDefinitions({ db: database.db, files, jobs: () => worker }),
  });
  return worker;
};

describe('a worker killed twice on the same page', () => {
  it('the page is taken up again under a new job id and ends processed', async () => {
    const prefix = `pdt-${randomBytes(4).toString('hex')}`;
    const producer = createBullmqRunner({
      redisUrl: SHARED_REDIS,
      prefix,
      log,
      workers: false,
      defs: jobDefinitions({ db: database.db, files }),
    });
    const { pageId } = await scanOnePage(producer);
    await killWorkerMidPage(prefix);
    await killWorkerMidPage(prefix);
    expect((await pageRow(pageId)).state).toBe('processing');
    // BullMQ gives up on a job whose worker died twice (stalled twice): without the reconciler the page
    // stayed "processing" for ever.
    const worker = realWorker(prefix);
    try {
      const done = await until(async () => {
        await reconcilePages(database.db, worker, { stuckAfterMs: 1_000, maxRecoveries: 3 });
        return (await pageRow(pageId)).state === 'ready';
      }, 90_000);
      const row = await pageRow(pageId);
      expect(done, `page is ${row.state}`).toBe(true);
      expect(row.pagePdfSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(row.recoveries).toBeGreaterThanOrEqual(1);
    } finally {
      await worker.close();
      await producer.close();
    }
  }, 240_000);

  it('past the recoveries allowed the clerk sees it failed, and the retry button processes it', async () => {
    const prefix = `pdt-${randomBytes(4).toString('hex')}`;
    const producer = createBullmqRunner({
      redisUrl: SHARED_REDIS,
      prefix,
      log,
      workers: false,
      defs: jobDefinitions({ db: database.db, files }),
    });
    const { dossierId, pageId } = await scanOnePage(producer);
    await killWorkerMidPage(prefix);
    await killWorkerMidPage(prefix);
    const worker = realWorker(prefix);
    try {
      const failed = await until(async () => {
        await reconcilePages(database.db, worker, { stuckAfterMs: 1_000, maxRecoveries: 0 });
        return (await pageRow(pageId)).state === 'failed';
      }, 90_000);
      expect(failed).toBe(true);
      const clerk = await server.callerAs('gdv.hang', { jobs: worker });
      const view = await clerk.digitize.dossier({ dossierId });
      const shown = view.components.flatMap((c) => c.pages).find((p) => p.id === pageId)!;
      expect(shown).toMatchObject({ state: 'failed', error: PAGE_FAILED_CODE });
      expect(await clerk.digitize.retryPage({ pageId })).toMatchObject({ retried: true });
      expect(await until(async () => (await pageRow(pageId)).state === 'ready', 60_000)).toBe(true);
      // A page that is not failed is left alone.
      expect(await clerk.digitize.retryPage({ pageId })).toMatchObject({ retried: false });
    } finally {
      await worker.close();
      await producer.close();
    }
  }, 240_000);
});

describe('Redis restarted empty', () => {
  it('the job schedulers and the queued pages come back from PostgreSQL without a restart', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const prefix = '{pdt}';
    let redis = await startPrivateRedis(port);
    const worker = realWorker(prefix, url);
    const producer = createBullmqRunner({
      redisUrl: url,
      prefix,
      log,
      workers: false,
      enqueueTimeoutMs: 2_000,
      defs: jobDefinitions({ db: database.db, files }),
    });
    let recoveredAfterLoss = 0;
    try {
      await worker.schedule([{ job: RECOVER_PAGES_JOB, everyMs: 60_000 }], {
        checkEveryMs: 300,
        onLost: () => {
          void resumeUnfinishedPages(database.db, worker).then((n) => {
            recoveredAfterLoss += n;
          });
        },
      });
      // The pages wait in a paused queue (as behind a long backlog) when Redis goes away with them.
      const raw = new Queue('digitize_page', { connection: { host: '127.0.0.1', port }, prefix });
      await raw.pause();
      const pages = [await scanOnePage(producer), await scanOnePage(producer), await scanOnePage(producer)];
      expect(await worker.status('digitize_page', `${pages[0]!.pageId}-0`)).toBe('waiting');
      await raw.close();

      await killed(redis);
      redis = await startPrivateRedis(port);
      const back = await until(async () => {
        const rows = await Promise.all(pages.map((p) => pageRow(p.pageId)));
        return rows.every((r) => r.state === 'ready');
      }, 120_000);
      expect(back, 'every queued page processed after Redis came back empty').toBe(true);
      expect(recoveredAfterLoss).toBeGreaterThanOrEqual(3);
      const check = new Queue(RECOVER_PAGES_JOB, { connection: { host: '127.0.0.1', port }, prefix });
      expect(await check.getJobScheduler(`every:${RECOVER_PAGES_JOB}`)).toBeDefined();
      await check.close();
    } finally {
      await worker.close();
      await producer.close();
      await killed(redis);
    }
  }, 240_000);
});
