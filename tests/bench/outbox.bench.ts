// Portal sync throughput: outbox messages (each = the dossier record + the progress event, two HTTP requests)
// delivered to the portal simulator, for 500 dossiers × 3 portal-visible events on PostgreSQL, with the portal
// healthy and with 20% of its answers failing (500).
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../server/src/db/client';
import { memberships, outbox, procedures, procedureVersions } from '../../server/src/db/schema';
import { createDossier, recordEvent } from '../../server/src/dossiers/engine';
import { deliverOutbox } from '../../server/src/integrations/outbox';
import { createPortalClient } from '../../server/src/integrations/portal/client';
import { startPortalSim } from '../sim/portal-sim';
import { benchDatabase } from './pg';

const DOSSIERS = 500;
const STEPS = ['complete_digitization', 'forward'] as const;
const BATCH = 50;

/** 500 received dossiers moved two steps on: three outbox messages each (statuses 2, 2, 4). */
const makeDossiers = async (db: Db, tag: string) => {
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
  for (let i = 0; i < DOSSIERS; i++) {
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
  } finally {
    await pg.drop();
  }
};
