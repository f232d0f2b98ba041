// Online dossiers from the portal asking for postal pickup (and delivery): POST /api/portal/dossiers, signed with
// the shared secret (HMAC over timestamp.body, 5-minute window), idempotent by the portal's dossier code,
// creating the dossier (request_pickup by the portal, channel 2) and its pickup courier task together.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders } from '../../server/src/agency-api/webhooks';
import { courierTasks, dossierEvents, dossiers, outbox } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

const SECRET = 'portal-inbound-shared-secret-0123456789abcdef';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let commune: string;
let seq = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db, { env: { PORTAL_INBOUND_SECRET: SECRET } });
  const c = await server.callerAs(null);
  commune = (await c.catalog.communes())[0]!.code;
}, 60_000);
afterAll(() => database?.close());

const today = () => {
  const d = new Date(Date.now() + 7 * 3_600_000).toISOString();
  return `${d.slice(2, 4)}${d.slice(5, 7)}${d.slice(8, 10)}`;
};
const tomorrow = () => new Date(Date.now() + 7 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);

const dossierBody = (over: Record<string, unknown> = {}) => ({
  MaHoSo: `H57.36-${today()}-${String(9000 + ++seq)}`,
  MaTTHC: '1.001193',
  ChuHoSo: 'Lê Thị Thu',
  SoDienThoai: '0905123456',
  YeuCauThuGom: true,
  YeuCauTraKetQua: false,
  DiaChiThuGom: { DiaChi: '12 Lê Lợi', MaXa: commune },
  NgayThuGom: tomorrow(),
  BuoiThuGom: 'morning',
  ...over,
});

const post = (body: unknown, opts: { secret?: string; at?: Date; app?: typeof server.app } = {}) => {
  const raw = JSON.stringify(body);
  return (opts.app ?? server.app).request('/api/portal/dossiers', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signatureHeaders(opts.secret ?? SECRET, raw, opts.at) },
    body: raw,
  });
};

describe('portal inbound dossiers', () => {
  it('creates the dossier (portal, channel 2, status 1 to the portal) and its pickup task in one go', async () => {
    const body = dossierBody({ YeuCauTraKetQua: true });
    const res = await post(body);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      error_code: '00',
      MaHoSo: body.MaHoSo,
      state: 'pickup_requested',
    });
    const [d] = await database.db.select().from(dossiers).where(eq(dossiers.code, body.MaHoSo));
    expect(d).toMatchObject({ state: 'pickup_requested', channel: 2, fromPortal: true, returnMethod: 1 });
    const tasks = await database.db.select().from(courierTasks).where(eq(courierTasks.dossierId, d!.id));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: 'pickup', state: 'open', contactPhone: '0905123456' });
    expect(tasks[0]!.windowStart).not.toBeNull();
    const [event] = await database.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, d!.id));
    expect(event).toMatchObject({ event: 'request_pickup', actorKind: 'portal' });
    const messages = await database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.dossierId, d!.id), eq(outbox.topic, 'portal.progress')));
    expect(messages.map((m) => (m.payload as { status: number }).status)).toEqual([1]);
  });

  it('answers the same dossier sent again (or twice at once) with the first answer', async () => {
    const body = dossierBody();
    const [a, b] = await Promise.all([post(body), post(body)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ replayed: true, MaHoSo: body.MaHoSo });
    const rows = await database.db.select().from(dossiers).where(eq(dossiers.code, body.MaHoSo));
    expect(rows).toHaveLength(1);
    const tasks = await database.db
      .select()
      .from(courierTasks)
      .where(eq(courierTasks.dossierId, rows[0]!.id));
    expect(tasks).toHaveLength(1);
  });

  it('refuses a bad signature or a request signed more than 5 minutes ago, and creates nothing', async () => {
    const body = dossierBody();
    const forged = await post(body, { secret: 'not-the-shared-secret-but-long-enough-000' });
    expect(forged.status).toBe(401);
    const err = (await forged.json()) as { code: string; message: string; messageEn: string };
    expect(err.code).toBe('PORTAL_SIGNATURE_INVALID');
    expect(err.message).toMatch(/Vui lòng/);
    expect(err.messageEn).toMatch(/Please/);
    const stale = await post(body, { at: new Date(Date.now() - 6 * 60_000) });
    expect(stale.status).toBe(401);
    const unsigned = await server.app.request('/api/portal/dossiers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(unsigned.status).toBe(401);
    expect(await database.db.select().from(dossiers).where(eq(dossiers.code, body.MaHoSo))).toEqual([]);
  });

  it('refuses a procedure without postal pickup, a bad code and a bad phone with clear errors', async () => {
    const noPickup = await post(dossierBody({ MaTTHC: '2.000815' }));
    expect(noPickup.status).toBe(422);
    expect(((await noPickup.json()) as { code: string }).code).toBe('PORTAL_PROCEDURE_UNKNOWN');
    const badCode = await post(dossierBody({ MaHoSo: 'HS-123' }));
    expect(badCode.status).toBe(400);
    expect(((await badCode.json()) as { code: string }).code).toBe('DOSSIER_CODE_INVALID');
    const badPhone = await post(dossierBody({ SoDienThoai: '12345' }));
    expect(badPhone.status).toBe(400);
    const missing = await post({ MaHoSo: 'x' });
    expect(((await missing.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
  });

  it('is off (503, says what to set) when no shared secret is configured', async () => {
    const off = createTestServer(database.db);
    const res = await post(dossierBody(), { app: off.app });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('PORTAL_INBOUND_DISABLED');
  });
});
