import { addWorkingDays } from '@postdesk/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUser } from '../../server/src/auth/sessions';
import { feedback, offices, outbox, users } from '../../server/src/db/schema';
import { loadHolidayTables } from '../../server/src/intake/holidays';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { receiptToken } from '../../server/src/citizen/receipt-token';
import { driveTo } from './citizen-helpers';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let delivered: { id: string; code: string };
let ongoing: { id: string; code: string };
const phone = '0905123456';

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const a = await clerk.intake.submit(intakeFor(lltp, commune));
  const b = await clerk.intake.submit(intakeFor(lltp, commune));
  await driveTo(database.db, a.dossierId, 'deliver');
  delivered = { id: a.dossierId, code: a.code! };
  ongoing = { id: b.dossierId, code: b.code! };
});
afterAll(() => database.close());

/** The token the receipt's QR code carries (what the citizen's phone reads from the paper). */
const tokenOf = (dossierId: string) => receiptToken(server.env.SESSION_SECRET, dossierId);

describe('rating the service', () => {
  it('only after the result is received', async () => {
    const citizen = await server.callerAs(null);
    await expect(
      citizen.feedback.rate({ code: ongoing.code, token: tokenOf(ongoing.id), satisfied: true, reasons: [] }),
    ).rejects.toMatchObject({ cause: { code: 'FEEDBACK_NOT_YET' } });
    expect((await citizen.feedback.status({ code: ongoing.code, phone })).canRate).toBe(false);
  });

  it('dissatisfied needs a reason; the rating counts as a "dislike" for the indicator; one per dossier', async () => {
    const citizen = await server.callerAs(null);
    await expect(
      citizen.feedback.rate({
        code: delivered.code,
        token: tokenOf(delivered.id),
        satisfied: false,
        reasons: [],
      }),
    ).rejects.toMatchObject({ cause: { code: 'FEEDBACK_REASON_REQUIRED' } });
    await citizen.feedback.rate({
      code: delivered.code,
      token: tokenOf(delivered.id),
      satisfied: false,
      reasons: ['late', 'many_trips'],
      comment: 'Phải đi lại hai lần',
    });
    await expect(
      citizen.feedback.rate({
        code: delivered.code,
        token: tokenOf(delivered.id),
        satisfied: true,
        reasons: [],
      }),
    ).rejects.toMatchObject({ cause: { code: 'FEEDBACK_ALREADY_RATED' } });
    const [row] = await database.db
      .select()
      .from(feedback)
      .where(and(eq(feedback.dossierId, delivered.id), eq(feedback.kind, 'rating')));
    // The board's facts count `rating <= 2` as dissatisfied.
    expect(row!.rating).toBeLessThanOrEqual(2);
    expect(row!.reasons).toEqual(['late', 'many_trips']);
    const status = await citizen.feedback.status({ code: delivered.code, phone });
    expect(status).toMatchObject({ canRate: false, rating: { satisfied: false } });
    const tracked = await citizen.citizen.track({ code: delivered.code, phone });
    expect(tracked.actions).toMatchObject({ rate: false, rated: true });
  });

  it('a wrong phone cannot rate or complain', async () => {
    const citizen = await server.callerAs(null);
    await expect(
      citizen.feedback.complain({
        code: ongoing.code,
        phone: '0912000111',
        reasons: [],
        text: 'Một phản ánh giả mạo',
      }),
    ).rejects.toMatchObject({ cause: { code: 'TRACK_NOT_FOUND' } });
  });
});

describe('complaints', () => {
  let complaintId: string;

  it('are due 5 working days later, at the end of the day', async () => {
    const citizen = await server.callerAs(null);
    const filedAt = new Date();
    const filed = await citizen.feedback.complain({
      code: ongoing.code,
      token: tokenOf(ongoing.id),
      reasons: ['staff_attitude'],
      text: 'Nhân viên không hướng dẫn rõ ràng.',
    });
    complaintId = filed.id;
    const holidays = await loadHolidayTables(database.db);
    const day = addWorkingDays(filedAt, 5, { holidays });
    expect(filed.answerDueAt.toISOString()).toBe(new Date(`${day}T17:00:00+07:00`).toISOString());
  });

  it('supervisors of the receiving office see ratings and complaints; others do not', async () => {
    const supervisor = await server.callerAs('giamsat.nguyet');
    const list = await supervisor.feedback.list();
    expect(list.ratings.map((r) => r.code)).toContain(delivered.code);
    expect(list.complaints.map((c) => c.code)).toContain(ongoing.code);
    expect(list.summary.dissatisfied).toBeGreaterThanOrEqual(1);
    const text = JSON.stringify(list);
    for (const personal of ['Trần Thị Mỹ Hạnh', '0905123456', '046195001234'])
      expect(text).not.toContain(personal);
    const clerk = await server.callerAs('gdv.hang');
    await expect(clerk.feedback.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('an overdue complaint is flagged', async () => {
    await database.db
      .update(feedback)
      .set({ answerDueAt: new Date(Date.now() - 60_000) })
      .where(eq(feedback.id, complaintId));
    const supervisor = await server.callerAs('giamsat.nguyet');
    const list = await supervisor.feedback.list();
    const c = list.complaints.find((x) => x.id === complaintId)!;
    expect(c.overdue).toBe(true);
    expect(list.summary.overdue).toBeGreaterThanOrEqual(1);
  });

  it('the answer goes to the phone on file by text, once', async () => {
    const supervisor = await server.callerAs('giamsat.nguyet');
    const answer = 'Bưu cục đã nhắc nhở nhân viên và xin lỗi ông/bà.';
    await supervisor.feedback.answer({ id: complaintId, answer });
    await expect(supervisor.feedback.answer({ id: complaintId, answer })).rejects.toMatchObject({
      cause: { code: 'COMPLAINT_ALREADY_ANSWERED' },
    });
    const texts = await database.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.dossierId, ongoing.id), eq(outbox.topic, 'notify.sms')));
    const reply = texts
      .map((t) => t.payload as { kind: string; to: string; body: string })
      .filter((p) => p.kind === 'complaint_answer');
    expect(reply).toHaveLength(1);
    expect(reply[0]!.to).toBe(phone);
    expect(reply[0]!.body).toContain('Buu cuc da nhac nho nhan vien');
    const citizen = await server.callerAs(null);
    const status = await citizen.feedback.status({ code: ongoing.code, phone });
    expect(status.complaints[0]).toMatchObject({ answer });
    const list = await supervisor.feedback.list();
    expect(list.complaints.find((x) => x.id === complaintId)).toMatchObject({
      overdue: false,
      answeredLate: true,
    });
  });

  it('a supervisor of another office neither sees nor answers it', async () => {
    const [u] = await database.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, 'giamsat.nguyet'));
    const real = (await loadUser(database.db, u!.id))!;
    const [elsewhere] = await database.db.select().from(offices).where(eq(offices.code, 'H57.90.04'));
    const user = {
      ...real,
      memberships: [
        {
          officeId: elsewhere!.id,
          officeCode: elsewhere!.code,
          officeName: elsewhere!.name,
          role: 'supervisor' as const,
        },
      ],
    };
    const other = await server.callerAs(null, { user });
    const list = await other.feedback.list();
    expect(list.complaints.map((c) => c.code)).not.toContain(ongoing.code);
    expect(list.ratings.map((c) => c.code)).not.toContain(delivered.code);
    await expect(
      other.feedback.answer({ id: complaintId, answer: 'Không phải bưu cục của tôi.' }),
    ).rejects.toMatchObject({
      cause: { code: 'COMPLAINT_NOT_FOUND' },
    });
  });
});

describe('the desk QR code', () => {
  it('names the desk and office, and each desk of the office has its own address', async () => {
    const clerk = await server.callerAs('gdv.hang');
    const desks = await clerk.feedback.deskQrs();
    expect(desks.length).toBeGreaterThan(0);
    expect(desks[0]!.url).toMatch(/\/feedback\?desk=[0-9a-f-]{36}$/);
    const citizen = await server.callerAs(null);
    const info = await citizen.feedback.desk({ deskId: desks[0]!.id });
    expect(info).toMatchObject({ deskName: desks[0]!.name, officeName: desks[0]!.officeName });
  });
});

describe('feedback through a desk’s QR code', () => {
  it('names the desk of the receiving office to the supervisor; another office’s desk is not kept', async () => {
    const clerk = await server.callerAs('gdv.hang');
    const lltp = await clerk.catalog.procedure({ code: '3.000333' });
    const commune = (await clerk.catalog.communes())[0]!.code;
    const received = await clerk.intake.submit(intakeFor(lltp, commune));
    const [own] = await clerk.feedback.deskQrs();
    const [elsewhere] = await (await server.callerAs('gdv.quang')).feedback.deskQrs();
    expect(elsewhere!.officeName).not.toBe(own!.officeName);
    const citizen = await server.callerAs(null);
    await citizen.feedback.complain({
      code: received.code!,
      token: tokenOf(received.dossierId),
      reasons: [],
      text: 'Nhân viên quầy hướng dẫn chưa rõ ràng',
      deskId: own!.id,
    });
    await citizen.feedback.complain({
      code: received.code!,
      token: tokenOf(received.dossierId),
      reasons: [],
      text: 'Quét nhầm mã QR của bưu cục khác',
      deskId: elsewhere!.id,
    });
    const kept = await database.db
      .select({ text: feedback.comment, deskId: feedback.deskId })
      .from(feedback)
      .where(eq(feedback.dossierId, received.dossierId));
    expect(kept.map((k) => [k.text, k.deskId]).sort()).toEqual(
      [
        ['Nhân viên quầy hướng dẫn chưa rõ ràng', own!.id],
        ['Quét nhầm mã QR của bưu cục khác', null],
      ].sort(),
    );
    const supervisor = await server.callerAs('giamsat.nguyet');
    const list = await supervisor.feedback.list();
    const mine = list.complaints.filter((c) => c.code === received.code);
    expect(mine.map((c) => c.deskName).sort()).toEqual([own!.name, null].sort());
  });
});
