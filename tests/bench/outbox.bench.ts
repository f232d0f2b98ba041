// Portal sync throughput: outbox messages (each = the dossier record + the progress event, two HTTP requests)
// delivered to the portal simulator, for 500 dossiers × 3 portal-visible events on PostgreSQL, with the portal
// healthy and with 20% of its answers failing (500). Then the lag from a state change (the outbox row written in
// its transaction) to the portal's acknowledgement of the progress event, p50/p99, while state changes keep
// coming and one deliverer runs continuously (polling every 50 ms when idle; 20/200 ms backoff when failing).
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../server/src/db/client';
import { memberships, outbox, procedures, procedureVersions } from '../../server/src/db/schema';
import { createDossier, recordEvent } from '../../server/src/dossiers/engine';
import { deliverOutbox, PORTAL_TOPIC } from '../../server/src/integrations/outbox';
import { createPortalClient } from '../../server/src/integrations/portal/client';
import { startPortalSim } from '../sim/portal-sim';
import { benchDatabase } from './pg';

const DOSSIERS = 500;
const STEPS = ['complete_digitization', 'forward'] as const;
const BATCH = 50;

/** 500 received dossiers moved two steps on: three outbox messages each (statuses 2, 2, 4). */
const makeDossiers = async (db: Db, tag: string, count = DOSSIERS) => {
  const [clerk] = await db.select().from(memberships).where(eq(memberships.role, 'clerk')).limit(1);
  const [p] = await db
    .select({ id: procedures.id, agencyId: procedures.agencyId, versionId: procedureVersions.id })
    .from(procedures)
    .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
    .limit(1);
  const actor = {
    kind: 'clerk' as const,
    userId: clerk!.userId,
    role: 'clerk' as const,
    officeId: clerk!.officeId,
  };
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = await createDossier(db, {
      event: 'start_intake',
      actor,
      values: {
        procedureId: p!.id,
        procedureVersionId: p!.versionId,
        receivingOfficeId: clerk!.officeId,
        agencyId: p!.agencyId,
        channel: 1,
      },
    });
    const code = `BENCH-${tag}-${String(i).padStart(4, '0')}`;
    await recordEvent(db, {
      dossierId: d.id,
      event: 'receive',
      actor,
      patch: { code, receivedAt: new Date() },
    });
    for (const event of STEPS) await recordEvent(db, { dossierId: d.id, event, actor });
    ids.push(d.id);
  }
  return ids;
};

const measure = async (db: Db, opts: { tag: string; failRate: number }) => {
  // Whatever the seed left in the outbox is delivered first, so the timing covers only these dossiers.
  const warm = await startPortalSim();
  await deliverOutbox(db, { client: createPortalClient({ baseUrl: warm.url }), batch: BATCH });
  await warm.close();

  const ids = await makeDossiers(db, opts.tag);
  const sim = await startPortalSim();
  sim.failRandomly(opts.failRate);
  const client = createPortalClient({ baseUrl: sim.url, timeoutMs: 5_000 });
  const policy = { baseBackoffMs: 20, maxBackoffMs: 200, maxAttempts: 1_000 };
  const messages = ids.length * (STEPS.length + 1);
  const started = performance.now();
  let sent = 0;
  while (sent < messages) {
    const report = await deliverOutbox(db, { client, batch: BATCH, policy });
    sent += report.sent;
    if (report.nextAttemptAt)
      await new Promise((r) => setTimeout(r, Math.max(0, report.nextAttemptAt!.getTime() - Date.now())));
  }
  const seconds = (performance.now() - started) / 1000;
  const rows = await db.select({ state: outbox.state }).from(outbox).where(inArray(outbox.dossierId, ids));
  await sim.close();
  if (rows.some((r) => r.state !== 'sent') || (sim.repeats > 0 && opts.failRate === 0))
    throw new Error('outbox bench: delivery incomplete');
  return { rate: messages / seconds, seconds, requests: sim.requests, stored: sim.received.length };
};

const LAG_DOSSIERS = 200;

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Lag from the state change to the portal storing its progress event, with state changes arriving meanwhile. */
const measureLag = async (db: Db, opts: { tag: string; failRate: number }) => {
  const warm = await startPortalSim();
  await deliverOutbox(db, { client: createPortalClient({ baseUrl: warm.url }), batch: BATCH });
  await warm.close();

  const sim = await startPortalSim();
  sim.failRandomly(opts.failRate);
  const ackAt = new Map<string, number>();
  sim.onStored((m) => ackAt.set(m.key, Date.now()));
  const client = createPortalClient({ baseUrl: sim.url, timeoutMs: 5_000 });
  const policy = { baseBackoffMs: 20, maxBackoffMs: 200, maxAttempts: 1_000 };
  let producing = true;
  const deliverer = (async () => {
    for (;;) {
      const report = await deliverOutbox(db, { client, batch: BATCH, policy });
      if (!producing && report.sent === 0 && report.retrying === 0 && report.nextAttemptAt === null) {
        const [left] = await db
          .select({ id: outbox.id })
          .from(outbox)
          .where(and(eq(outbox.state, 'pending'), eq(outbox.topic, PORTAL_TOPIC)))
          .limit(1);
        if (!left) return;
      }
      if (report.sent === 0) await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const started = performance.now();
  const ids = await makeDossiers(db, opts.tag, LAG_DOSSIERS);
  const produceSeconds = (performance.now() - started) / 1000;
  producing = false;
  await deliverer;
  await sim.close();
  const rows = await db
    .select({ key: outbox.idempotencyKey, createdAt: outbox.createdAt, state: outbox.state })
    .from(outbox)
    .where(and(inArray(outbox.dossierId, ids), eq(outbox.topic, PORTAL_TOPIC)));
  if (rows.some((r) => r.state !== 'sent')) throw new Error('outbox bench: lag run incomplete');
  const lags = rows
    .map((r) => (ackAt.get(`${r.key}:TienDo`) ?? Number.NaN) - r.createdAt.getTime())
    .filter((x) => Number.isFinite(x))
    .sort((a, b) => a - b);
  return {
    messages: rows.length,
    changesPerSecond: rows.length / produceSeconds,
    p50: percentile(lags, 50),
    p99: percentile(lags, 99),
    max: lags.at(-1) ?? Number.NaN,
  };
};

export const run = async () => {
  const pg = await benchDatabase();
  if (!pg) {
    process.stdout.write('PostgreSQL           not reachable on 127.0.0.1:5432, skipped\n');
    return;
  }
  try {
    for (const [label, failRate] of [
      ['portal healthy', 0],
      ['20% answers fail', 0.2],
    ] as const) {
      const r = await measure(pg.db, { tag: failRate === 0 ? 'ok' : 'flaky', failRate });
      process.stdout.write(
        `${label.padEnd(18)} ${r.rate.toFixed(0).padStart(6)} messages/s  ` +
          `(${DOSSIERS} dossiers × ${STEPS.length + 1} events in ${r.seconds.toFixed(2)} s; ${r.requests} HTTP requests, ${r.stored} stored)\n`,
      );
    }
    for (const [label, failRate] of [
      ['portal healthy', 0],
      ['20% answers fail', 0.2],
    ] as const) {
      const r = await measureLag(pg.db, { tag: failRate === 0 ? 'lag-ok' : 'lag-flaky', failRate });
      process.stdout.write(
        `${label.padEnd(18)} lag state change → portal ack  p50 ${r.p50.toFixed(0)} ms  p99 ${r.p99.toFixed(0)} ms  ` +
          `max ${r.max.toFixed(0)} ms  (${r.messages} messages while ~${r.changesPerSecond.toFixed(0)} state changes/s arrived)\n`,
      );
    }
  } finally {
    await pg.drop();
  }
};
