import { mkdirSync, writeFileSync } from 'node:fs';
import { DEFAULT_OFFICE_HOURS, dueAt } from '@postdesk/shared';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPickupTask } from '../../server/src/courier/tasks';
import type { Db } from '../../server/src/db/client';
import {
  courierProofs,
  courierTasks,
  dossierEvents,
  dossiers,
  procedures,
  procedureVersions,
} from '../../server/src/db/schema';
import { createDossier } from '../../server/src/dossiers/engine';
import { loadHolidayTables } from '../../server/src/intake/holidays';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { inspectPdf } from '../helpers/pdf';
import { intakeFor } from '../helpers/intake';
import { actionId, addCourier, cookieFor, officeId, uploadPhoto } from './courier-setup';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let db: Db;
let hue: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  server = createTestServer(db);
  hue = await officeId(db);
});
afterAll(() => database.close());
afterEach(() => {
  vi.useRealTimers();
});

const clockAt = (iso: string) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
};

/** What the citizen request (or the desk, or the portal) does: a `request_pickup` dossier and its task. */
const requestPickup = async (procedureCode: string) => {
  const [p] = await db
    .select({ id: procedures.id, agencyId: procedures.agencyId, versionId: procedureVersions.id })
    .from(procedures)
    .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
    .where(eq(procedures.code, procedureCode))
    .orderBy(desc(procedureVersions.version))
    .limit(1);
  return db.transaction(async (raw) => {
    const tx = raw as unknown as Db;
    const dossier = await createDossier(tx, {
      event: 'request_pickup',
      actor: { kind: 'citizen' },
      payload: { window: 'morning' },
      values: {
        procedureId: p!.id,
        procedureVersionId: p!.versionId,
        receivingOfficeId: hue,
        agencyId: p!.agencyId,
        channel: 3,
        returnMethod: 0,
      },
    });
    const task = await createPickupTask(tx, {
      dossierId: dossier.id,
      officeId: hue,
      address: '27 Nguyễn Huệ, phường Thuận Hóa, Huế',
      lat: 16.4615,
      lng: 107.5951,
      windowStart: new Date('2026-11-24T08:00:00+07:00'),
      windowEnd: new Date('2026-11-24T10:00:00+07:00'),
      contactName: 'Trần Thị Mỹ Hạnh',
      contactPhone: '0905123456',
      collect: { fees: [{ label: 'Lệ phí', amount: 100000 }] },
    });
    return { dossier, task };
  });
};

describe('home pickup, end to end', () => {
  it('request → assign → pick up at the door → the desk receives it, the clock starting at the hand-over', async () => {
    const hung = await addCourier(db, 'buuta.hung', hue);
    const { dossier, task } = await requestPickup('3.000333');
    expect(dossier.state).toBe('pickup_requested');
    expect(task.serviceLevel).toMatch(/^J\+\d$/);
    // Idempotent: the same request again finds the same task.
    const again = await db.transaction((tx) =>
      createPickupTask(tx as unknown as Db, {
        dossierId: dossier.id,
        officeId: hue,
        address: 'x',
        lat: 16.46,
        lng: 107.59,
        windowStart: null,
        windowEnd: null,
        contactName: null,
        contactPhone: null,
      }),
    );
    expect(again.id).toBe(task.id);

    clockAt('2026-11-24T07:45:00+07:00');
    const supervisor = await server.callerAs('giamsat.nguyet', { officeHint: hue });
    const listed = await supervisor.courier.list({ day: '2026-11-24' });
    expect(listed.tasks.find((t) => t.id === task.id)).toMatchObject({
      kind: 'pickup',
      state: 'open',
      plannable: true,
    });
    const assigned = await supervisor.courier.assign({ taskId: task.id, courierId: hung, day: '2026-11-24' });
    const [afterAssign] = await db.select().from(dossiers).where(eq(dossiers.id, dossier.id));
    expect(afterAssign!.state).toBe('pickup_assigned');

    const courier = await server.callerAs('buuta.hung', { officeHint: hue });
    const today = await courier.courier.today({ day: '2026-11-24' });
    const seen = today.tasks.find((t) => t.id === task.id)!;
    expect(seen.components!.length).toBeGreaterThan(0);
    expect(seen.components![0]).toMatchObject({ form: expect.stringMatching(/original|copy/) });
    expect(seen.recipient).toBeNull();
    expect(today.office.name).toBe('Bưu điện thành phố Huế');

    // At the door, 09:10: checklist, photos, the citizen's signature on the dispatch note, the seal, cash.
    clockAt('2026-11-24T09:10:00+07:00');
    const cookie = await cookieFor(db, 'buuta.hung');
    const signature = await uploadPhoto(server, cookie);
    const photo = await uploadPhoto(server, cookie);
    const pickup = {
      clientActionId: actionId(),
      taskId: task.id,
      taskVersion: assigned.version,
      type: 'pickup' as const,
      deviceAt: new Date('2026-11-24T09:09:30+07:00'),
      position: { lat: 16.4616, lng: 107.5952, accuracy: 6 },
      payload: {
        checklist: seen.components!.map((c) => ({
          code: c.code,
          present: true,
          form: c.form,
          copies: c.copies,
        })),
        photoSha256s: [photo],
        signatureSha256: signature,
        sealNumber: 'NP-000123',
        fees: { method: 'cash', amount: 100000 },
      },
    };
    // An incomplete checklist is refused with what to do.
    const partial = await courier.courier.sync({
      actions: [{ ...pickup, clientActionId: actionId(), payload: { ...pickup.payload, checklist: [] } }],
    });
    expect(partial.results[0]).toMatchObject({ status: 'rejected', code: 'COURIER_CHECKLIST_REQUIRED' });
    const done = await courier.courier.sync({ actions: [pickup] });
    expect(done.results[0]!.status).toBe('applied');
    const [afterPickup] = await db.select().from(dossiers).where(eq(dossiers.id, dossier.id));
    expect(afterPickup!.state).toBe('picked_up');
    expect(afterPickup!.receivedAt).toBeNull();
    const [proof] = await db.select().from(courierProofs).where(eq(courierProofs.taskId, task.id));
    expect(proof!.deviceAt!.toISOString()).toBe('2026-11-24T02:09:30.000Z');
    expect(proof!.serverAt.toISOString()).toBe('2026-11-24T02:10:00.000Z');
    expect((await db.select().from(courierTasks).where(eq(courierTasks.id, task.id)))[0]!.state).toBe('done');

    // The dispatch note (Phiếu gửi hồ sơ) PDF.
    const pdf = await server.app.request(`/field/proofs/${proof!.id}.pdf`, { headers: { cookie } });
    expect(pdf.status).toBe(200);
    const note = new Uint8Array(await pdf.arrayBuffer());
    const read = inspectPdf(note);
    expect(read.qpdfOk).toBe(true);
    expect(read.flat).toContain('PHIẾU GỬI HỒ SƠ');
    expect(read.flat).toContain('NP-000123');
    expect(read.flat).toContain('09 giờ 09 phút');
    expect(read.flat).toContain('09 giờ 10 phút');
    mkdirSync('/tmp/shots', { recursive: true });
    writeFileSync('/tmp/shots/proof-pickup.pdf', note);
    const clerkCookie = await cookieFor(db, 'gdv.hang');
    expect(
      (await server.app.request(`/field/proofs/${proof!.id}.pdf`, { headers: { cookie: clerkCookie } }))
        .status,
    ).toBe(200);

    // 16:20 the courier hands the sealed dossier over at the desk: that is the legal submission time.
    clockAt('2026-11-24T16:20:00+07:00');
    const clerk = await server.callerAs('gdv.hang');
    const waiting = await clerk.courier.pickedUp();
    expect(waiting.find((w) => w.dossierId === dossier.id)).toMatchObject({
      sealNumber: 'NP-000123',
      proofId: proof!.id,
    });
    const procedure = await clerk.catalog.procedure({ code: '3.000333' });
    const commune = (await clerk.catalog.communes())[0]!.code;
    const input = { ...intakeFor(procedure, commune), pickedUpDossierId: dossier.id };
    const received = await clerk.intake.submit(input);
    expect(received.dossierId).toBe(dossier.id);
    expect(received.state).toBe('received');
    expect(received.receivedAt!.toISOString()).toBe('2026-11-24T09:20:00.000Z');
    const holidays = await loadHolidayTables(db);
    const [version] = await db
      .select({ hours: procedureVersions.processingHours })
      .from(procedureVersions)
      .where(eq(procedureVersions.id, procedure.versionId));
    expect(received.dueAt!.toISOString()).toBe(
      dueAt(new Date('2026-11-24T16:20:00+07:00'), version!.hours, {
        holidays,
        hours: DEFAULT_OFFICE_HOURS,
      }).toISOString(),
    );
    const [row] = await db.select().from(dossiers).where(eq(dossiers.id, dossier.id));
    expect(row!.channel).toBe(3);
    const [start] = await db
      .select()
      .from(dossierEvents)
      .where(and(eq(dossierEvents.dossierId, dossier.id), eq(dossierEvents.event, 'start_intake')));
    expect(start!.fromState).toBe('picked_up');
    expect(start!.payload).toMatchObject({ handOverAt: '2026-11-24T09:20:00.000Z', sealNumber: 'NP-000123' });
    // A retried submit returns the same result, not a second dossier.
    const replayed = await clerk.intake.submit({ ...input, clientKey: `${input.clientKey}-retry` });
    expect(replayed.dossierId).toBe(dossier.id);
    expect(replayed.replayed).toBe(true);
    expect((await clerk.courier.pickedUp()).some((w) => w.dossierId === dossier.id)).toBe(false);
  });
});
