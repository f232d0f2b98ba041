// The portal back after an outage: the backlog drains within a minute, not at each message's grown delay
// (a 10-minute outage used to take 48 minutes to catch up), and the backlog per target is visible meanwhile.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../server/src/db/schema';
import { backoffMs, DEFAULT_POLICY, deliverOutbox, findBacklog } from '../../server/src/integrations/outbox';
import { createPortalClient } from '../../server/src/integrations/portal/client';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { type PortalSim, startPortalSim } from '../sim/portal-sim';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let sim: PortalSim;
/** Simulated time for the deliverer, so backoff is waited out without sleeping. */
let skipped = 0;
const now = () => new Date(Date.now() + skipped);

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  sim = await startPortalSim();
}, 120_000);
afterAll(async () => {
  await sim?.close();
  await database?.close();
});

const deliver = () =>
  deliverOutbox(database.db, { client: createPortalClient({ baseUrl: sim.url, timeoutMs: 2_000 }), now });

const receiveDossier = async () => {
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const r = await clerk.intake.submit(intakeFor(lltp, commune));
  return { id: r.dossierId, code: r.code! };
};

describe('portal back after an outage', () => {
  it('no message waits more than five minutes between tries', () => {
    expect(backoffMs(1)).toBe(DEFAULT_POLICY.baseBackoffMs);
    expect(backoffMs(40)).toBeLessThanOrEqual(5 * 60_000);
  });

  it('drains the whole backlog within a minute of the first success, and shows it per target meanwhile', async () => {
    await database.db.update(outbox).set({ state: 'sent' }).where(eq(outbox.state, 'pending'));
    sim.failNext(1_000_000);
    // Dossiers received at different moments of a 10-minute outage: their delays grew to different lengths.
    const dossiers = [];
    for (let tenSeconds = 0; tenSeconds < 60; tenSeconds++) {
      if (tenSeconds % 10 === 0) dossiers.push(await receiveDossier());
      await deliver();
      skipped += 10_000;
    }
    const during = (await findBacklog(database.db)).find((b) => b.topic === 'portal.progress')!;
    expect(during).toMatchObject({ waiting: dossiers.length, failing: dossiers.length, dead: 0 });
    expect(sim.received).toHaveLength(0);

    sim.failNext(0);
    // The deliverer's sweep comes every 10 s: count how long until every dossier is at the portal.
    let waited = 0;
    while (dossiers.some((d) => sim.progressOf(d.code).length === 0) && waited <= 15 * 60_000) {
      await deliver();
      if (dossiers.every((d) => sim.progressOf(d.code).length > 0)) break;
      skipped += 10_000;
      waited += 10_000;
    }
    expect(waited, 'simulated time from recovery to an empty backlog').toBeLessThanOrEqual(60_000);
    const after = (await findBacklog(database.db)).find((b) => b.topic === 'portal.progress');
    expect(after?.waiting ?? 0).toBe(0);
  }, 120_000);

  it('a supervisor sees the backlog per target and can make it due now; a clerk can do neither', async () => {
    await database.db.update(outbox).set({ state: 'sent' }).where(eq(outbox.state, 'pending'));
    sim.failNext(1_000_000);
    await receiveDossier();
    await receiveDossier();
    for (let i = 0; i < 5; i++) {
      await deliver();
      skipped += 10_000;
    }
    const supervisor = await server.callerAs(await server.usernameWithRole('supervisor'));
    const before = (await supervisor.outbox.backlog()).find((b) => b.topic === 'portal.progress');
    expect(before?.waiting).toBeGreaterThanOrEqual(2);
    expect(before?.due).toBe(0);
    const { due } = await supervisor.outbox.sendNow({ topic: 'portal.progress' });
    expect(due).toBeGreaterThanOrEqual(2);
    const after = (await supervisor.outbox.backlog()).find((b) => b.topic === 'portal.progress');
    expect(after?.due).toBe(after?.waiting);
    const clerk = await server.callerAs('gdv.hang');
    await expect(clerk.outbox.backlog()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(clerk.outbox.sendNow({ topic: 'portal.progress' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    sim.failNext(0);
  }, 120_000);
});
