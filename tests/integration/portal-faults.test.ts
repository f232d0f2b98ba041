// Portal sync faults that portal-sync.test.ts does not reach: Redis restarted while the BullMQ deliverer is
// sending (a Redis of this file's own, on another port, so the shared one is left alone), the server killed
// with -9 between the state change and the delivery, and a portal that is slow and drops connections.
// portal-sync.test.ts already covers: an hour-long outage, a never-answered request, a proxy's duplicate,
// a refused message (dead letter + retry), and two deliverers at once.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memberships, offices, outbox, users } from '../../server/src/db/schema';
import { recordEvent } from '../../server/src/dossiers/engine';
import { deliverOutbox, outboxDeliverJob } from '../../server/src/integrations/outbox';
import { createPortalClient } from '../../server/src/integrations/portal/client';
import { createBullmqRunner, type JobRunner } from '../../server/src/jobs/queue';
import { createLogger } from '../../server/src/logger';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { type PortalSim, startPortalSim } from '../sim/portal-sim';
import { freePort, killed, startPrivateRedis, until } from '../helpers/processes';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let sim: PortalSim;
const log = createLogger('silent');
const clerk = { kind: 'clerk' as const, role: 'clerk' as const };
const official = { kind: 'agency_official' as const, role: 'agency_official' as const };

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
}, 60_000);
afterEach(async () => {
  await sim?.close();
});
afterAll(() => database?.close());

const receiveDossier = async (clerkName = 'gdv.hang') => {
  const c = await server.callerAs(clerkName);
  const lltp = await c.catalog.procedure({ code: '3.000333' });
  const commune = (await c.catalog.communes())[0]!.code;
  const r = await c.intake.submit(intakeFor(lltp, commune));
  return { id: r.dossierId, code: r.code! };
};

const statuses = (code: string) => sim.progressOf(code).map((p) => p.TrangThai);

/** Everything the earlier tests left pending is marked sent, so each test sees only its own messages. */
const clearOutbox = () =>
  database.db.update(outbox).set({ state: 'sent' }).where(eq(outbox.state, 'pending'));
const portalRows = (dossierId: string) =>
  database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.dossierId, dossierId), eq(outbox.topic, 'portal.progress')))
    .orderBy(outbox.id);

describe('portal sync faults (BullMQ, processes)', () => {
  it('loses nothing and sends nothing twice when Redis is restarted mid-delivery', async () => {
    await clearOutbox();
    const port = await freePort();
    let redis = await startPrivateRedis(port);
    sim = await startPortalSim();
    sim.slowMs(250);
    const made = await Promise.all(Array.from({ length: 4 }, () => receiveDossier()));
    for (const d of made)
      for (const [event, actor] of [
        ['complete_digitization', clerk],
        ['forward', clerk],
        ['accept', official],
      ] as const)
        await recordEvent(database.db, { dossierId: d.id, event, actor });

    const client = createPortalClient({ baseUrl: sim.url, timeoutMs: 5_000 });
    const runner: JobRunner = createBullmqRunner({
      redisUrl: `redis://127.0.0.1:${port}`,
      prefix: `pdf-${randomBytes(4).toString('hex')}`,
      log,
      lockDurationMs: 2_000,
      defs: [outboxDeliverJob({ db: database.db, client, jobs: () => runner })],
    });
    try {
      await runner.enqueue('outbox_deliver', {}, { jobId: 'sweep-1' });
      expect(await until(() => sim.received.length >= 2)).toBe(true);
      await killed(redis);
      // While Redis is down the dossiers keep moving: the state changes and their messages are in PostgreSQL.
      for (const d of made)
        await recordEvent(database.db, { dossierId: d.id, event: 'request_payment', actor: official });
      await new Promise((r) => setTimeout(r, 500));
      redis = await startPrivateRedis(port);
      // The server's 10-second sweep enqueues a delivery again (Redis lost every job: no persistence here).
      await runner.enqueue('outbox_deliver', {}, { jobId: 'sweep-2' });
      const ids = made.map((d) => d.id);
      const allSent = await until(async () => {
        const rows = await database.db
          .select({ state: outbox.state })
          .from(outbox)
          .where(and(inArray(outbox.dossierId, ids), eq(outbox.topic, 'portal.progress')));
        return rows.length === 20 && rows.every((r) => r.state === 'sent');
      }, 60_000);
      expect(allSent).toBe(true);
      for (const d of made) {
        expect(statuses(d.code)).toEqual([2, 2, 4, 4, 6]);
        expect(sim.recordsOf(d.code)).toHaveLength(5);
      }
      const keys = sim.received.map((m) => m.key);
      expect(new Set(keys).size).toBe(keys.length);
    } finally {
      await runner.close();
      await killed(redis);
    }
  }, 120_000);

  it('delivers after a restart what a server killed between the state change and the delivery left behind', async () => {
    await clearOutbox();
    sim = await startPortalSim();
    const d = await receiveDossier();
    // The child process is the server: it records the state change, starts delivering, and is killed mid-send.
    const script = join(tmpdir(), `postdesk-crash-${randomBytes(4).toString('hex')}.mts`);
    const root = resolve('server/src');
    writeFileSync(
      script,
      `import { openDatabase } from '${root}/db/client';
import { recordEvent } from '${root}/dossiers/engine';
import { deliverOutbox } from '${root}/integrations/outbox';
import { createPortalClient } from '${root}/integrations/portal/client';
const [url, dossierId, portalUrl] = process.argv.slice(2);
const { db } = await openDatabase({ url });
await recordEvent(db, { dossierId, event: 'complete_digitization', actor: { kind: 'clerk', role: 'clerk' } });
process.stdout.write('committed\\n');
void deliverOutbox(db, { client: createPortalClient({ baseUrl: portalUrl, timeoutMs: 60_000 }) });
`,
    );
    sim.holdNext(1);
    const child = spawn(process.execPath, ['--import', 'tsx', script, database.url, d.id, sim.url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (b) => {
      out += String(b);
    });
    expect(await until(() => out.includes('committed') && sim.requests >= 1)).toBe(true);
    await killed(child);
    rmSync(script, { force: true });

    const rows = await portalRows(d.id);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['pending', 1],
      ['pending', 0],
    ]);
    // A new worker starts; the dead one's claim (its lease) has run out by then.
    const later = () => new Date(Date.now() + 5 * 60_000);
    await deliverOutbox(database.db, {
      client: createPortalClient({ baseUrl: sim.url, timeoutMs: 5_000 }),
      now: later,
    });
    expect(statuses(d.code)).toEqual([2, 2]);
    // The held request had reached the portal: the re-send was recognised by its key and not stored again.
    expect(sim.recordsOf(d.code)).toHaveLength(2);
    expect(sim.repeats).toBe(1);
  }, 60_000);

  it('gets through a slow portal that drops connections, in order', async () => {
    await clearOutbox();
    sim = await startPortalSim();
    const d = await receiveDossier();
    await recordEvent(database.db, { dossierId: d.id, event: 'complete_digitization', actor: clerk });
    let skipped = 0;
    const now = () => new Date(Date.now() + skipped);
    const client = createPortalClient({ baseUrl: sim.url, timeoutMs: 2_000 });
    sim.slowMs(100);
    sim.dropNext(3);
    for (let i = 0; i < 10 && statuses(d.code).length < 2; i++) {
      await deliverOutbox(database.db, { client, now });
      skipped += 10 * 60_000;
    }
    expect(statuses(d.code)).toEqual([2, 2]);
    const rows = await portalRows(d.id);
    expect(rows[0]!.attempts).toBeGreaterThan(1);
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
  });
});

describe('dead-letter view', () => {
  it('shows a supervisor the dead letters of the offices they supervise, the admin all, and retries in scope', async () => {
    await clearOutbox();
    sim = await startPortalSim();
    const mine = await receiveDossier('gdv.hang');
    const theirs = await receiveDossier('gdv.quang');
    await recordEvent(database.db, { dossierId: theirs.id, event: 'complete_digitization', actor: clerk });
    sim.reject(() => true, 'MaTTHC không tồn tại');
    await deliverOutbox(database.db, { client: createPortalClient({ baseUrl: sim.url }) });
    // The supervisor no longer supervises gdv.quang's office.
    const [office] = await database.db.select().from(offices).where(eq(offices.code, 'H57.90.02'));
    const [sup] = await database.db.select().from(users).where(eq(users.username, 'giamsat.nguyet'));
    await database.db
      .delete(memberships)
      .where(and(eq(memberships.userId, sup!.id), eq(memberships.officeId, office!.id)));

    const supervisor = await server.callerAs('giamsat.nguyet');
    const seen = await supervisor.outbox.deadLetters();
    expect(seen.map((l) => l.dossierCode)).toContain(mine.code);
    expect(seen.map((l) => l.dossierCode)).not.toContain(theirs.code);
    const admin = await server.callerAs('admin');
    const all = await admin.outbox.deadLetters();
    const other = all.find((l) => l.dossierCode === theirs.code);
    expect(other).toMatchObject({ blocked: 1, attempts: 1 });
    expect(other!.lastError).toMatch(/HTTP 400/);
    await expect(supervisor.outbox.retry({ id: other!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    sim.accept();
    const own = seen.find((l) => l.dossierCode === mine.code)!;
    await supervisor.outbox.retry({ id: own.id });
    await admin.outbox.retry({ id: other!.id });
    await deliverOutbox(database.db, { client: createPortalClient({ baseUrl: sim.url }) });
    expect(statuses(mine.code)).toEqual([2]);
    expect(statuses(theirs.code)).toEqual([2, 2]);
    expect(await admin.outbox.deadLetters()).toEqual([]);
  });
});
