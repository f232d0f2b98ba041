// Signed webhooks to an agency's system when a dossier is forwarded: written in the forward's transaction,
// delivered by the outbox (retries, order per dossier, dead letters), checked by the agency simulator (HMAC,
// 5-minute window, replays refused). The simulator then pulls the dossier with its API key and accepts it.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { forwardDossier } from '../../server/src/agency/actions';
import {
  AGENCY_WEBHOOK_JOB,
  AGENCY_WEBHOOK_TOPIC,
  agencyWebhookChannel,
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  signatureHeaders,
  signPayload,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../../server/src/agency-api/webhooks';
import { agencyWebhooks, dossiers, outbox, procedures } from '../../server/src/db/schema';
import { recordEvent } from '../../server/src/dossiers/engine';
import { deliverOutbox, findDeadLetters, retryDead } from '../../server/src/integrations/outbox';
import { createTestServer } from '../helpers/app';
import { listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { type AgencySim, startAgencySim } from '../sim/agency-sim';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let http: Awaited<ReturnType<typeof listen>>;
let agencyId: string;
let sim: AgencySim;
let skipped = 0;
const now = () => new Date(Date.now() + skipped);
const advance = (ms: number) => {
  skipped += ms;
};

const channel = (timeoutMs = 2_000) =>
  agencyWebhookChannel({ publicUrl: 'https://postdesk.example', timeoutMs });
const deliver = (timeoutMs?: number) => deliverOutbox(database.db, { channel: channel(timeoutMs), now });

/** Points the agency's webhook at a fresh simulator (secret set by the admin, shown once). */
const startSim = async (opts: { simSecret?: string } = {}) => {
  const admin = await server.callerAs('admin');
  const probe = await startAgencySim({ secret: 'unused' });
  const set = await admin.agencyApi.setWebhook({ agencyId, url: probe.webhookUrl });
  await probe.close();
  const key = (await admin.agencyApi.createKey({ agencyId, label: 'sim' })).key;
  const s = await startAgencySim({ secret: opts.simSecret ?? set.secret, apiUrl: http.url, apiKey: key });
  await admin.agencyApi.setWebhook({ agencyId, url: s.webhookUrl, secret: set.secret });
  return { sim: s, secret: set.secret };
};

const forwarded = async () => {
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const r = await clerk.intake.submit(intakeFor(lltp, commune));
  const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, r.dossierId));
  const actor = { kind: 'clerk' as const, role: 'clerk' as const, officeId: row!.receivingOfficeId };
  await recordEvent(database.db, { dossierId: r.dossierId, event: 'complete_digitization', actor });
  await forwardDossier(database.db, { dossierId: r.dossierId, officeId: row!.receivingOfficeId, actor });
  return { id: r.dossierId, code: r.code! };
};

const hooksOf = (dossierId: string) =>
  database.db
    .select()
    .from(outbox)
    .where(eq(outbox.dossierId, dossierId))
    .then((rows) => rows.filter((r) => r.topic === AGENCY_WEBHOOK_TOPIC));

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  http = await listen(server.app);
  const [p] = await database.db
    .select({ agencyId: procedures.agencyId })
    .from(procedures)
    .where(eq(procedures.code, '3.000333'));
  agencyId = p!.agencyId;
}, 60_000);
afterEach(async () => {
  await sim?.close();
  // Leave nothing behind for the next test's deliverer.
  await database.db.update(outbox).set({ state: 'sent' }).where(eq(outbox.topic, AGENCY_WEBHOOK_TOPIC));
});
afterAll(async () => {
  await http?.close();
  await database?.close();
});

describe('signatures (pure)', () => {
  const secret = 'whsec_test_secret_of_enough_length_000000';
  const body = '{"id":"x"}';
  it('accepts its own signature and refuses a changed body, another secret, or a stale timestamp', () => {
    const at = new Date('2026-11-23T08:00:00Z');
    const h = signatureHeaders(secret, body, at);
    const check = (o: Partial<Parameters<typeof verifySignature>[0]>) =>
      verifySignature({
        secret,
        body,
        timestamp: h[TIMESTAMP_HEADER],
        signature: h[SIGNATURE_HEADER],
        now: at,
        ...o,
      });
    expect(check({})).toMatchObject({ ok: true });
    expect(check({ body: '{"id":"y"}' })).toEqual({ ok: false, reason: 'signature' });
    expect(check({ secret: `${secret}x` })).toEqual({ ok: false, reason: 'signature' });
    expect(check({ now: new Date(at.getTime() + 4 * 60_000) })).toMatchObject({ ok: true });
    expect(check({ now: new Date(at.getTime() + 6 * 60_000) })).toEqual({ ok: false, reason: 'stale' });
    expect(check({ now: new Date(at.getTime() - 6 * 60_000) })).toEqual({ ok: false, reason: 'stale' });
    expect(check({ signature: 'v1=zz' })).toEqual({ ok: false, reason: 'malformed' });
    expect(check({ timestamp: null })).toEqual({ ok: false, reason: 'missing' });
    expect(signPayload(secret, 1, body)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('agency webhooks', () => {
  it('queues the webhook in the forward’s transaction and the agency verifies, stores, pulls and accepts', async () => {
    ({ sim } = await startSim());
    const d = await forwarded();
    const [hook] = await hooksOf(d.id);
    expect(hook).toMatchObject({ state: 'pending', topic: AGENCY_WEBHOOK_TOPIC });

    const accepted: string[] = [];
    sim.onWebhook(async (w) => {
      const pulled = await sim.client.get(w.body.dossier.code);
      if (pulled.status === 200 && pulled.body.state === 'forwarded') {
        const r = await sim.client.post(w.body.dossier.code, 'accept', {}, { key: `accept-${w.delivery}` });
        if (r.status === 200) accepted.push(w.body.dossier.code);
      }
    });
    const report = await deliver();
    expect(report.sent).toBe(1);
    expect(sim.webhooks).toHaveLength(1);
    expect(sim.refused).toEqual([]);
    const w = sim.webhooks[0]!;
    expect(w.body).toMatchObject({ event: 'dossier.forwarded', dossier: { code: d.code } });
    // The webhook says what happened and where to look; no personal data.
    expect(JSON.stringify(w.body)).not.toMatch(/Nguyễn|\d{12}|09\d{8}/);
    // The agency's system works on its own time after acknowledging; wait for it, without a fixed delay.
    for (let i = 0; i < 100 && accepted.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(accepted).toEqual([d.code]);
    const [after] = await database.db.select().from(dossiers).where(eq(dossiers.id, d.id));
    expect(after!.state).toBe('in_review');
  });

  it('does not queue a webhook for an agency without one', async () => {
    await database.db
      .update(agencyWebhooks)
      .set({ active: false })
      .where(eq(agencyWebhooks.agencyId, agencyId));
    const d = await forwarded();
    expect(await hooksOf(d.id)).toEqual([]);
    await database.db
      .update(agencyWebhooks)
      .set({ active: true })
      .where(eq(agencyWebhooks.agencyId, agencyId));
  });

  it('goes to the dead letters when the agency refuses the signature, and is delivered after the fix', async () => {
    ({ sim } = await startSim({ simSecret: 'whsec_some_other_secret_the_agency_has_000' }));
    const d = await forwarded();
    const report = await deliver();
    expect(report.dead).toBe(1);
    expect(sim.webhooks).toHaveLength(0);
    expect(sim.refused).toEqual([{ reason: 'signature', status: 401 }]);
    const dead = (await findDeadLetters(database.db)).find((x) => x.dossierId === d.id);
    expect(dead).toMatchObject({ topic: AGENCY_WEBHOOK_TOPIC, dossierCode: d.code });
    expect(dead!.lastError).toMatch(/HTTP 401/);

    await sim.close();
    ({ sim } = await startSim());
    await retryDead(database.db, { id: dead!.id, now: now() });
    expect((await deliver()).sent).toBe(1);
    expect(sim.webhooks.map((x) => x.body.dossier.code)).toEqual([d.code]);
  });

  it('refuses a captured webhook replayed at once (same signature) or later (stale timestamp)', async () => {
    let secret: string;
    ({ sim, secret } = await startSim());
    const body = JSON.stringify({ id: 'captured', event: 'dossier.forwarded', dossier: { code: 'X' } });
    const send = (headers: Record<string, string>) =>
      fetch(sim.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [DELIVERY_HEADER]: 'captured', ...headers },
        body,
      });
    const signed = signatureHeaders(secret, body);
    expect((await send(signed)).status).toBe(200);
    expect((await send(signed)).status).toBe(409);
    const old = signatureHeaders(secret, body, new Date(Date.now() - 10 * 60_000));
    expect((await send(old)).status).toBe(401);
    const forged = { ...signed, [SIGNATURE_HEADER]: `v1=${'0'.repeat(64)}` };
    expect((await send(forged)).status).toBe(401);
    expect(sim.webhooks).toHaveLength(1);
    expect(sim.refused.map((r) => r.reason)).toEqual(['replay', 'stale', 'signature']);
  });

  it('retries through 500s, a dropped connection, a timeout and a slow agency; the agency stores each once', async () => {
    ({ sim } = await startSim());
    const a = await forwarded();
    sim.faults.failNext(2);
    expect((await deliver()).retrying).toBe(1);
    advance(60_000);
    await deliver();
    advance(60_000);
    sim.faults.dropNext(1);
    await deliver();
    const [row] = await hooksOf(a.id);
    expect(row!.lastError).toMatch(/network/);
    advance(5 * 60_000);
    sim.faults.holdNext(1);
    await deliver(300);
    const [held] = await hooksOf(a.id);
    expect(held!.lastError).toMatch(/timeout/);
    advance(10 * 60_000);
    sim.faults.slowMs(200);
    await deliver();
    const [done] = await hooksOf(a.id);
    expect(done).toMatchObject({ state: 'sent', attempts: 5 });
    expect(sim.webhooks.map((w) => w.body.dossier.code)).toEqual([a.code]);
    expect(sim.repeats).toBe(1);
  });

  it('is delivered by the server’s job, registered in the job registry', async () => {
    ({ sim } = await startSim());
    const d = await forwarded();
    await server.jobs.enqueue(AGENCY_WEBHOOK_JOB, {});
    await server.jobs.idle();
    expect(sim.webhooks.map((w) => w.body.dossier.code)).toEqual([d.code]);
    // The links point at this server's public address.
    expect(sim.webhooks[0]!.body.dossier.url).toMatch(/\/api\/agency\/dossiers\//);
  });
});
