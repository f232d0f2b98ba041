import { portalDateTime } from '@postdesk/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { documents, dossierEvents, dossiers, offices, outbox, users } from '../../server/src/db/schema';
import { recordEvent } from '../../server/src/dossiers/engine';
import { deliverOutbox, findDeadLetters, retryDead } from '../../server/src/integrations/outbox';
import { classifyResponse, createPortalClient } from '../../server/src/integrations/portal/client';
import {
  type PortalSource,
  toDossierRecord,
  toProgressEvent,
} from '../../server/src/integrations/portal/messages';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { type PortalSim, startPortalSim } from '../sim/portal-sim';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let sim: PortalSim;
/** Simulated time for the deliverer: real time plus a skip that only grows, so backoff is waited out without sleeping. */
let skipped = 0;
const now = () => new Date(Date.now() + skipped);
const advance = (ms: number) => {
  skipped += ms;
};

const clerkActor = { kind: 'clerk' as const, role: 'clerk' as const };
const agencyActor = { kind: 'agency_official' as const, role: 'agency_official' as const };

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
});
afterAll(() => database.close());
afterEach(async () => {
  await sim?.close();
});

const client = (timeoutMs = 2_000) => createPortalClient({ baseUrl: sim.url, timeoutMs });
const deliver = (opts: { timeoutMs?: number; batch?: number } = {}) =>
  deliverOutbox(database.db, { client: client(opts.timeoutMs), now, batch: opts.batch });

/** A dossier received at the desk by gdv.hang (portal status 2). */
const receiveDossier = async () => {
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const r = await clerk.intake.submit(intakeFor(lltp, commune));
  return { id: r.dossierId, code: r.code! };
};

const move = async (dossierId: string, steps: [string, typeof clerkActor | typeof agencyActor][]) => {
  for (const [event, actor] of steps) {
    await recordEvent(database.db, { dossierId, event: event as 'forward', actor });
  }
};

const TO_REVIEW: [string, typeof clerkActor | typeof agencyActor][] = [
  ['complete_digitization', clerkActor],
  ['forward', clerkActor],
  ['accept', agencyActor],
];

const statuses = (code: string) => sim.progressOf(code).map((p) => p.TrangThai);
/** The dossier's portal messages (other channels, e.g. SMS, share the outbox table). */
const outboxOf = (dossierId: string) =>
  database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.dossierId, dossierId), eq(outbox.topic, 'portal.progress')))
    .orderBy(outbox.id);

describe('portal sync: order and status codes', () => {
  it('delivers every state change of a dossier in order with the portal status codes', async () => {
    sim = await startPortalSim();
    const d = await receiveDossier();
    await move(d.id, [
      ...TO_REVIEW,
      ['request_supplement', agencyActor],
      ['complete_supplement', clerkActor],
      ['accept', agencyActor],
      ['decide', agencyActor],
      ['release_result', agencyActor],
      ['hand_back', clerkActor],
    ]);
    await deliver();
    expect(statuses(d.code)).toEqual([2, 2, 4, 4, 5, 4, 4, 9, 9, 10]);
    expect(sim.recordsOf(d.code).map((r) => r.TrangThaiHoSo)).toEqual([2, 2, 4, 4, 5, 4, 4, 9, 9, 10]);
    expect(
      sim.received
        .filter((m) => m.service === 'DongBoHoSoMC' && m.data[0]!.MaHoSo === d.code)
        .map((m) => m.isUpdating),
    ).toEqual([false, true, true, true, true, true, true, true, true, true]);
    expect(sim.progressOf(d.code).map((p) => p.NoiDungXuLy)).toEqual([
      'Tiếp nhận hồ sơ và hẹn ngày trả kết quả',
      'Số hóa hồ sơ',
      'Chuyển hồ sơ đến cơ quan giải quyết',
      'Cơ quan bắt đầu giải quyết',
      'Cơ quan yêu cầu bổ sung giấy tờ',
      'Đã bổ sung giấy tờ',
      'Cơ quan bắt đầu giải quyết',
      'Có kết quả giải quyết',
      'Kết quả sẵn sàng để trả',
      'Trả kết quả tại quầy',
    ]);
    expect((await outboxOf(d.id)).every((r) => r.state === 'sent' && r.sentAt !== null)).toBe(true);
  });

  it('sends the payload fields in the portal formats: 14-digit local dates, codes, applicant, fees, component flags', async () => {
    sim = await startPortalSim();
    const d = await receiveDossier();
    const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, d.id));
    await database.db.insert(documents).values([
      {
        dossierId: d.id,
        componentCode: 'TP-SCAN',
        title: 'Tờ khai',
        source: 'scan',
        signedFileSha256: 'a'.repeat(64),
      },
      {
        dossierId: d.id,
        componentCode: 'TP-REUSE',
        title: 'Căn cước',
        source: 'reuse',
        ownerCitizenId: '046195001234',
      },
    ]);
    await move(d.id, [['complete_digitization', clerkActor]]);
    await deliver();
    const [first, second] = sim.recordsOf(d.code);
    expect(first).toMatchObject({
      MaHoSo: d.code,
      MaTTHC: '3.000333',
      KenhThucHien: 1,
      HinhThuc: 0,
      LoaiDoiTuong: 1,
      TrangThaiHoSo: 2,
      ChuHoSo: 'Trần Thị Mỹ Hạnh',
      SoGiayToChuHoSo: '046195001234',
      Email: 'hanh.tran@example.vn',
      NgayTiepNhan: portalDateTime(row!.receivedAt!),
      NgayHenTra: portalDateTime(row!.dueAt!),
      NgayNopHoSo: portalDateTime(row!.createdAt),
      NgayKetThucXuLy: null,
    });
    const [agency] = await database.db
      .select({ code: offices.code })
      .from(offices)
      .where(eq(offices.id, row!.agencyId));
    expect(first!.DonViXuLy).toBe(agency!.code);
    for (const field of ['NgayTiepNhan', 'NgayHenTra', 'NgayNopHoSo'] as const)
      expect(first![field]).toMatch(/^\d{14}$/);
    expect(second!.TrangThaiHoSo).toBe(2);
    expect(second!.HoSoCoThanhPhanSoHoa).toBe(1);
    expect(second!.TaiLieuNop).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          MaThanhPhanHoSo: 'TP-SCAN',
          DuocSoHoa: 1,
          DuocTaiSuDung: 0,
          DuocLayTuKhoDMQG: 0,
        }),
        expect.objectContaining({ MaThanhPhanHoSo: 'TP-REUSE', DuocSoHoa: 1, DuocTaiSuDung: 1 }),
      ]),
    );
    const fees = first!.DanhSachLePhi as { Gia: number; TenPhiLePhi: string }[];
    expect(fees.map((f) => f.Gia)).toEqual(row!.intake!.fees.map((f) => f.amount));

    const [receipt] = await database.db
      .select({ at: dossierEvents.at, name: users.fullName })
      .from(dossierEvents)
      .innerJoin(users, eq(users.id, dossierEvents.actorUserId))
      .where(and(eq(dossierEvents.dossierId, d.id), eq(dossierEvents.event, 'receive')));
    expect(sim.progressOf(d.code)[0]).toMatchObject({
      MaHoSo: d.code,
      NguoiXuLy: receipt!.name,
      ChucDanh: 'Giao dịch viên bưu điện',
      ThoiDiemXuLy: portalDateTime(receipt!.at),
      TrangThai: 2,
      NgayBatDau: portalDateTime(row!.receivedAt!),
      NgayKetThucTheoQuyDinh: portalDateTime(row!.dueAt!),
    });
  });
});

describe('portal sync: faults', () => {
  it('loses nothing and keeps the order through an hour-long outage', async () => {
    sim = await startPortalSim();
    const a = await receiveDossier();
    const b = await receiveDossier();
    sim.failNext(1_000_000);
    await deliver();
    await move(a.id, TO_REVIEW);
    await move(b.id, [['complete_digitization', clerkActor]]);
    for (let minute = 0; minute < 60; minute++) {
      advance(60_000);
      await deliver();
    }
    expect(sim.received).toHaveLength(0);
    const waiting = await outboxOf(a.id);
    expect(waiting.map((r) => r.state)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(waiting[0]!.lastError).toMatch(/HTTP 500/);
    // Only the head of each dossier was tried; the messages behind it waited their turn.
    expect(waiting.slice(1).every((r) => r.attempts === 0)).toBe(true);

    sim.failNext(0);
    advance(15 * 60_000);
    await deliver();
    expect(statuses(a.code)).toEqual([2, 2, 4, 4]);
    expect(statuses(b.code)).toEqual([2, 2]);
    expect(await findDeadLetters(database.db)).toEqual([]);
  });

  it('retries a request the portal never answered, and the portal keeps it once', async () => {
    sim = await startPortalSim();
    const d = await receiveDossier();
    sim.holdNext(1);
    const first = await deliver({ timeoutMs: 300 });
    expect(first.retrying).toBeGreaterThanOrEqual(1);
    const [row] = await outboxOf(d.id);
    expect(row!.lastError).toMatch(/timeout/);
    advance(60_000);
    await deliver({ timeoutMs: 300 });
    expect(statuses(d.code)).toEqual([2]);
    expect(sim.recordsOf(d.code)).toHaveLength(1);
    expect(sim.repeats).toBe(1);
  });

  it('stores a request delivered twice by a flaky proxy once', async () => {
    sim = await startPortalSim();
    const d = await receiveDossier();
    sim.duplicateNext(2);
    await deliver();
    expect(sim.recordsOf(d.code)).toHaveLength(1);
    expect(sim.progressOf(d.code)).toHaveLength(1);
    expect(sim.repeats).toBe(2);
  });

  it('sends a refused message to the dead letters, holds back only its dossier, and re-sends it on retry', async () => {
    sim = await startPortalSim();
    const bad = await receiveDossier();
    const good = await receiveDossier();
    await move(bad.id, [['complete_digitization', clerkActor]]);
    await move(good.id, [['complete_digitization', clerkActor]]);
    sim.reject((body) => (body.data as { MaHoSo: string }[])[0]!.MaHoSo === bad.code, 'MaTTHC không tồn tại');
    await deliver();
    expect(statuses(good.code)).toEqual([2, 2]);
    expect(statuses(bad.code)).toEqual([]);
    const dead = await findDeadLetters(database.db);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ dossierCode: bad.code, attempts: 1, blocked: 1 });
    expect(dead[0]!.lastError).toMatch(/HTTP 400.*MaTTHC không tồn tại/);

    sim.accept();
    await deliver();
    expect(statuses(bad.code)).toEqual([]);
    await retryDead(database.db, { id: dead[0]!.id, now: now() });
    await deliver();
    expect(statuses(bad.code)).toEqual([2, 2]);
    expect(await findDeadLetters(database.db)).toEqual([]);
    await expect(retryDead(database.db, { id: dead[0]!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sends each message exactly once when two deliverers run at the same time', async () => {
    sim = await startPortalSim();
    const made = await Promise.all(Array.from({ length: 12 }, () => receiveDossier()));
    for (const d of made) await move(d.id, TO_REVIEW);
    await Promise.all([deliver({ batch: 5 }), deliver({ batch: 5 }), deliver({ batch: 3 })]);
    expect(sim.repeats).toBe(0);
    for (const d of made) {
      expect(statuses(d.code)).toEqual([2, 2, 4, 4]);
      expect((await outboxOf(d.id)).map((r) => [r.state, r.attempts])).toEqual([
        ['sent', 1],
        ['sent', 1],
        ['sent', 1],
        ['sent', 1],
      ]);
    }
  });
});

describe('portal messages and answers (pure)', () => {
  const source: PortalSource = {
    message: {
      dossierId: 'd1',
      code: 'X-250301-0001',
      seq: 3,
      event: 'forward',
      status: 4,
      at: '2025-03-01T02:00:00.000Z',
    },
    isUpdating: true,
    dossier: {
      code: 'X-250301-0001',
      channel: 3,
      returnMethod: 1,
      createdAt: new Date('2025-03-01T01:00:00Z'),
      receivedAt: new Date('2025-03-01T01:30:05Z'),
      dueAt: new Date('2025-03-10T10:00:00Z'),
    },
    procedure: {
      code: '1.000001',
      name: 'Thủ tục',
      field: 'Tư pháp',
      fees: [{ label: 'Phí thẩm định', amount: 200_000, kind: 'fee' }],
    },
    agency: { code: '000.00.01.H22', name: 'Sở Tư pháp' },
    receivingOffice: { code: 'BD01', name: 'Bưu điện trung tâm' },
    applicant: { kind: 'business', citizenId: null, fullName: 'Công ty A', phone: null, email: null },
    components: [],
    event: {
      actorName: null,
      actorKind: 'clerk',
      role: 'clerk',
      officeName: null,
      at: new Date('2025-03-01T02:00:00Z'),
    },
    history: [],
    filesBaseUrl: null,
  };

  it('maps channel, return method, applicant kind and Asia/Ho_Chi_Minh dates', () => {
    const record = toDossierRecord(source);
    expect(record).toMatchObject({
      KenhThucHien: 3,
      HinhThuc: 1,
      LoaiDoiTuong: 2,
      TrangThaiHoSo: 4,
      NgayTiepNhan: '20250301083005',
      NgayHenTra: '20250310170000',
      HoSoCoThanhPhanSoHoa: 0,
      DanhSachLePhi: [
        {
          TenPhiLePhi: 'Phí thẩm định',
          MaPhiLePhi: '1.000001-1',
          Gia: 200_000,
          LoaiPhiLePhi: 1,
          HinhThucThu: 1,
        },
      ],
    });
    expect(toProgressEvent(source)).toMatchObject({
      NguoiXuLy: 'Giao dịch viên bưu điện',
      ThoiDiemXuLy: '20250301090000',
      PhongBanXuLy: 'Bưu điện trung tâm',
      NoiDungXuLy: 'Chuyển hồ sơ đến cơ quan giải quyết',
      TrangThai: 4,
    });
  });

  it('classifies the portal answers', () => {
    expect(classifyResponse(200, '{"error_code":"00"}')).toEqual({ kind: 'ok' });
    expect(classifyResponse(409, 'conflict')).toEqual({ kind: 'ok' });
    expect(classifyResponse(200, '{"error_code":"00","message":"already received"}')).toEqual({ kind: 'ok' });
    expect(classifyResponse(400, 'bad').kind).toBe('permanent');
    expect(classifyResponse(200, '{"error_code":"05"}').kind).toBe('permanent');
    expect(classifyResponse(503, 'down').kind).toBe('retry');
    expect(classifyResponse(429, 'slow down').kind).toBe('retry');
  });
});
