import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { desks, offices, queueGroups, queueTickets } from '../../server/src/db/schema';
import { applyRetention } from '../../server/src/jobs/maintenance';
import { kioskKey } from '../../server/src/queue/router';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
type Groups = Record<'A' | 'B' | 'C' | 'D', string>;
let office: { id: string; desks: string[]; groups: Groups };
let otherOffice: { id: string; desks: string[] };

/** Monday 31/08/2026 at `hhmm` in Huế; 1–2/9 are the National Day holidays. */
const at = (hhmm: string, date = '2026-08-31') => new Date(`${date}T${hhmm}:00+07:00`);
const setNow = (d: Date) => vi.setSystemTime(d);

const officeOf = async (code: string) => {
  const [o] = await database.db.select({ id: offices.id }).from(offices).where(eq(offices.code, code));
  const ds = await database.db
    .select({ id: desks.id })
    .from(desks)
    .where(eq(desks.officeId, o!.id))
    .orderBy(desks.name);
  const gs = await database.db
    .select({ id: queueGroups.id, code: queueGroups.code })
    .from(queueGroups)
    .where(eq(queueGroups.officeId, o!.id));
  return {
    id: o!.id,
    desks: ds.map((d) => d.id),
    groups: Object.fromEntries(gs.map((g) => [g.code, g.id])) as Groups,
  };
};

type Body = {
  result?: { data: { json: Record<string, unknown> } };
  error?: { json: { message: string; data: { appCode: string; messageEn: string } } };
};
const post = async (path: string, input: unknown, ip: string) => {
  const res = await server.app.request(`/trpc/${path}`, {
    method: 'POST',
    headers: { 'x-forwarded-for': ip, 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
  return { status: res.status, body: (await res.json()) as Body };
};

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  office = await officeOf('H57.90.01');
  otherOffice = await officeOf('H57.90.02');
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db.execute(sql`delete from queue_tickets; delete from queue_counters`);
  vi.useFakeTimers({ toFake: ['Date'] });
  setNow(at('09:00'));
});
afterEach(() => {
  vi.useRealTimers();
});

const anyone = () => server.callerAs(null);
const clerk = () => server.callerAs('gdv.hang');
const kiosk = async (input: Record<string, unknown>) =>
  (await anyone()).queue.kioskTicket({
    officeId: office.id,
    key: kioskKey(server.env.SESSION_SECRET, office.id),
    groupId: office.groups.A,
    ...input,
  });

describe('taking a number', () => {
  it('the kiosk prints consecutive numbers per group; a kiosk without the office’s key prints nothing', async () => {
    expect((await kiosk({})).label).toBe('A001');
    expect((await kiosk({})).label).toBe('A002');
    expect((await kiosk({ groupId: office.groups.B })).label).toBe('B001');
    const forged = kiosk({ key: 'x'.repeat(22) });
    await expect(forged).rejects.toMatchObject({ cause: { code: 'QUEUE_KIOSK_KEY_INVALID' } });
    const before = await database.db.select({ id: queueTickets.id }).from(queueTickets);
    expect(before).toHaveLength(3);
  });

  it('a number named by its procedure lands in the group serving the procedure’s field', async () => {
    // 3.000333 (phiếu lý lịch tư pháp) is in the field "Lý lịch tư pháp" of group A.
    const t = await kiosk({ groupId: undefined, procedureCode: '3.000333' });
    expect(t.label).toBe('A001');
  });

  it('a phone holds one open number per office; the address and the phone have budgets over HTTP', async () => {
    const take = { officeId: office.id, groupId: office.groups.A, phone: '0905 111 222' };
    const first = await post('queue.phoneTicket', take, '10.9.0.1');
    expect(first.status).toBe(200);
    const again = await post('queue.phoneTicket', take, '10.9.0.2');
    expect(again.status).toBe(409);
    expect(again.body.error!.json.data.appCode).toBe('QUEUE_ALREADY_WAITING');
    expect(again.body.error!.json.message).toContain('đã có một số thứ tự');
    // One address, many phones: the sixth in an hour is refused.
    const flood = [];
    for (let i = 0; i < 6; i++)
      flood.push(await post('queue.phoneTicket', { ...take, phone: `0912 000 10${i}` }, '10.9.0.9'));
    expect(flood.slice(0, 5).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(flood[5]!.status).toBe(429);
    expect(flood[5]!.body.error!.json.data.messageEn).toContain('Too many attempts');
    // One phone, many addresses: after its daily budget no more numbers (even once its number is served).
    const phone = '0935 222 333';
    const results = [];
    for (let i = 0; i < 5; i++) {
      await database.db.execute(sql`update queue_tickets set status = 'done' where phone = '0935222333'`);
      results.push((await post('queue.phoneTicket', { ...take, phone }, `10.9.1.${i}`)).status);
    }
    expect(results).toEqual([200, 200, 200, 200, 429]);
    const issued = await database.db.select({ id: queueTickets.id }).from(queueTickets);
    expect(issued).toHaveLength(1 + 5 + 4);
  });

  it('numbers are not issued on a holiday or after closing time', async () => {
    setNow(at('10:00', '2026-09-02'));
    await expect(kiosk({})).rejects.toMatchObject({ cause: { code: 'QUEUE_OFFICE_CLOSED' } });
    setNow(at('17:30'));
    await expect(kiosk({})).rejects.toMatchObject({ cause: { code: 'QUEUE_OFFICE_CLOSED' } });
    expect(await database.db.select({ id: queueTickets.id }).from(queueTickets)).toHaveLength(0);
  });
});

describe('booking a slot ahead', () => {
  const book = async (slot: Date, phone = '0905 333 444') =>
    (await anyone()).queue.book({ officeId: office.id, groupId: office.groups.A, phone, slotStart: slot });

  it('refuses a holiday, the lunch break, a time off the slot grid and the past, in both languages', async () => {
    const holiday = await post(
      'queue.book',
      {
        officeId: office.id,
        groupId: office.groups.A,
        phone: '0905 333 444',
        slotStart: at('09:00', '2026-09-02'),
      },
      '10.8.0.1',
    );
    expect(holiday.status).toBe(422);
    expect(holiday.body.error!.json.data.appCode).toBe('QUEUE_SLOT_HOLIDAY');
    expect(holiday.body.error!.json.message).toContain('ngày nghỉ');
    expect(holiday.body.error!.json.data.messageEn).toContain('public holiday');
    await expect(book(at('12:00', '2026-09-03'))).rejects.toMatchObject({
      cause: { code: 'QUEUE_SLOT_OUTSIDE_HOURS' },
    });
    await expect(book(at('09:07', '2026-09-03'))).rejects.toMatchObject({
      cause: { code: 'QUEUE_SLOT_OUTSIDE_HOURS' },
    });
    await expect(book(at('16:50', '2026-09-03'))).rejects.toMatchObject({
      cause: { code: 'QUEUE_SLOT_OUTSIDE_HOURS' },
    });
    await expect(book(at('08:00'))).rejects.toMatchObject({ cause: { code: 'QUEUE_SLOT_PAST' } });
    await expect(book(at('09:00', '2026-09-05'))).rejects.toMatchObject({
      cause: { code: 'QUEUE_SLOT_HOLIDAY' },
    });
    expect(await database.db.select({ id: queueTickets.id }).from(queueTickets)).toHaveLength(0);
  });

  it('lists the day’s slots in office hours and fills one slot to its capacity', async () => {
    const slots = await (await anyone()).queue.slots({
      officeId: office.id,
      groupId: office.groups.A,
      date: '2026-09-03',
    });
    // 07:00–11:30 and 13:30–17:00 in 15-minute slots.
    expect(slots).toHaveLength(18 + 14);
    await expect(
      (await anyone()).queue.slots({ officeId: office.id, groupId: office.groups.A, date: '2026-09-01' }),
    ).rejects.toMatchObject({
      cause: { code: 'QUEUE_SLOT_HOLIDAY', details: { holiday: { en: expect.any(String) } } },
    });
    const slot = at('09:30', '2026-09-03');
    const results = await Promise.allSettled(
      ['0905 000 001', '0905 000 002', '0905 000 003'].map((p) => book(slot, p)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const after = await (await anyone()).queue.slots({
      officeId: office.id,
      groupId: office.groups.A,
      date: '2026-09-03',
    });
    expect(after.find((s) => s.start.getTime() === slot.getTime())!.left).toBe(0);
  });
});

describe('the desk calls numbers', () => {
  it('calls by the priority rules: disabled, pregnant, elderly, booked on time, then arrival', async () => {
    await kiosk({});
    setNow(at('09:01'));
    await kiosk({ claims: ['elderly'] });
    setNow(at('09:02'));
    await kiosk({ claims: ['disabled'] });
    await kiosk({ claims: ['pregnant'] });
    setNow(at('08:00'));
    await (await anyone()).queue.book({
      officeId: office.id,
      groupId: office.groups.A,
      phone: '0905 777 888',
      slotStart: at('09:15'),
    });
    setNow(at('09:10'));
    const desk = (await clerk()).queue;
    const order = [];
    for (let i = 0; i < 5; i++) order.push((await desk.callNext({ deskId: office.desks[0]! }))!.label);
    expect(order).toEqual(['A003', 'A004', 'A002', 'A005', 'A001']);
    expect(await desk.callNext({ deskId: office.desks[0]! })).toBeNull();
  });

  it('two desks calling at once never get the same number', async () => {
    for (let i = 0; i < 20; i++) await kiosk({});
    const callers = await Promise.all([clerk(), clerk()]);
    const calls = await Promise.all(
      Array.from({ length: 24 }, (_, i) => callers[i % 2]!.queue.callNext({ deskId: office.desks[i % 2]! })),
    );
    const labels = calls.filter((c) => c !== null).map((c) => c!.label);
    expect(labels).toHaveLength(20);
    expect(new Set(labels).size).toBe(20);
  });

  it('recall, skip and transfer; another office’s desk or number is refused and changes nothing', async () => {
    const desk = (await clerk()).queue;
    await kiosk({ fullName: 'Trần Thị Mai', phone: '0905 123 456', procedureCode: '3.000333' });
    await kiosk({});
    const first = (await desk.callNext({ deskId: office.desks[0]! }))!;
    expect(first).toMatchObject({
      label: 'A001',
      fullName: 'Trần Thị Mai',
      phone: '0905123456',
      procedureCode: '3.000333',
    });
    setNow(at('09:03'));
    await desk.recall({ deskId: office.desks[0]!, ticketId: first.id });
    const screen = await (await anyone()).queue.screen({ officeId: office.id });
    expect(screen.calls[0]).toMatchObject({ label: 'A001', recalls: 1 });
    expect(JSON.stringify(screen)).not.toContain('Mai');

    const other = (await server.callerAs('gdv.quang')).queue;
    await expect(other.recall({ deskId: otherOffice.desks[0]!, ticketId: first.id })).rejects.toMatchObject({
      cause: { code: 'QUEUE_TICKET_NOT_FOUND' },
    });
    await expect(other.intakeTicket({ ticketId: first.id })).rejects.toMatchObject({
      cause: { code: 'QUEUE_TICKET_NOT_FOUND' },
    });
    await expect(other.callNext({ deskId: office.desks[1]! })).rejects.toMatchObject({
      cause: { code: 'QUEUE_DESK_UNKNOWN' },
    });
    const [still] = await database.db.select().from(queueTickets).where(eq(queueTickets.id, first.id));
    expect(still).toMatchObject({ status: 'called', recalls: 1 });

    await desk.transfer({ deskId: office.desks[0]!, ticketId: first.id, groupId: office.groups.B });
    const second = (await desk.callNext({ deskId: office.desks[0]! }))!;
    // A001 now waits in group B with its first wait; this desk calls every group, so it comes first.
    expect(second.label).toBe('A001');
    await desk.skip({ deskId: office.desks[0]!, ticketId: second.id });
    const third = (await desk.callNext({ deskId: office.desks[0]! }))!;
    expect(third.label).toBe('A002');
    await expect(desk.skip({ deskId: office.desks[0]!, ticketId: second.id })).rejects.toMatchObject({
      cause: { code: 'QUEUE_TICKET_NOT_AT_DESK' },
    });
  });

  it('the board shows the waits and service times per desk and group', async () => {
    await kiosk({});
    await kiosk({ groupId: office.groups.B });
    const desk = (await clerk()).queue;
    setNow(at('09:06'));
    await desk.callNext({ deskId: office.desks[0]! });
    setNow(at('09:10'));
    await desk.callNext({ deskId: office.desks[0]! });
    setNow(at('09:20'));
    const t = (await database.db.select().from(queueTickets).where(eq(queueTickets.label, 'B001')))[0]!;
    await desk.finish({ deskId: office.desks[0]!, ticketId: t.id });
    const figures = await (await server.callerAs('giamsat.nguyet')).queue.figures({ officeId: office.id });
    const d = figures.byDesk.find((r) => r.key === office.desks[0])!;
    expect(d).toMatchObject({ served: 2, avgWaitSeconds: 8 * 60, avgServeSeconds: 7 * 60, longWaits: 0 });
    const b = figures.byGroup.find((r) => r.key === office.groups.B)!;
    expect(b).toMatchObject({ served: 1, avgWaitSeconds: 10 * 60 });
  });

  it('keeps a number’s name and phone only until the day after the visit; its times stay', async () => {
    await kiosk({ fullName: 'Trần Thị Mai', phone: '0905 123 456' });
    const policy = { outboxDays: 90, mailboxDays: 7, otpDays: 2 };
    expect((await applyRetention(database.db, policy, at('09:00', '2026-09-01'))).queueContacts).toBe(0);
    expect((await applyRetention(database.db, policy, at('09:00', '2026-09-02'))).queueContacts).toBe(1);
    const [ticket] = await database.db.select().from(queueTickets);
    expect(ticket).toMatchObject({ fullName: null, phone: null, label: 'A001', issuedAt: at('09:00') });
  });
});
