import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCalendarRunway } from '../../server/src/admin/calendars';
import { deadlineBoard } from '../../server/src/board/service';
import { rows } from '../../server/src/db/client';
import { isDueProvisional } from '../../server/src/intake/holidays';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
type Caller = Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let clerk: Caller;
let admin: Caller;
let lltp: Awaited<ReturnType<Caller['catalog']['procedure']>>;
let commune: string;

/** Vietnam local wall-clock time as an instant. */
const vn = (local: string) => new Date(`${local}:00+07:00`);

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  clerk = await server.callerAs('gdv.hang');
  admin = await server.callerAs('admin');
  // 3.000333 (judicial record): 10 working days = 80 working hours.
  lltp = await clerk.catalog.procedure({ code: '3.000333' });
  commune = (await clerk.catalog.communes())[0]!.code;
});
afterAll(() => database.close());

/** A walk-in intake received at a chosen instant, through the desk's own domain function. */
const receiveAt = async (now: Date) => {
  const [m] = await rows<{ user_id: string; office_id: string; full_name: string }>(
    database.db,
    sql`select m.user_id, m.office_id, u.full_name from memberships m join users u on u.id = m.user_id
        where u.username = 'gdv.hang' and m.role = 'clerk'`,
  );
  const { submitIntake } = await import('../../server/src/intake/submit');
  const result = await submitIntake(database.db, {
    input: intakeFor(lltp, commune),
    actor: {
      userId: m!.user_id,
      fullName: m!.full_name,
      membership: { officeId: m!.office_id, officeCode: '', officeName: '', role: 'clerk' },
    },
    now,
  });
  return { id: result.dossierId, dueAt: result.dueAt as Date, officeId: m!.office_id };
};

const dueOf = async (id: string) => {
  const [row] = await rows<{ due_at: string; facts_due: string | null }>(
    database.db,
    sql`select d.due_at::text as due_at, f.due_at::text as facts_due from dossiers d
        left join dossier_facts f on f.dossier_id = d.id where d.id = ${id}::uuid`,
  );
  return { dueAt: new Date(row!.due_at), factsDue: row!.facts_due ? new Date(row!.facts_due) : null };
};

describe('holiday calendars managed by the administrator', () => {
  it('starts with 2025 and 2026 published and 2027 as a draft projection', async () => {
    const list = await admin.admin.calendars();
    const state = Object.fromEntries(
      list.years.map((y) => [y.year, [y.published?.version ?? null, y.draft?.version ?? null]]),
    );
    expect(state).toEqual({ 2025: [1, null], 2026: [1, null], 2027: [null, 1] });
    expect(list.runway.lastPublishedYear).toBe(2026);
  });

  it('moves a due time over the 2026 New Year swap (Sat 10/1 worked)', async () => {
    // Fri 9/1/2026 16:00 + 80 h: 1 h Friday, Saturday 10/1 is worked (8 h), Mon 12–Fri 16 (40 h),
    // Mon 19–Wed 21 (24 h), Thu 22/1 7 h → 16:00. Without the swap it would be Friday 23/1.
    const d = await receiveAt(vn('2026-01-09T16:00'));
    expect(d.dueAt.toISOString()).toBe(vn('2026-01-22T16:00').toISOString());
    expect(await isDueProvisional(database.db, d.id)).toBe(false);
  });

  it('never blocks intake past the table, recomputes provisional due times on publication, and keeps firm ones', async () => {
    // Mon 21/12/2026 10:00 + 80 h: 5 h Monday, 24–31/12 (8 days, 64 h), Fri 1/1/2027 off (fixed date),
    // Mon 4/1 8 h, Tue 5/1 3 h → 10:00. 2027 is not published, so the due time is provisional.
    const late = await receiveAt(vn('2026-12-21T10:00'));
    expect(late.dueAt.toISOString()).toBe(vn('2027-01-05T10:00').toISOString());
    expect(await isDueProvisional(database.db, late.id)).toBe(true);
    // A due time inside 2026 is firm.
    const firm = await receiveAt(vn('2026-03-09T08:00'));
    expect(await isDueProvisional(database.db, firm.id)).toBe(false);
    const firmDue = firm.dueAt.toISOString();
    // The supervisor's board marks the provisional one.
    const board = await deadlineBoard(database.db, {
      officeIds: [late.officeId],
      now: vn('2026-12-22T09:00'),
    });
    const flag = (id: string) => board.rows.find((r) => r.id === id)?.dueProvisional;
    expect([flag(late.id), flag(firm.id)]).toEqual([true, false]);

    // The administrator corrects 2027 (a New Year swap: off Mon 4/1, work Sat 9/1) and publishes it.
    await admin.admin.openCalendarYear({ year: 2027 });
    await admin.admin.setCalendarDay({
      year: 2027,
      date: '2027-01-04',
      day: {
        kind: 'swap_off',
        nameVi: 'Nghỉ hoán đổi dịp Tết Dương lịch',
        nameEn: 'Swapped day off (New Year)',
      },
    });
    await admin.admin.setCalendarDay({
      year: 2027,
      date: '2027-01-09',
      day: {
        kind: 'working_weekend',
        nameVi: 'Làm bù cho ngày nghỉ 04/01/2027',
        nameEn: 'Make-up working day',
      },
    });
    const published = await admin.admin.publishCalendar({ year: 2027, version: 1 });
    expect(published).toMatchObject({ recomputed: 1, stillProvisional: 0 });
    // Mon 4/1 is now off: Tue 5/1 8 h, Wed 6/1 3 h → 10:00; the dossier and its indicator facts agree.
    const after = await dueOf(late.id);
    expect(after.dueAt.toISOString()).toBe(vn('2027-01-06T10:00').toISOString());
    expect(after.factsDue?.toISOString()).toBe(vn('2027-01-06T10:00').toISOString());
    expect(await isDueProvisional(database.db, late.id)).toBe(false);

    // A correction of 2026 (a day off inside the firm dossier's span) does not move the due time already given.
    await admin.admin.openCalendarYear({ year: 2026 });
    await admin.admin.setCalendarDay({
      year: 2026,
      date: '2026-03-12',
      day: { kind: 'holiday', nameVi: 'Ngày nghỉ bổ sung', nameEn: 'Additional day off' },
    });
    const republished = await admin.admin.publishCalendar({ year: 2026, version: 2 });
    expect(republished).toMatchObject({ version: 2, recomputed: 0 });
    expect((await dueOf(firm.id)).dueAt.toISOString()).toBe(firmDue);
    // ...while a new dossier received now is counted on the corrected calendar.
    const list = await admin.admin.calendars();
    const y2026 = list.years.find((y) => y.year === 2026)!;
    expect(y2026.published?.version).toBe(2);
    expect(y2026.history.map((h) => [h.version, h.state])).toEqual([
      [2, 'published'],
      [1, 'superseded'],
    ]);

    // Who changed what, when: each day's change and each publication is audited.
    const audit = await rows<{ action: string; target: string; details: Record<string, unknown> }>(
      database.db,
      sql`select action, target, details from audit_log where action like 'holiday_calendar.%' order by id`,
    );
    // 2027's draft already existed (the seeded projection), so opening it loaded nothing new.
    expect(audit.map((a) => `${a.action}:${a.target}`)).toEqual([
      'holiday_calendar.day_set:2027',
      'holiday_calendar.day_set:2027',
      'holiday_calendar.published:2027',
      `holiday_calendar.due_recomputed:${late.id}`,
      'holiday_calendar.loaded:2026',
      'holiday_calendar.day_set:2026',
      'holiday_calendar.published:2026',
    ]);
    expect(audit[0]?.details).toMatchObject({ date: '2027-01-04', from: null, to: { kind: 'swap_off' } });
    expect(audit[6]?.details).toMatchObject({
      previousVersion: 1,
      changes: { added: [{ date: '2026-03-12' }], removed: [], changed: [] },
    });
  });

  it('refuses a day that does not fit the year and a stale publication', async () => {
    await admin.admin.openCalendarYear({ year: 2028 });
    await expect(
      admin.admin.setCalendarDay({
        year: 2028,
        date: '2028-01-08',
        day: { kind: 'swap_off', nameVi: 'x', nameEn: 'x' },
      }),
    ).rejects.toMatchObject({ cause: { code: 'HOLIDAY_CALENDAR_DAY_INVALID' } });
    await expect(
      admin.admin.setCalendarDay({
        year: 2028,
        date: '2029-01-03',
        day: { kind: 'holiday', nameVi: 'x', nameEn: 'x' },
      }),
    ).rejects.toMatchObject({ cause: { code: 'HOLIDAY_CALENDAR_DAY_INVALID' } });
    await expect(admin.admin.publishCalendar({ year: 2028, version: 7 })).rejects.toMatchObject({
      cause: { code: 'HOLIDAY_CALENDAR_STALE' },
    });
    await expect(admin.admin.publishCalendar({ year: 2031, version: 1 })).rejects.toMatchObject({
      cause: { code: 'HOLIDAY_CALENDAR_NO_DRAFT' },
    });
  });

  it('lets no one but an administrator load, change or publish a calendar', async () => {
    const before = await admin.admin.calendars();
    for (const username of ['gdv.hang', 'giamsat.nguyet']) {
      const caller = await server.callerAs(username);
      await expect(caller.admin.calendars()).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.admin.openCalendarYear({ year: 2029 })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(
        caller.admin.setCalendarDay({
          year: 2028,
          date: '2028-01-03',
          day: { kind: 'holiday', nameVi: 'x', nameEn: 'x' },
        }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.admin.publishCalendar({ year: 2028, version: 1 })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    expect(await admin.admin.calendars()).toEqual(before);
  });

  it('warns once a day, 90 days before the published calendar runs out', async () => {
    // 2027 was published above: the table runs to 31/12/2027.
    expect(await checkCalendarRunway(database.db, { now: vn('2027-10-01T08:00') })).toMatchObject({
      daysLeft: 91,
      warned: false,
    });
    expect(await checkCalendarRunway(database.db, { now: vn('2027-10-02T08:00') })).toMatchObject({
      lastPublishedYear: 2027,
      daysLeft: 90,
      warned: true,
    });
    expect(await checkCalendarRunway(database.db, { now: vn('2027-10-02T15:00') })).toMatchObject({
      warned: false,
    });
    const lines = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from audit_log where action = 'holiday_calendar.running_out'`,
    );
    expect(lines[0]?.n).toBe(1);
  });
});
