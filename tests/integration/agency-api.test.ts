// The agency API over real HTTP: keys (sha256 only, shown once, revocable), scope to the key's agency (another
// agency's dossier is "not found"), pulling forwarded dossiers with their signed files, and the actions,
// idempotent by Idempotency-Key, calling the same domain functions as the inbox.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { and, eq } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardDossier } from '../../server/src/agency/actions';
import { AGENCY_WEBHOOK_TOPIC, agencyWebhookChannel } from '../../server/src/agency-api/webhooks';
import {
  agencyApiKeys,
  apiRequests,
  documents,
  dossierEvents,
  dossiers,
  offices,
  outbox,
  procedures,
} from '../../server/src/db/schema';
import { recordEvent } from '../../server/src/dossiers/engine';
import { deliverOutbox } from '../../server/src/integrations/outbox';
import { createPortalClient } from '../../server/src/integrations/portal/client';
import { signPdf } from '../../server/src/signing';
import { createTestServer } from '../helpers/app';
import { listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { type AgencyClient, agencyClient, startAgencySim } from '../sim/agency-sim';
import { startPortalSim } from '../sim/portal-sim';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let http: Awaited<ReturnType<typeof listen>>;
let agencyId: string;
let otherAgencyId: string;
let key: string;
let otherKey: string;
let api: AgencyClient;
let other: AgencyClient;

const makePdf = async (text: string) => {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(resolve('server/assets/fonts/NotoSans-Regular.ttf')), {
    subset: true,
  });
  doc.addPage([595, 842]).drawText(text, { x: 50, y: 780, size: 14, font });
  return doc.save({ useObjectStreams: false });
};
const signed = async (text: string) =>
  signPdf(await makePdf(text), server.signer, { reason: 'Kết quả', location: 'Huế', name: 'Sở Tư pháp' });
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** A dossier received at the desk, digitized with one signed component, forwarded to the agency. */
const forwardedDossier = async () => {
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const r = await clerk.intake.submit(intakeFor(lltp, commune));
  const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, r.dossierId));
  const actor = { kind: 'clerk' as const, role: 'clerk' as const, officeId: row!.receivingOfficeId };
  const component = await server.files.put(database.db, {
    bytes: await signed(`Tờ khai ${r.code}`),
    allowed: ['application/pdf'],
  });
  await database.db.insert(documents).values({
    dossierId: r.dossierId,
    componentCode: 'TP01',
    title: 'Tờ khai',
    source: 'scan',
    signedFileSha256: component.sha256,
  });
  await recordEvent(database.db, { dossierId: r.dossierId, event: 'complete_digitization', actor });
  await database.db
    .update(dossiers)
    .set({ dueAt: new Date(Date.now() + 20 * 86_400_000) })
    .where(eq(dossiers.id, r.dossierId));
  await forwardDossier(database.db, { dossierId: r.dossierId, officeId: row!.receivingOfficeId, actor });
  return { id: r.dossierId, code: r.code!, componentSha: component.sha256 };
};

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  http = await listen(server.app);
  const [p] = await database.db
    .select({ agencyId: procedures.agencyId })
    .from(procedures)
    .where(eq(procedures.code, '3.000333'));
  agencyId = p!.agencyId;
  const [o] = await database.db
    .select({ id: offices.id })
    .from(offices)
    .where(and(eq(offices.kind, 'agency')))
    .then((rows) => rows.filter((x) => x.id !== agencyId));
  otherAgencyId = o!.id;
  const admin = await server.callerAs('admin');
  key = (await admin.agencyApi.createKey({ agencyId, label: 'Hệ thống một cửa Sở Tư pháp' })).key;
  otherKey = (await admin.agencyApi.createKey({ agencyId: otherAgencyId, label: 'Hệ thống khác' })).key;
  api = agencyClient({ apiUrl: http.url, apiKey: key });
  other = agencyClient({ apiUrl: http.url, apiKey: otherKey });
}, 60_000);
afterAll(async () => {
  await http?.close();
  await database?.close();
});

describe('agency API keys', () => {
  it('stores only the sha256 of a key, shows the key once, and lists it by its prefix', async () => {
    const admin = await server.callerAs('admin');
    const created = await admin.agencyApi.createKey({ agencyId, label: 'Khóa thử' });
    expect(created.key).toMatch(/^pdk_[A-Za-z0-9_-]{43}$/);
    const [row] = await database.db.select().from(agencyApiKeys).where(eq(agencyApiKeys.id, created.id));
    expect(row!.keyHash).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.key);
    const listed = await admin.agencyApi.keys({ agencyId });
    expect(listed.find((k) => k.id === created.id)).toMatchObject({
      label: 'Khóa thử',
      keyPrefix: created.key.slice(0, 12),
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain(created.key);
  });

  it('refuses a missing, unknown or revoked key with a bilingual JSON error', async () => {
    const none = await fetch(`${http.url}/api/agency/dossiers`);
    expect(none.status).toBe(401);
    const body = (await none.json()) as Record<string, string>;
    expect(body.code).toBe('AGENCY_API_KEY_INVALID');
    expect(body.message).toMatch(/Vui lòng/);
    expect(body.messageEn).toMatch(/Please/);

    const wrong = await agencyClient({ apiUrl: http.url, apiKey: 'pdk_not-a-real-key' }).list();
    expect(wrong.status).toBe(401);

    const admin = await server.callerAs('admin');
    const created = await admin.agencyApi.createKey({ agencyId, label: 'Sẽ thu hồi' });
    const c = agencyClient({ apiUrl: http.url, apiKey: created.key });
    expect((await c.list()).status).toBe(200);
    await admin.agencyApi.revokeKey({ id: created.id });
    expect((await c.list()).status).toBe(401);
    await expect(admin.agencyApi.revokeKey({ id: created.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses keys for an office that is not an agency', async () => {
    const admin = await server.callerAs('admin');
    const [post] = await database.db.select().from(offices).where(eq(offices.kind, 'post_office')).limit(1);
    await expect(admin.agencyApi.createKey({ agencyId: post!.id, label: 'x' })).rejects.toMatchObject({
      cause: { code: 'AGENCY_API_NOT_AN_AGENCY' },
    });
  });
});

describe('pulling dossiers', () => {
  it('lists forwarded dossiers with their data and links to the signed component files', async () => {
    const d = await forwardedDossier();
    const page = await api.list('forwarded', { limit: 100 });
    expect(page.status).toBe(200);
    const found = (page.body.dossiers as Record<string, unknown>[]).find((x) => x.code === d.code) as {
      state: string;
      portalStatus: number;
      procedure: { code: string };
      components: { code: string; file: { url: string; sha256: string } | null }[];
    };
    expect(found).toMatchObject({ state: 'forwarded', portalStatus: 4, procedure: { code: '3.000333' } });
    const tp01 = found.components.find((c) => c.code === 'TP01');
    expect(tp01?.file?.sha256).toBe(d.componentSha);
    const file = await api.download(tp01!.file!.url);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    expect(createHash('sha256').update(file.bytes).digest('hex')).toBe(d.componentSha);

    const one = await api.get(d.code);
    expect(one.body).toMatchObject({ code: d.code, state: 'forwarded' });
    expect((await api.list('not_a_state')).status).toBe(400);
  });

  it('answers "not found" for another agency’s dossier, its files, and its actions', async () => {
    const d = await forwardedDossier();
    const get = await other.get(d.code);
    expect(get.status).toBe(404);
    expect(get.body.code).toBe('DOSSIER_NOT_FOUND');
    const listed = await other.list('forwarded', { limit: 100 });
    expect((listed.body.dossiers as { code: string }[]).map((x) => x.code)).not.toContain(d.code);
    const file = await other.download(`${http.url}/api/agency/dossiers/${d.code}/files/${d.componentSha}`);
    expect(file.status).toBe(404);
    const decision = await other.post(d.code, 'decision', {
      outcome: 'refused',
      reasons: ['Không thuộc thẩm quyền'],
    });
    expect(decision.status).toBe(404);
    expect(decision.body.code).toBe('DOSSIER_NOT_FOUND');
    expect((await api.get(d.code)).body.state).toBe('forwarded');
    // A file of the store that is not this dossier's is not served either.
    const stranger = await server.files.put(database.db, {
      bytes: await makePdf('x'),
      allowed: ['application/pdf'],
    });
    expect(
      (await api.download(`${http.url}/api/agency/dossiers/${d.code}/files/${stranger.sha256}`)).status,
    ).toBe(404);
  });
});

describe('actions', () => {
  it('needs an Idempotency-Key, answers a repeat with the stored answer and refuses a reused key', async () => {
    const d = await forwardedDossier();
    const res = await fetch(`${http.url}/api/agency/dossiers/${d.code}/accept`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('AGENCY_API_IDEMPOTENCY_KEY_REQUIRED');

    const first = await api.post(d.code, 'accept', {}, { key: `accept-${d.code}` });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ result: { state: 'in_review', replayed: false } });
    const again = await api.post(d.code, 'accept', {}, { key: `accept-${d.code}` });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);

    const reused = await api.post(
      d.code,
      'supplement-request',
      { items: [{ item: 'Bản sao giấy khai sinh' }] },
      { key: `accept-${d.code}` },
    );
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('AGENCY_API_IDEMPOTENCY_MISMATCH');

    const events = await database.db
      .select()
      .from(dossierEvents)
      .where(and(eq(dossierEvents.dossierId, d.id), eq(dossierEvents.event, 'accept')));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorKind: 'agency_official', actorUserId: null, officeId: agencyId });
    const stored = await database.db
      .select()
      .from(apiRequests)
      .where(eq(apiRequests.requestKey, `accept-${d.code}`));
    expect(stored).toHaveLength(1);
  });

  it('refuses an unsigned or tampered result PDF and changes nothing', async () => {
    const d = await forwardedDossier();
    await api.post(d.code, 'accept', {});
    const unsigned = await api.post(d.code, 'decision', {
      outcome: 'approved',
      resultNumber: '12/LLTP',
      resultPdfBase64: b64(await makePdf('Phiếu lý lịch tư pháp')),
    });
    expect(unsigned.status).toBe(422);
    expect(unsigned.body.code).toBe('AGENCY_RESULT_UNSIGNED');

    const good = await signed('Phiếu lý lịch tư pháp số 12');
    const text = Buffer.from(good).toString('latin1');
    const tampered = new Uint8Array(good);
    // One byte inside the signed range changed after signing.
    tampered[text.indexOf('Adobe.PPKLite')] = 'a'.charCodeAt(0);
    const bad = await api.post(d.code, 'decision', {
      outcome: 'approved',
      resultNumber: '12/LLTP',
      resultPdfBase64: b64(tampered),
    });
    expect(bad.status).toBe(422);
    expect(['AGENCY_RESULT_SIGNATURE_INVALID', 'PDF_INVALID']).toContain(bad.body.code);
    // Refused uploads change nothing. (A decision without a file is allowed: the agency's system may send
    // the signed result later with `…/result`.)
    expect((await api.get(d.code)).body.state).toBe('in_review');
  });

  it('takes a decision posted twice at once once, and refuses a different decision afterwards', async () => {
    const d = await forwardedDossier();
    await api.post(d.code, 'accept', {});
    const pdf = await signed('Phiếu lý lịch tư pháp số 13');
    const body = {
      outcome: 'approved',
      resultNumber: '13/LLTP',
      paperResult: true,
      resultPdfBase64: b64(pdf),
    };
    const both = await api.post(d.code, 'decision', body, { twice: true });
    expect(both.status).toBe(200);
    expect(both.second?.status).toBe(200);
    expect(both.body).toEqual(both.second?.body);
    const dossier = both.body.dossier as { state: string; result: { url: string } };
    expect(dossier.state).toBe('decided');
    const file = await api.download(dossier.result.url);
    expect(file.status).toBe(200);

    // The same decision under a new key is recognised by the domain function: nothing changes.
    const same = await api.post(d.code, 'decision', body);
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ result: { replayed: true } });
    const different = await api.post(d.code, 'decision', { outcome: 'refused', reasons: ['Thiếu giấy tờ'] });
    expect(different.status).toBe(409);
    expect(different.body.code).toBe('AGENCY_ALREADY_DECIDED');
    const decides = await database.db
      .select()
      .from(dossierEvents)
      .where(and(eq(dossierEvents.dossierId, d.id), eq(dossierEvents.event, 'decide')));
    expect(decides).toHaveLength(1);

    const released = await api.post(d.code, 'result', {});
    expect(released.status).toBe(200);
    expect((released.body.dossier as { state: string }).state).toBe('result_ready');
  });

  it('takes a decision as multipart with the PDF as a file', async () => {
    const d = await forwardedDossier();
    await api.post(d.code, 'accept', {});
    const form = new FormData();
    form.set('outcome', 'approved');
    form.set('resultNumber', '14/LLTP');
    form.set(
      'result',
      new Blob([new Uint8Array(await signed('Phiếu số 14'))], { type: 'application/pdf' }),
      'ket-qua.pdf',
    );
    const res = await api.post(d.code, 'decision', null, { multipart: form });
    expect(res.status).toBe(200);
    expect(
      (res.body.dossier as { state: string; decision: { resultNumber: string } }).decision.resultNumber,
    ).toBe('14/LLTP');
  });

  it('requests a supplement and issues an apology with a new due time', async () => {
    const d = await forwardedDossier();
    const sup = await api.post(d.code, 'supplement-request', {
      items: [{ item: 'Bản sao sổ hộ khẩu', note: 'có chứng thực' }],
    });
    expect(sup.status).toBe(200);
    expect(sup.body).toMatchObject({ result: { round: 1, countsLate: false } });
    expect((sup.body.dossier as { state: string }).state).toBe('agency_supplement_requested');

    const e = await forwardedDossier();
    const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, e.id));
    const newDueAt = new Date(row!.dueAt!.getTime() + 5 * 86_400_000).toISOString();
    const apology = await api.post(e.code, 'apology', {
      reason: 'Cần xác minh thêm tại địa phương',
      newDueAt,
    });
    expect(apology.status).toBe(200);
    expect((apology.body.dossier as { apologyCount: number }).apologyCount).toBe(1);
    const bad = await api.post(e.code, 'apology', { reason: '', newDueAt: 'tomorrow' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('stops processing with a reason, once per key, and refuses it before the dossier is accepted', async () => {
    const d = await forwardedDossier();
    const early = await api.post(d.code, 'stop', { reason: 'Công dân đề nghị dừng' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('TRANSITION_NOT_ALLOWED');
    expect((await api.post(d.code, 'accept', {})).status).toBe(200);
    expect((await api.post(d.code, 'stop', { reason: ' ' })).body.code).toBe('VALIDATION_FAILED');
    const reason = 'Không thuộc thẩm quyền giải quyết của phường';
    const first = await api.post(d.code, 'stop', { reason }, { key: `stop-${d.code}` });
    expect(first.status).toBe(200);
    expect((first.body.dossier as { state: string }).state).toBe('stopped');
    const again = await api.post(d.code, 'stop', { reason }, { key: `stop-${d.code}` });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('keeps a key’s answer for 30 days; the daily job forgets older ones and the key may be used again', async () => {
    const d = await forwardedDossier();
    const first = await api.post(d.code, 'accept', {}, { key: `old-${d.code}` });
    expect(first.status).toBe(200);
    const row = and(eq(apiRequests.agencyId, agencyId), eq(apiRequests.requestKey, `old-${d.code}`));
    await database.db
      .update(apiRequests)
      .set({ createdAt: new Date(Date.now() - 31 * 86_400_000) })
      .where(row);
    const fresh = await api.post(d.code, 'accept', {}, { key: `fresh-${d.code}` });
    await server.jobs.enqueue('purge_api_requests', {});
    await server.jobs.idle();
    expect(await database.db.select().from(apiRequests).where(row)).toEqual([]);
    // The recent answer is still replayed; the forgotten key runs again (accepting twice is harmless).
    const replay = await api.post(d.code, 'accept', {}, { key: `fresh-${d.code}` });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(fresh.body);
    const reused = await api.post(d.code, 'accept', {}, { key: `old-${d.code}` });
    expect(reused.status).toBe(200);
    expect(reused.headers.get('idempotent-replayed')).toBeNull();
  });

  it('describes every route in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${http.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    for (const p of [
      '/api/agency/dossiers',
      '/api/agency/dossiers/{code}',
      '/api/agency/dossiers/{code}/files/{sha256}',
      '/api/agency/dossiers/{code}/accept',
      '/api/agency/dossiers/{code}/supplement-request',
      '/api/agency/dossiers/{code}/decision',
      '/api/agency/dossiers/{code}/result',
      '/api/agency/dossiers/{code}/apology',
      '/api/agency/dossiers/{code}/stop',
    ])
      expect(doc.paths).toHaveProperty([p]);
  });

  it('slows down one key that sends too many requests, not the others', async () => {
    const admin = await server.callerAs('admin');
    const busy = agencyClient({
      apiUrl: http.url,
      apiKey: (await admin.agencyApi.createKey({ agencyId, label: 'Vòng lặp' })).key,
    });
    const answers: number[] = [];
    for (let i = 0; i < 310; i++) answers.push((await busy.get('KHONG-CO')).status);
    expect(answers.at(-1)).toBe(429);
    expect((await api.list()).status).toBe(200);
  });
});

describe('an agency system end to end', () => {
  it('hears of the forward, pulls, accepts, decides with a signed result, releases; the portal follows', async () => {
    const admin = await server.callerAs('admin');
    const probe = await startAgencySim({ secret: 'x' });
    const { secret } = await admin.agencyApi.setWebhook({ agencyId, url: probe.webhookUrl });
    await probe.close();
    const agency = await startAgencySim({ secret, apiUrl: http.url, apiKey: key });
    await admin.agencyApi.setWebhook({ agencyId, url: agency.webhookUrl, secret });
    const portal = await startPortalSim();
    try {
      // Only this test's messages: what earlier tests queued is marked delivered.
      await database.db.update(outbox).set({ state: 'sent' }).where(eq(outbox.state, 'pending'));
      const handled: string[] = [];
      const pdf = await signed('Phiếu lý lịch tư pháp số 99');
      agency.onWebhook(async (w) => {
        const code = w.body.dossier.code;
        const pulled = await agency.client.get(code);
        const files = (pulled.body.components as { file: { url: string } | null }[]).filter((c) => c.file);
        for (const c of files) if ((await agency.client.download(c.file!.url)).status !== 200) return;
        await agency.client.post(code, 'accept', {}, { key: `${w.delivery}:accept` });
        await agency.client.post(
          code,
          'decision',
          { outcome: 'approved', resultNumber: '99/LLTP', resultPdfBase64: b64(pdf) },
          { key: `${w.delivery}:decision` },
        );
        const r = await agency.client.post(code, 'result', {}, { key: `${w.delivery}:result` });
        if (r.status === 200) handled.push(code);
      });
      const d = await forwardedDossier();
      await deliverOutbox(database.db, {
        channel: agencyWebhookChannel({ publicUrl: http.url, timeoutMs: 5_000 }),
      });
      for (let i = 0; i < 200 && handled.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(handled).toEqual([d.code]);
      const hooks = await database.db.select().from(outbox).where(eq(outbox.topic, AGENCY_WEBHOOK_TOPIC));
      expect(hooks.filter((h) => h.dossierId === d.id).map((h) => h.state)).toEqual(['sent']);

      await deliverOutbox(database.db, { client: createPortalClient({ baseUrl: portal.url }) });
      // received, digitized, forwarded, accepted, decided, result ready: in order, with the portal's codes.
      expect(portal.progressOf(d.code).map((p) => p.TrangThai)).toEqual([2, 2, 4, 4, 9, 9]);
      const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, d.id));
      expect(row).toMatchObject({
        state: 'result_ready',
        decision: { outcome: 'approved', resultNumber: '99/LLTP' },
      });
    } finally {
      await agency.close();
      await portal.close();
    }
  });
});
