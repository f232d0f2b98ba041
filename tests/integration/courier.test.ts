import { mkdirSync, writeFileSync } from 'node:fs';
import { ERRORS } from '@postdesk/shared';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPickupTask, ensureDeliveryTask, inVietnam } from '../../server/src/courier/tasks';
import type { Db } from '../../server/src/db/client';
import { courierProofs, courierTasks, dossierEvents, dossiers } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { inspectPdf } from '../helpers/pdf';
import {
  actionId,
  addCourier,
  cookieFor,
  lastHandoverCode,
  officeId,
  resultReadyDossier,
  uploadPhoto,
} from './courier-setup';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let db: Db;
let hue: string;
let hungId: string;
let phuocId: string;
let cookie: string;
type Caller = Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let supervisor: Caller;
let hung: Caller;
let phuoc: Caller;

const DAY = '2026-11-24';
/** Tuesday 24 November 2026, 09:00 in Huế. */
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  server = createTestServer(db);
  hue = await officeId(db);
  hungId = (await addCourier(db, 'buuta.hung', hue))!;
  phuocId = await addCourier(db, 'buuta.phuoc', hue);
  supervisor = await server.callerAs('giamsat.nguyet', { officeHint: hue });
  hung = await server.callerAs('buuta.hung', { officeHint: hue });
  phuoc = await server.callerAs('buuta.phuoc', { officeHint: hue });
  cookie = await cookieFor(db, 'buuta.hung');
});
afterAll(() => database.close());
afterEach(() => {
  vi.useRealTimers();
});

/** Fakes only the clock (Date), never timers, so database drivers keep working. */
const clockAt = (iso: string) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at(iso));
};

const deliveryTask = async (opts: Parameters<typeof resultReadyDossier>[2] = {}) => {
  const d = await resultReadyDossier(server, db, opts);
  const task = await db.transaction((tx) =>
    ensureDeliveryTask(tx as unknown as Db, { dossierId: d.dossierId }),
  );
  return { ...d, task };
};

const stateOf = async (dossierId: string) =>
  (await db.select({ state: dossiers.state }).from(dossiers).where(eq(dossiers.id, dossierId)))[0]!.state;

const taskRow = async (id: string) =>
  (await db.select().from(courierTasks).where(eq(courierTasks.id, id)))[0]!;

const HERE = { lat: 16.4637, lng: 107.5909, accuracy: 8 };

const deliverAction = async (
  task: { id: string },
  opts: {
    version: number;
    idNumber: string;
    code?: string | null;
    mode?: 'self' | 'proxy';
    letter?: string | null;
  },
) => ({
  clientActionId: actionId(),
  taskId: task.id,
  taskVersion: opts.version,
  type: 'deliver' as const,
  deviceAt: new Date(),
  position: HERE,
  payload: {
    identity: {
      mode: opts.mode ?? 'self',
      idNumber: opts.idNumber,
      source: 'typed',
      ...(opts.mode === 'proxy'
        ? { proxyName: 'Lê Văn Tám', ...(opts.letter ? { letterPhotoSha256: opts.letter } : {}) }
        : {}),
    },
    ...(opts.code ? { otpCode: opts.code } : {}),
    signatureSha256: await uploadPhoto(server, cookie),
    photoSha256s: [await uploadPhoto(server, cookie)],
    recovered: ['Giấy phép lái xe cũ'],
  },
});

describe('delivery tasks', () => {
  it('one open delivery task per dossier, with address, window, contact and J+n', async () => {
    const d = await resultReadyDossier(server, db, { window: 'afternoon' });
    const a = await db.transaction((tx) =>
      ensureDeliveryTask(tx as unknown as Db, { dossierId: d.dossierId }),
    );
    const b = await db.transaction((tx) =>
      ensureDeliveryTask(tx as unknown as Db, { dossierId: d.dossierId }),
    );
    expect(b.id).toBe(a.id);
    expect(a.kind).toBe('delivery');
    expect(a.address).toBe('45 Hùng Vương');
    expect(a.contactPhone).toBe(d.phone.replace(/\s/g, ''));
    expect(a.serviceLevel).toMatch(/^J\+[12]$/);
    expect(a.windowStart!.toISOString()).toMatch(/T06:30:00/); // 13:30 in Huế
    const count = await db.select().from(courierTasks).where(eq(courierTasks.dossierId, d.dossierId));
    expect(count).toHaveLength(1);
  });
});

describe('assigning and syncing', () => {
  it('a reassigned task gives the first courier a conflict with a Vietnamese explanation, never an overwrite', async () => {
    const d = await deliveryTask();
    const first = await supervisor.courier.assign({ taskId: d.task.id, courierId: hungId, day: DAY });
    expect(await stateOf(d.dossierId)).toBe('out_for_delivery');
    const mine = await hung.courier.today({ day: DAY });
    const seen = mine.tasks.find((t) => t.id === d.task.id)!;
    expect(seen.version).toBe(first.version);
    expect(seen.recipient).toEqual({ name: 'Trần Thị Mỹ Hạnh', idLast4: d.citizenId.slice(-4) });

    const second = await supervisor.courier.assign({ taskId: d.task.id, courierId: phuocId, day: DAY });
    expect(second.version).toBeGreaterThan(first.version);
    const code = await lastHandoverCode(db, d.dossierId);
    const { results } = await hung.courier.sync({
      actions: [await deliverAction(seen, { version: seen.version, idNumber: d.citizenId, code })],
    });
    expect(results[0]).toMatchObject({ status: 'conflict', code: 'COURIER_TASK_REASSIGNED' });
    expect(results[0]!.message).toBe(ERRORS.COURIER_TASK_REASSIGNED.vi);
    expect(await stateOf(d.dossierId)).toBe('out_for_delivery');
    expect(await db.select().from(courierProofs).where(eq(courierProofs.taskId, d.task.id))).toHaveLength(0);
    expect((await hung.courier.today({ day: DAY })).tasks.some((t) => t.id === d.task.id)).toBe(false);
    expect((await phuoc.courier.today({ day: DAY })).tasks.some((t) => t.id === d.task.id)).toBe(true);

    // The supervisor's own stale view is refused too.
    await expect(
      supervisor.courier.assign({ taskId: d.task.id, courierId: hungId, day: DAY, version: first.version }),
    ).rejects.toMatchObject({ cause: { code: 'COURIER_TASK_CHANGED' } });
  });

  it('applies actions in order; a re-sent action is a duplicate and changes nothing', async () => {
    const a = await deliveryTask();
    const b = await deliveryTask();
    const ta = await supervisor.courier.assign({ taskId: a.task.id, courierId: hungId, day: DAY });
    const tb = await supervisor.courier.assign({ taskId: b.task.id, courierId: hungId, day: DAY });
    const deliverA = await deliverAction(a.task, {
      version: ta.version,
      idNumber: a.citizenId,
      code: await lastHandoverCode(db, a.dossierId),
    });
    const failB = {
      clientActionId: actionId(),
      taskId: b.task.id,
      taskVersion: tb.version,
      type: 'fail' as const,
      deviceAt: new Date(),
      position: HERE,
      payload: { reason: 'absent', note: 'Gọi điện không nghe máy' },
    };
    // A second action on an already delivered task, queued after the first: applied in order, it conflicts.
    const failA = { ...failB, clientActionId: actionId(), taskId: a.task.id, taskVersion: ta.version };
    const first = await hung.courier.sync({ actions: [deliverA, failB, failA] });
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied', 'conflict']);
    expect(first.results[2]!.code).toBe('COURIER_TASK_CLOSED');
    expect(await stateOf(a.dossierId)).toBe('delivered');
    expect(await stateOf(b.dossierId)).toBe('delivery_failed');

    const again = await hung.courier.sync({ actions: [deliverA, failB] });
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.results[0]!.proofId).toBe(first.results[0]!.proofId);
    const proofs = await db.select().from(courierProofs).where(eq(courierProofs.taskId, a.task.id));
    expect(proofs).toHaveLength(1);
    expect(proofs[0]!.deviceAt).not.toBeNull();
    expect(proofs[0]!.lat).toBeCloseTo(HERE.lat);
    expect(proofs[0]!.otpVerified).toBe(true);
    const events = await db
      .select()
      .from(dossierEvents)
      .where(and(eq(dossierEvents.dossierId, a.dossierId), eq(dossierEvents.event, 'deliver')));
    expect(events).toHaveLength(1);
    expect(events[0]!.deviceAt).not.toBeNull();
    // The event keeps only the last 4 digits of the id number.
    expect(JSON.stringify(events[0]!.payload)).not.toContain(a.citizenId);

    // The proof-of-delivery PDF: the courier and the office see it; a courier of another office does not.
    const pdf = await server.app.request(`/field/proofs/${first.results[0]!.proofId}.pdf`, {
      headers: { cookie },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    const seen = inspectPdf(bytes);
    expect(seen.qpdfOk).toBe(true);
    expect(seen.flat).toContain('BIÊN BẢN GIAO KẾT QUẢ TẠI NHÀ');
    expect(seen.flat).toContain(a.code);
    expect(seen.flat).toContain('Giờ trên điện thoại bưu tá');
    expect(seen.flat).toContain('16.463700, 107.590900');
    expect(seen.flat).toContain(`****${a.citizenId.slice(-4)}`);
    expect(seen.flat).not.toContain(a.citizenId);
    mkdirSync('/tmp/shots', { recursive: true });
    writeFileSync('/tmp/shots/proof-delivery.pdf', bytes);
    const other = await cookieFor(db, 'buuta.tam');
    expect(
      (
        await server.app.request(`/field/proofs/${first.results[0]!.proofId}.pdf`, {
          headers: { cookie: other },
        })
      ).status,
    ).toBe(404);
  });

  it('refuses a wrong code, and after five wrong tries the right one no longer works', async () => {
    const d = await deliveryTask();
    const t = await supervisor.courier.assign({ taskId: d.task.id, courierId: hungId, day: DAY });
    const right = (await lastHandoverCode(db, d.dossierId))!;
    const wrong = right === '000000' ? '111111' : '000000';
    await expect(hung.courier.checkDeliveryCode({ taskId: d.task.id, code: wrong })).rejects.toMatchObject({
      cause: { code: 'OTP_INVALID' },
    });
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { results } = await hung.courier.sync({
        actions: [await deliverAction(d.task, { version: t.version, idNumber: d.citizenId, code: wrong })],
      });
      statuses.push(`${results[0]!.status}:${results[0]!.code}`);
    }
    expect(statuses.slice(0, 3)).toEqual(Array(3).fill('rejected:OTP_INVALID'));
    expect(statuses[3]).toBe('rejected:OTP_TOO_MANY_ATTEMPTS');
    const { results } = await hung.courier.sync({
      actions: [await deliverAction(d.task, { version: t.version, idNumber: d.citizenId, code: right })],
    });
    expect(results[0]!.status).toBe('rejected');
    expect(['OTP_INVALID', 'OTP_TOO_MANY_ATTEMPTS']).toContain(results[0]!.code);
    expect(await stateOf(d.dossierId)).toBe('out_for_delivery');
  });

  it('a code checked online at the door lets the queued delivery through without typing it again', async () => {
    const d = await deliveryTask();
    const t = await supervisor.courier.assign({ taskId: d.task.id, courierId: hungId, day: DAY });
    expect(
      await hung.courier.checkDeliveryCode({
        taskId: d.task.id,
        code: (await lastHandoverCode(db, d.dossierId))!,
      }),
    ).toEqual({ ok: true });
    const today = await hung.courier.today({ day: DAY });
    expect(today.tasks.find((x) => x.id === d.task.id)!.otpChecked).toBe(true);
    const { results } = await hung.courier.sync({
      actions: [await deliverAction(d.task, { version: t.version, idNumber: d.citizenId, code: null })],
    });
    expect(results[0]!.status).toBe('applied');
  });

  it('rejects an id number that is not the recipient’s; accepts a proxy with an authorisation letter', async () => {
    const d = await deliveryTask();
    const t = await supervisor.courier.assign({ taskId: d.task.id, courierId: hungId, day: DAY });
    const code = await lastHandoverCode(db, d.dossierId);
    const someoneElse = '046088012345' === d.citizenId ? '046088054321' : '046088012345';
    const mismatch = await hung.courier.sync({
      actions: [await deliverAction(d.task, { version: t.version, idNumber: someoneElse, code })],
    });
    expect(mismatch.results[0]).toMatchObject({ status: 'rejected', code: 'COURIER_ID_MISMATCH' });
    expect(mismatch.results[0]!.message).toBe(ERRORS.COURIER_ID_MISMATCH.vi);

    const noLetter = await hung.courier.sync({
      actions: [
        await deliverAction(d.task, { version: t.version, idNumber: someoneElse, code, mode: 'proxy' }),
      ],
    });
    expect(noLetter.results[0]).toMatchObject({ status: 'rejected', code: 'COURIER_PROXY_LETTER_REQUIRED' });

    const letter = await uploadPhoto(server, cookie);
    const proxy = await hung.courier.sync({
      actions: [
        await deliverAction(d.task, {
          version: t.version,
          idNumber: someoneElse,
          code,
          mode: 'proxy',
          letter,
        }),
      ],
    });
    expect(proxy.results[0]!.status).toBe('applied');
    expect(await stateOf(d.dossierId)).toBe('delivered');
    const [proof] = await db
      .select()
      .from(courierProofs)
      .where(eq(courierProofs.id, proxy.results[0]!.proofId!));
    expect(proof!.payload).toMatchObject({ identity: { mode: 'proxy', letterPhotoSha256: letter } });
  });

  it('refuses coordinates outside Vietnam, for a proof and for a new task', async () => {
    expect(inVietnam(16.4637, 107.5909)).toBe(true); // Huế
    expect(inVietnam(10.2, 103.96)).toBe(true); // Phú Quốc
    expect(inVietnam(13.75, 100.5)).toBe(false); // Bangkok
    expect(inVietnam(17.97, 102.6)).toBe(false); // Vientiane
    expect(inVietnam(11.56, 104.92)).toBe(false); // Phnom Penh
    const d = await deliveryTask();
    const t = await supervisor.courier.assign({ taskId: d.task.id, courierId: hungId, day: DAY });
    const action = await deliverAction(d.task, {
      version: t.version,
      idNumber: d.citizenId,
      code: await lastHandoverCode(db, d.dossierId),
    });
    const { results } = await hung.courier.sync({
      actions: [{ ...action, position: { lat: 13.75, lng: 100.5, accuracy: 5 } }],
    });
    expect(results[0]).toMatchObject({ status: 'rejected', code: 'COURIER_OUTSIDE_VIETNAM' });
    expect(await stateOf(d.dossierId)).toBe('out_for_delivery');
    await expect(
      db.transaction((tx) =>
        createPickupTask(tx as unknown as Db, {
          dossierId: d.dossierId,
          officeId: hue,
          address: '1 Rue de Rivoli, Paris',
          lat: 48.86,
          lng: 2.35,
          windowStart: null,
          windowEnd: null,
          contactName: null,
          contactPhone: null,
        }),
      ),
    ).rejects.toMatchObject({ code: 'COURIER_OUTSIDE_VIETNAM' });
  });
});

describe('uploads', () => {
  it('a 40 MB photo gets a clear 413; a photo uploaded twice is one file', async () => {
    const big = new Uint8Array(40 * 1024 * 1024);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const res = await server.app.request('/field/uploads', {
      method: 'POST',
      body: big,
      headers: { cookie, 'content-type': 'image/jpeg', 'content-length': String(big.byteLength) },
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('COURIER_UPLOAD_TOO_LARGE');
    expect(body.message).toContain('15 MB');

    const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer();
    const send = () =>
      server.app.request('/field/uploads', {
        method: 'POST',
        body: jpeg,
        headers: { cookie, 'content-type': 'image/jpeg' },
      });
    const a = (await (await send()).json()) as { sha256: string };
    const b = (await (await send()).json()) as { sha256: string };
    expect(a.sha256).toBe(b.sha256);

    const pdf = await server.app.request('/field/uploads', {
      method: 'POST',
      body: new TextEncoder().encode('%PDF-1.4 not a photo'),
      headers: { cookie },
    });
    expect(pdf.status).toBe(400);
    expect(((await pdf.json()) as { code: string }).code).toBe('COURIER_UPLOAD_TYPE');

    const huge = await sharp({ create: { width: 9000, height: 5000, channels: 3, background: '#ffffff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const pixels = await server.app.request('/field/uploads', {
      method: 'POST',
      body: huge,
      headers: { cookie },
    });
    expect(pixels.status).toBe(413);
    expect(((await pixels.json()) as { code: string }).code).toBe('COURIER_UPLOAD_PIXELS');

    const clerk = await cookieFor(db, 'gdv.hang');
    expect(
      (await server.app.request('/field/uploads', { method: 'POST', body: jpeg, headers: { cookie: clerk } }))
        .status,
    ).toBe(403);
  });
});

describe('failed deliveries', () => {
  it('two invitations 2 working days apart, then the result goes back to the agency', async () => {
    const d = await deliveryTask();
    clockAt('2026-11-24T09:00:00+07:00'); // Tuesday
    const t1 = await supervisor.courier.assign({ taskId: d.task.id, courierId: hungId, day: '2026-11-24' });
    const fail = (version: number) => ({
      clientActionId: actionId(),
      taskId: d.task.id,
      taskVersion: version,
      type: 'fail' as const,
      deviceAt: new Date(),
      position: HERE,
      payload: { reason: 'absent', invitationLeft: true },
    });
    const first = await hung.courier.sync({ actions: [fail(t1.version)] });
    expect(first.results[0]).toMatchObject({ status: 'applied', returnedToAgency: false });
    expect(first.results[0]!.nextAttemptAfter!.toISOString()).toBe('2026-11-26T02:00:00.000Z'); // Thu 09:00
    expect(await stateOf(d.dossierId)).toBe('delivery_failed');
    expect((await taskRow(d.task.id)).attempts).toBe(1);

    clockAt('2026-11-25T10:00:00+07:00'); // Wednesday: too soon
    await expect(
      supervisor.courier.assign({ taskId: d.task.id, courierId: hungId, day: '2026-11-25' }),
    ).rejects.toMatchObject({
      cause: { code: 'GUARD_FAILED', details: { reason: 'DELIVERY_RETRY_TOO_SOON' } },
    });
    const list = await supervisor.courier.list({ day: '2026-11-25' });
    expect(list.tasks.find((x) => x.id === d.task.id)!.plannable).toBe(false);

    clockAt('2026-11-26T09:30:00+07:00'); // Thursday
    expect(
      (await supervisor.courier.list({ day: '2026-11-26' })).tasks.find((x) => x.id === d.task.id)!.plannable,
    ).toBe(true);
    const t2 = await supervisor.courier.assign({ taskId: d.task.id, courierId: hungId, day: '2026-11-26' });
    expect(await stateOf(d.dossierId)).toBe('out_for_delivery');
    const second = await hung.courier.sync({ actions: [fail(t2.version)] });
    expect(second.results[0]).toMatchObject({ status: 'applied', returnedToAgency: true });
    expect(await stateOf(d.dossierId)).toBe('returned_to_agency');
    await expect(
      supervisor.courier.assign({ taskId: d.task.id, courierId: hungId, day: '2026-11-30' }),
    ).rejects.toMatchObject({ cause: { code: 'COURIER_TASK_CLOSED' } });
    const events = await db
      .select({ event: dossierEvents.event, actorKind: dossierEvents.actorKind })
      .from(dossierEvents)
      .where(eq(dossierEvents.dossierId, d.dossierId));
    expect(events.map((e) => e.event).slice(-5)).toEqual([
      'dispatch',
      'fail_delivery',
      'dispatch',
      'fail_delivery',
      'return_to_agency',
    ]);
  });
});

describe('planning', () => {
  it('an infeasible day says which stops cannot be served and why', async () => {
    const day = '2026-12-01';
    const ok = await deliveryTask({ window: 'morning' });
    const far = await deliveryTask({ lat: 16.2912, lng: 107.8871, window: 'any' }); // Phú Lộc, reachable
    const noPosition = await resultReadyDossier(server, db);
    const np = await db.transaction((tx) =>
      ensureDeliveryTask(tx as unknown as Db, { dossierId: noPosition.dossierId }),
    );
    await db.update(courierTasks).set({ lat: null, lng: null }).where(eq(courierTasks.id, np.id));
    // A pickup the citizen wants at 06:00–06:30, before any courier leaves the post office.
    const early = await resultReadyDossier(server, db);
    const tooEarly = await db.transaction((tx) =>
      createPickupTask(tx as unknown as Db, {
        dossierId: early.dossierId,
        officeId: hue,
        address: '3 Lê Lợi, Huế',
        lat: 16.47,
        lng: 107.6,
        windowStart: new Date(`${day}T06:00:00+07:00`),
        windowEnd: new Date(`${day}T06:30:00+07:00`),
        contactName: 'Nguyễn Văn A',
        contactPhone: '0905000111',
      }),
    );
    // The early "pickup" sits on a dossier that is not awaiting pickup; make it look like one.
    await db.update(dossiers).set({ state: 'pickup_requested' }).where(eq(dossiers.id, early.dossierId));

    const plan = await supervisor.courier.plan({ day, timeLimitMs: 300 });
    const routed = plan.routes.flatMap((r) => r.stops.map((s) => s.taskId));
    expect(routed).toContain(ok.task.id);
    expect(routed).toContain(far.task.id);
    const why = new Map(plan.unassigned.map((u) => [u.taskId, u]));
    expect(why.get(np.id)!.reason).toBe('INVALID_STOP');
    expect(why.get(np.id)!.vi).toContain('tọa độ');
    expect(why.get(tooEarly.id)!.reason).toBe('TIME_WINDOW_UNREACHABLE');
    expect(why.get(tooEarly.id)!.vi).toContain('khung giờ');
    for (const r of plan.routes) {
      expect(r.distanceM).toBeGreaterThan(0);
      expect(r.stops.every((s, i) => s.sequence === i + 1)).toBe(true);
    }

    // Accepting assigns every routed task in order and stores the routes.
    const accepted = await supervisor.courier.acceptPlan({
      day,
      routes: plan.routes.map((r) => ({ courierId: r.courierId, distanceM: r.distanceM, stops: r.stops })),
    });
    expect(accepted.errors).toEqual([]);
    expect(accepted.assigned).toBe(routed.length);
    expect((await taskRow(ok.task.id)).state).toBe('assigned');
    expect((await taskRow(ok.task.id)).sequence).toBeGreaterThan(0);
    const courierOf = plan.routes.find((r) => r.stops.some((s) => s.taskId === ok.task.id))!.courierId;
    const caller = courierOf === hungId ? hung : phuoc;
    const today = await caller.courier.today({ day });
    expect(today.route!.path.length).toBeGreaterThan(2);
    expect(today.tasks.find((x) => x.id === ok.task.id)!.eta).not.toBeNull();
  });

  it('re-plans mid-day: a failed stop leaves the route, a task added since the morning is inserted', async () => {
    const day = '2026-12-02'; // Wednesday
    clockAt(`${day}T07:00:00+07:00`);
    const morning = [];
    for (const [lat, lng] of [
      [16.47, 107.6],
      [16.455, 107.58],
      [16.46, 107.61],
    ] as const) {
      morning.push(await deliveryTask({ lat, lng, window: 'any' }));
    }
    const plan = await supervisor.courier.plan({ day, timeLimitMs: 200, courierIds: [hungId] });
    const mine = plan.routes.find((r) => r.courierId === hungId)!;
    const ids = morning.map((m) => m.task.id);
    const ours = { ...mine, stops: mine.stops.filter((s) => ids.includes(s.taskId)) };
    const accepted = await supervisor.courier.acceptPlan({
      day,
      routes: [{ courierId: hungId, distanceM: ours.distanceM, stops: ours.stops }],
    });
    expect(accepted.errors).toEqual([]);

    // 10:00: the first stop of the route failed (nobody home); a new result is ready meanwhile.
    clockAt(`${day}T10:00:00+07:00`);
    const first = ours.stops[0]!;
    const { results } = await hung.courier.sync({
      actions: [
        {
          clientActionId: actionId(),
          taskId: first.taskId,
          taskVersion: (await taskRow(first.taskId)).version,
          type: 'fail',
          deviceAt: new Date(),
          position: HERE,
          payload: { reason: 'absent' },
        },
      ],
    });
    expect(results[0]!.status).toBe('applied');
    const added = await deliveryTask({ lat: 16.465, lng: 107.595, window: 'afternoon' });
    const again = await supervisor.courier.replan({ day });
    const routed = again.routes.flatMap((r) => r.stops.map((s) => s.taskId));
    expect(routed).toContain(added.task.id);
    expect(routed).not.toContain(first.taskId);
    expect(again.unassigned.find((u) => u.taskId === first.taskId)?.reason).toBe('STOP_FAILED');
    for (const r of again.routes) {
      for (const s of r.stops)
        expect(new Date(s.eta).getTime()).toBeGreaterThanOrEqual(new Date(`${day}T10:00:00+07:00`).getTime());
    }
  });
});
