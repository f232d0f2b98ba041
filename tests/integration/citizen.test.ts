import { randomUUID } from 'node:crypto';
import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applicants,
  courierTasks,
  dossierEvents,
  dossiers,
  offices,
  outbox,
  users,
} from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { textedCode } from '../helpers/texted-code';
import { driveTo } from './citizen-helpers';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let commune: string;
type Detail = Parameters<typeof intakeFor>[0];
let lltp: Detail;

const latestCode = async (phone: string) => {
  const code = await textedCode(
    database.db,
    and(
      eq(outbox.topic, 'notify.sms'),
      like(outbox.idempotencyKey, 'notify.sms:otp:%'),
      eq(sql`${outbox.payload}->>'to'`, phone),
    )!,
    /\b(\d{6})\b/,
  );
  expect(code).not.toBeNull();
  return code!;
};

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  const clerk = await server.callerAs('gdv.hang');
  lltp = await clerk.catalog.procedure({ code: '3.000333' });
  commune = (await clerk.catalog.communes())[0]!.code;
});
afterAll(() => database.close());

describe('home pickup of a new dossier', () => {
  it('a confirmed request makes a pickup_requested dossier at the post office serving the commune, and its courier task', async () => {
    const citizen = await server.callerAs(null);
    const phone = '0388 111 222';
    const days = await citizen.citizen.pickupDays();
    expect(days).toHaveLength(7);
    const sent = await citizen.citizen.pickupCode({ procedureCode: '3.000333', phone });
    expect(sent.sentTo).toMatch(/^038•+222$/);
    const code = await latestCode('0388111222');
    const input = {
      procedureCode: '3.000333',
      fullName: 'Lê Văn Bình',
      phone,
      otp: code,
      address: { line: '133 Lý Thánh Tông', communeCode: '20107' },
      lat: 16.29,
      lng: 107.88,
      day: days[1]!,
      window: 'afternoon' as const,
      deliverResult: true,
      clientKey: randomUUID(),
    };
    const booked = await citizen.citizen.requestPickup(input);
    expect(booked).toMatchObject({
      state: 'pickup_requested',
      replayed: false,
      officeName: 'Bưu điện xã Phú Lộc',
    });
    expect(booked.windowStart!.toISOString()).toBe(new Date(`${days[1]}T13:30:00+07:00`).toISOString());
    const [d] = await database.db.select().from(dossiers).where(eq(dossiers.id, booked.dossierId));
    const [office] = await database.db.select().from(offices).where(eq(offices.id, d!.receivingOfficeId));
    expect(office!.code).toBe('H57.90.04');
    expect(d).toMatchObject({ channel: 3, returnMethod: 1, state: 'pickup_requested' });
    const [event] = await database.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, d!.id));
    expect(event).toMatchObject({ event: 'request_pickup', actorKind: 'citizen' });
    const [applicant] = await database.db.select().from(applicants).where(eq(applicants.id, d!.applicantId!));
    expect(applicant!.phone).toBe('0388111222');
    const [task] = await database.db.select().from(courierTasks).where(eq(courierTasks.dossierId, d!.id));
    expect(task).toMatchObject({
      kind: 'pickup',
      state: 'open',
      contactPhone: '0388111222',
      officeId: office!.id,
    });
    expect((task!.collect as { documents: unknown[] }).documents.length).toBe(lltp.components.length);
    // A retry (lost answer) finds the same dossier; the code is not needed again.
    const again = await citizen.citizen.requestPickup({ ...input, otp: '000000' });
    expect(again).toMatchObject({ dossierId: booked.dossierId, replayed: true });
  });

  it('needs the code sent to the phone typed, and a procedure that allows pickup', async () => {
    const citizen = await server.callerAs(null);
    const days = await citizen.citizen.pickupDays();
    await citizen.citizen.pickupCode({ procedureCode: '3.000333', phone: '0388333444' });
    const base = {
      procedureCode: '3.000333',
      fullName: 'Lê Văn Bình',
      phone: '0388333444',
      address: { line: '1 Lê Lợi', communeCode: commune },
      day: days[0]!,
      window: 'morning' as const,
      deliverResult: false,
    };
    await expect(
      citizen.citizen.requestPickup({ ...base, otp: '000001', clientKey: randomUUID() }),
    ).rejects.toMatchObject({
      cause: { code: 'OTP_INVALID' },
    });
    await expect(
      citizen.citizen.requestPickup({
        ...base,
        otp: await latestCode('0388333444'),
        day: '2020-01-01',
        clientKey: randomUUID(),
      }),
    ).rejects.toMatchObject({ cause: { code: 'PICKUP_DAY_INVALID' } });
    await expect(
      citizen.citizen.pickupCode({ procedureCode: '2.000815', phone: '0388333444' }),
    ).rejects.toMatchObject({
      cause: { code: 'PICKUP_NOT_ALLOWED' },
    });
  });
});

describe('home delivery of a result, from the track page', () => {
  it('when the result is ready, asking for delivery makes the courier task at once', async () => {
    const clerk = await server.callerAs('gdv.hang');
    const r = await clerk.intake.submit(intakeFor(lltp, commune));
    await driveTo(database.db, r.dossierId, 'release_result');
    const citizen = await server.callerAs(null);
    const before = await citizen.citizen.track({ code: r.code!, phone: '0905123456' });
    expect(before.actions).toMatchObject({ askDelivery: true, rate: false });
    await citizen.citizen.deliveryCode({ code: r.code!, phone: '0905123456' });
    await expect(
      citizen.citizen.requestDelivery({
        code: r.code!,
        phone: '0905123456',
        otp: '999999',
        address: { line: '5 Hùng Vương', communeCode: commune },
        window: 'afternoon',
      }),
    ).rejects.toMatchObject({ cause: { code: 'OTP_INVALID' } });
    const done = await citizen.citizen.requestDelivery({
      code: r.code!,
      phone: '0905123456',
      otp: await latestCode('0905123456'),
      address: { line: '5 Hùng Vương', communeCode: commune },
      window: 'afternoon',
    });
    expect(done).toMatchObject({ returnMethod: 1, taskCreated: true });
    const [d] = await database.db.select().from(dossiers).where(eq(dossiers.id, r.dossierId));
    expect(d!.returnMethod).toBe(1);
    expect(d!.deliveryAddress).toMatchObject({ line: '5 Hùng Vương', window: 'afternoon' });
    const tasks = await database.db
      .select()
      .from(courierTasks)
      .where(eq(courierTasks.dossierId, r.dossierId));
    expect(tasks.map((t) => t.kind)).toEqual(['delivery']);
    const after = await citizen.citizen.track({ code: r.code!, phone: '0905123456' });
    expect(after.actions.askDelivery).toBe(false);
    expect(after.delivery).toMatchObject({ window: 'afternoon' });
    // The fee billed at the desk and now the tariff, to pay online from here or to the courier.
    expect(after.bills).toEqual([
      { kind: 'fee', amount: r.fees.total, payPath: expect.stringMatching(/^\/pay\/HD[0-9A-Z]{16}$/) },
      {
        kind: 'postal_tariff',
        amount: after.actions.postalTariff,
        payPath: expect.stringMatching(/^\/pay\/HD[0-9A-Z]{16}$/),
      },
    ]);
  });

  it('shows the courier’s progress as stops before yours, never a position, and the bills to pay online', async () => {
    const clerk = await server.callerAs('gdv.hang');
    const mine = await clerk.intake.submit(
      intakeFor(lltp, commune, {
        returnMethod: 'post',
        delivery: { address: { line: '7 Lê Lợi', communeCode: commune }, window: 'morning' },
      } as never),
    );
    const others = await Promise.all([1, 2, 3].map(() => clerk.intake.submit(intakeFor(lltp, commune))));
    const [courier] = await database.db.select().from(users).where(eq(users.username, 'buuta.hung'));
    const [d] = await database.db.select().from(dossiers).where(eq(dossiers.id, mine.dossierId));
    const day = '2026-11-24';
    const task = (dossierId: string, sequence: number, state: 'assigned' | 'done') => ({
      dossierId,
      officeId: d!.receivingOfficeId,
      kind: 'delivery' as const,
      state,
      address: 'elsewhere',
      lat: 16.4 + sequence / 100,
      lng: 107.5,
      courierId: courier!.id,
      routeDay: day,
      sequence,
      windowStart: new Date(`${day}T07:30:00+07:00`),
      windowEnd: new Date(`${day}T11:30:00+07:00`),
    });
    await database.db
      .insert(courierTasks)
      .values([
        task(others[0]!.dossierId, 1, 'done'),
        task(others[1]!.dossierId, 2, 'assigned'),
        task(others[2]!.dossierId, 3, 'assigned'),
        task(mine.dossierId, 4, 'assigned'),
      ]);
    const citizen = await server.callerAs(null);
    const tracked = await citizen.citizen.track({ code: mine.code!, phone: '0905123456' });
    expect(tracked.delivery!.progress).toMatchObject({ stopsBefore: 2, state: 'assigned' });
    // The fee and the postage billed at the desk when the dossier was received for delivery by post.
    expect(tracked.bills).toEqual(
      mine.bills.map((b) => ({ kind: b.kind, amount: b.amount, payPath: `/pay/${b.billCode}` })),
    );
    expect(tracked.bills.map((b) => b.kind)).toEqual(['fee', 'postal_tariff']);
    const text = JSON.stringify(tracked);
    expect(text).not.toMatch(/"lat"|"lng"|elsewhere|courierId|buuta/);
  });
});
