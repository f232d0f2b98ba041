import { computeIndicators, isOnTime } from '@postdesk/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../server/src/db/client';
import { loadFacts } from '../../server/src/board/facts';
import { buildHandMade, vn } from '../../server/src/board/hand-made';
import {
  deadlineBoard,
  drilldown,
  monthFigures,
  monthPeriod,
  refreshRollups,
  warnDeadlines,
} from '../../server/src/board/service';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let built: Awaited<ReturnType<typeof buildHandMade>>;
const NOW = vn('2026-03-10 09:00');

beforeAll(async () => {
  database = await createTestDatabase();
  built = await buildHandMade(database.db);
});
afterAll(() => database.close());

const nameOf = (id: string) =>
  Object.entries(built.made)
    .find(([, v]) => v.id === id)?.[0]
    .slice(0, 1);
const letters = (list: { id: string }[]) => list.map((r) => nameOf(r.id)).sort();

describe('Decision 766 indicators of the hand-made February 2026', () => {
  it('judges each dossier on time as worked out by hand', async () => {
    const set = await loadFacts(database.db, { officeIds: [built.officeId] });
    const period = monthPeriod('2026-02', NOW);
    const verdict = (letter: string) => {
      const fact = set.facts.find((f) => nameOf(f.id) === letter);
      return fact ? isOnTime(fact, period, { calendarOf: (f) => set.calendars.get(f.officeId)! }) : null;
    };
    expect(verdict('A')).toMatchObject({ counted: true, reason: 'on_time' });
    // Due Thu 05/02 08:00; the 8 working hours of supplement move it to Fri 06/02 08:00; decided Thu 15:00.
    expect(verdict('B')).toMatchObject({
      counted: true,
      reason: 'on_time',
      effectiveDueAt: vn('2026-02-06 08:00'),
    });
    expect(verdict('C')).toMatchObject({
      counted: true,
      reason: 'late_second_supplement',
      supplementRequests: 2,
    });
    // Due Tue 24/02 08:00 (Thu 7 h, Fri 8 h, Tết 16–20/02 skipped, Mon 8 h, Tue 1 h); the pause 13/02 09:00 →
    // 23/02 09:00 costs 8 working hours, not ten days, so the new due time is Wed 25/02 08:00: 10:00 is late.
    expect(verdict('D')).toMatchObject({
      counted: true,
      reason: 'late',
      effectiveDueAt: vn('2026-02-25 08:00'),
    });
    expect(verdict('E')).toMatchObject({ counted: true, reason: 'on_time', extended: true });
    expect(verdict('F')).toMatchObject({ counted: true, reason: 'on_time' });
    expect(verdict('G')).toMatchObject({ counted: true, reason: 'late' });
    expect(verdict('H')).toMatchObject({ counted: true, reason: 'unfinished_overdue' });
    expect(verdict('I')).toMatchObject({ counted: true, reason: 'unfinished_in_time' });
    expect(verdict('J')).toMatchObject({ counted: false, reason: 'not_received' });
    expect(verdict('K')).toMatchObject({ counted: false, reason: 'finished_before_period' });
  });

  it('gives the rates, points, N/A and drill-down lists worked out by hand', async () => {
    const figures = await monthFigures(database.db, {
      officeIds: [built.officeId],
      month: '2026-02',
      groupBy: 'office',
      now: NOW,
    });
    expect(figures.result.groups).toHaveLength(1);
    const g = figures.result.groups[0]!;
    expect(g.key).toBe(built.officeId);
    const pick = (k: keyof typeof g.indicators) => {
      const r = g.indicators[k];
      return { n: r.numerator, d: r.denominator, rate: r.rate, points: r.points };
    };
    expect(pick('onTime')).toEqual({ n: 5, d: 9, rate: 55.56, points: 11.11 });
    expect(pick('satisfaction')).toEqual({ n: 4, d: 9, rate: 44.44, points: 8.89 });
    expect(pick('digitization')).toEqual({ n: 6, d: 9, rate: 66.67, points: 18.33 });
    expect(pick('reuse')).toEqual({ n: 1, d: 9, rate: 11.11, points: 3.06 });
    // Online services out of 12: 11.11 × 12 ÷ 50 = 2.67.
    expect(pick('online')).toEqual({ n: 1, d: 9, rate: 11.11, points: 2.67 });
    expect(pick('electronicResult')).toEqual({ n: 3, d: 5, rate: 60, points: 13.2 });
    // Nobody owed a fee: online payment (10) is N/A and costs nothing.
    expect(pick('onlinePayment')).toEqual({ n: 0, d: 0, rate: null, points: null });
    expect(g.groupPoints).toEqual({
      publicity: null,
      progress: 11.11,
      digitization: 11.53,
      onlineServices: 2.67,
      onlinePayment: null,
      satisfaction: 8.89,
    });
    // 11.11 + 11.53 + 2.67 + 8.89 = 34.2 of 20 + 22 + 12 + 18 = 72; publicity not entered.
    expect(g.totalPoints).toBe(34.2);
    expect(g.attainablePoints).toBe(72);
    expect(g.publicityEntered).toBe(false);
    expect(g.score).toBe(47.5);
    expect(g.rank).toBe(1);
    expect(figures.postal).toMatchObject({ received: 9, postal: 1, rate: 11.11 });

    const onTime = drilldown(figures, built.officeId, 'onTime');
    expect(letters(onTime.numerator)).toEqual(['A', 'B', 'E', 'F', 'I']);
    expect(letters(onTime.excluded)).toEqual(['C', 'D', 'G', 'H']);
    expect(Object.fromEntries(onTime.excluded.map((r) => [nameOf(r.id), r.reason]))).toEqual({
      C: 'late_second_supplement',
      D: 'late',
      G: 'late',
      H: 'unfinished_overdue',
    });
    const digit = drilldown(figures, built.officeId, 'digitization');
    expect(Object.fromEntries(digit.excluded.map((r) => [nameOf(r.id), r.reason]))).toEqual({
      C: 'no_result_file',
      D: 'no_result_file',
      F: 'not_digitized',
    });
    expect(letters(drilldown(figures, built.officeId, 'satisfaction').excluded)).toEqual([
      'A',
      'C',
      'D',
      'G',
      'H',
    ]);
    expect(letters(drilldown(figures, built.officeId, 'postal').numerator)).toEqual(['E']);
    // Every row names the dossier by code, never by applicant.
    expect(onTime.numerator[0]).toMatchObject({ code: expect.stringMatching(/^H57\.90\.01-2602/) });
    expect(JSON.stringify(onTime)).not.toMatch(/fullName|phone|citizenId/);
  });

  it('groups by agency, commune and procedure with the same totals', async () => {
    for (const groupBy of ['agency', 'commune', 'procedure', 'none'] as const) {
      const f = await monthFigures(database.db, {
        officeIds: [built.officeId],
        month: '2026-02',
        groupBy,
        now: NOW,
      });
      expect(f.result.groups).toHaveLength(1);
      expect(f.result.groups[0]!.indicators.onTime).toMatchObject({ numerator: 5, denominator: 9 });
    }
    const jan = await monthFigures(database.db, {
      officeIds: [built.officeId],
      month: '2026-01',
      groupBy: 'office',
      now: NOW,
    });
    expect(jan.result.groups[0]!.indicators.onTime).toMatchObject({ numerator: 1, denominator: 1 });
  });

  it('keeps the SQL roll-up equal to the formulas, the Tết pause in working hours included', async () => {
    await refreshRollups(database.db, ['2026-01', '2026-02'], NOW);
    const [r] = await rows<Record<string, number | string>>(
      database.db,
      sql`select sum(received) received, sum(postal) postal, sum(judged) judged, sum(on_time) on_time,
            sum(digitized) digitized, sum(reused) reused, sum(online) online, sum(fee_due) fee_due,
            sum(eresult_due) eresult_due, sum(eresult) eresult, sum(complained) complained
          from indicator_monthly where month = '2026-02-01' and office_id = ${built.officeId}`,
    );
    const set = await loadFacts(database.db, { officeIds: [built.officeId] });
    const exact = computeIndicators(set.facts, monthPeriod('2026-02', NOW), {
      groupBy: 'none',
      calendarOf: (f) => set.calendars.get(f.officeId)!,
    }).groups[0]!;
    const n = (k: string) => Number(r![k]);
    expect(n('received')).toBe(9);
    expect(n('postal')).toBe(1);
    expect(n('judged')).toBe(exact.indicators.onTime.denominator);
    // With elapsed time the Tết pause would give back ten days and D would be on time (6); the job stores D's
    // due time on the working calendar, so the roll-up says 5 like the formulas.
    expect(exact.indicators.onTime.numerator).toBe(5);
    const elapsed = computeIndicators(set.facts, monthPeriod('2026-02', NOW), { groupBy: 'none' }).groups[0]!;
    expect(elapsed.indicators.onTime.numerator).toBe(6);
    expect(n('on_time')).toBe(exact.indicators.onTime.numerator);
    expect(n('digitized')).toBe(exact.indicators.digitization.numerator);
    expect(n('reused')).toBe(exact.indicators.reuse.numerator);
    expect(n('online')).toBe(exact.indicators.online.numerator);
    expect(n('fee_due')).toBe(0);
    expect(n('eresult_due')).toBe(exact.indicators.electronicResult.denominator);
    expect(n('eresult')).toBe(exact.indicators.electronicResult.numerator);
    expect(n('complained')).toBe(1);
  });

  it('brings a complaint made after the roll-up into the next refresh, re-reading only the dossiers that changed', async () => {
    const complained = async () => {
      const [r] = await rows<{ n: number }>(
        database.db,
        sql`select sum(complained)::int n from indicator_monthly where month = '2026-02-01' and office_id = ${built.officeId}`,
      );
      return Number(r!.n);
    };
    const a = built.made['B on time by the supplement pause']!.id;
    await refreshRollups(database.db, ['2026-02'], NOW);
    const before = await complained();
    const stale = async () =>
      (await rows<{ id: string }>(database.db, sql`select dossier_id::text id from dossier_facts_stale`)).map(
        (r) => r.id,
      );
    expect(await stale()).toEqual([]);
    // The applicant of a judged dossier no one had complained about (B) complains after all.
    await database.db.execute(
      sql`insert into feedback (dossier_id, kind, comment) values (${a}, 'complaint', 'Chậm trả kết quả')`,
    );
    expect(await stale()).toEqual([a]);
    await refreshRollups(database.db, ['2026-02'], NOW);
    expect(await complained()).toBe(before + 1);
    expect(await stale()).toEqual([]);
    // And back, once the complaint is withdrawn.
    await database.db.execute(sql`delete from feedback where dossier_id = ${a} and kind = 'complaint'`);
    await refreshRollups(database.db, ['2026-02'], NOW);
    expect(await complained()).toBe(before);
  });
});

describe('the deadline board and its warnings', () => {
  it('runs both repeatable jobs through the job runner', async () => {
    const server = createTestServer(database.db);
    await server.jobs.enqueue('indicator_rollup_refresh', { now: NOW.toISOString(), months: 2 });
    await server.jobs.enqueue('board_deadline_warn', { now: vn('2026-02-27 10:00').toISOString() });
    await server.jobs.idle();
    const [r] = await rows<{ n: number }>(
      database.db,
      sql`select sum(received)::int n from indicator_monthly where month = '2026-02-01'`,
    );
    expect(Number(r!.n)).toBe(9);
    // On 27/02 H is overdue; I was received that morning and is on track.
    const logged = await rows<{ target: string; kind: string }>(
      database.db,
      sql`select target, details->>'kind' kind from audit_log where action = 'board.deadline_warning'`,
    );
    expect(logged.map((l) => `${nameOf(l.target)}:${l.kind}`)).toEqual(['H:overdue']);
  });

  it('shows open dossiers with working hours left, whereabouts and risk', async () => {
    const board = await deadlineBoard(database.db, {
      officeIds: [built.officeId],
      now: vn('2026-03-02 10:00'),
    });
    const byLetter = Object.fromEntries(board.rows.map((r) => [nameOf(r.id), r]));
    expect(Object.keys(byLetter).sort()).toEqual(['H', 'I']);
    expect(byLetter.H).toMatchObject({ risk: 'overdue', where: 'agency', reason: 'past_due' });
    // Due Wed 04/03 08:00: Mon 1.5 + 3.5, Tue 8, Wed 1 = 14 working hours; under two working days.
    expect(byLetter.I).toMatchObject({ risk: 'at_risk', hoursLeft: 14, where: 'agency', apologyDue: true });
    expect(byLetter.I!.apologyBy).toBe('2026-03-03');
    expect(board.counts).toEqual({ on_track: 0, at_risk: 1, overdue: 1 });
    const early = await deadlineBoard(database.db, {
      officeIds: [built.officeId],
      now: vn('2026-02-27 10:00'),
    });
    expect(early.rows.find((r) => nameOf(r.id) === 'I')).toMatchObject({ risk: 'on_track', hoursLeft: 22 });
  });

  it('warns once per dossier, kind and due time, naming the people by id', async () => {
    // H was already warned as overdue on 27/02 for the same due time: only I's two warnings are new.
    const first = await warnDeadlines(database.db, vn('2026-03-02 10:00'));
    expect(first.warned).toBe(2);
    const again = await warnDeadlines(database.db, vn('2026-03-02 10:30'));
    expect(again.warned).toBe(0);
    const logged = await rows<{ target: string; details: { kind: string; recipients: string[] } }>(
      database.db,
      sql`select target, details from audit_log where action = 'board.deadline_warning' order by id`,
    );
    expect(logged.map((l) => `${nameOf(l.target)}:${l.details.kind}`).sort()).toEqual([
      'H:overdue',
      'I:apology_due',
      'I:at_risk',
    ]);
    expect(logged.every((l) => l.details.recipients.length > 0)).toBe(true);
    expect(JSON.stringify(logged)).not.toMatch(/Nguyễn|Trần|Lê /);
  });

  it('answers the supervisor over tRPC for their offices only, and nobody else', async () => {
    const server = createTestServer(database.db);
    const supervisor = await server.callerAs('giamsat.nguyet');
    const board = await supervisor.board.deadlines();
    expect(board.rows.map((r) => nameOf(r.id)).sort()).toEqual(['H', 'I']);
    expect(board.warnings.length).toBe(3);
    expect(board.total).toBe(2);
    // The board is windowed on the server: one row a page, filters and order applied before the window.
    const first = await supervisor.board.deadlines({ limit: 1 });
    expect([first.total, first.rows.length]).toEqual([2, 1]);
    expect(first.counts).toEqual(board.counts);
    const second = await supervisor.board.deadlines({ limit: 1, offset: 1 });
    expect([...first.rows, ...second.rows].map((r) => nameOf(r.id)).sort()).toEqual(['H', 'I']);
    const risk = board.rows[0]!.risk;
    const filtered = await supervisor.board.deadlines({ risk });
    expect(filtered.total).toBe(board.counts[risk]);
    expect(filtered.rows.every((r) => r.risk === risk)).toBe(true);
    const up = await supervisor.board.deadlines({ sort: 'code', dir: 1 });
    const down = await supervisor.board.deadlines({ sort: 'code', dir: -1 });
    expect(down.rows.map((r) => r.id)).toEqual(up.rows.map((r) => r.id).reverse());
    const none = await supervisor.board.deadlines({ q: 'no such procedure anywhere' });
    expect([none.total, none.rows]).toEqual([0, []]);
    await expect(supervisor.board.deadlines({ limit: 100_000 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const ind = await supervisor.board.indicators({ month: '2026-02', groupBy: 'office' });
    const mine = ind.groups.find((g) => g.key === built.officeId)!;
    expect(mine.indicators.onTime).toMatchObject({ numerator: 5, denominator: 9, rate: 55.56 });
    expect(ind.courier).toMatchObject({ deliveries: 0, firstAttemptRate: null, reasons: [] });
    const drill = await supervisor.board.drilldown({
      month: '2026-02',
      groupBy: 'office',
      key: built.officeId,
      indicator: 'onTime',
    });
    expect(drill.numerator).toHaveLength(5);
    await expect(supervisor.board.deadlines({ officeId: built.agencyId })).rejects.toMatchObject({
      cause: { code: 'BOARD_OFFICE_NOT_YOURS' },
    });
    await expect(supervisor.board.indicators({ month: '2019-01' })).rejects.toMatchObject({
      cause: { code: 'BOARD_PERIOD_INVALID' },
    });
    const clerk = await server.callerAs('gdv.hang');
    await expect(clerk.board.deadlines()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const trend = await supervisor.board.trend({ month: '2026-02', months: 2, groupBy: 'none' });
    expect(trend.points.find((p) => p.month === '2026-02')).toMatchObject({
      received: 9,
      postalShare: 11.11,
    });
  });
});

describe('Decision 766 publicity points entered outside PostDesk', () => {
  it('lets the supervisor enter them for their office, totals the unit out of 100, and audits the change', async () => {
    const server = createTestServer(database.db);
    const supervisor = await server.callerAs('giamsat.nguyet');
    const before = await supervisor.board.indicators({ month: '2026-02', groupBy: 'office' });
    expect(before.rankedOn).toBe('dossier_groups');
    expect(before.publicityMissing).toEqual([built.officeId]);

    await supervisor.board.setPublicity({ month: '2026-02', officeId: built.officeId, points: 12.5 });
    const after = await supervisor.board.indicators({ month: '2026-02', groupBy: 'office' });
    const mine = after.groups.find((g) => g.key === built.officeId)!;
    // 34.2 + 12.5 = 46.7 of 72 + 18 = 90.
    expect(mine).toMatchObject({
      publicityEntered: true,
      totalPoints: 46.7,
      attainablePoints: 90,
      score: 51.89,
      dossierScore: 47.5,
    });
    expect(mine.groupPoints.publicity).toBe(12.5);
    expect(after.rankedOn).toBe('all_groups');
    expect(after.publicityMissing).toEqual([]);

    // The same points again change nothing; a correction is audited with before and after.
    expect(
      await supervisor.board.setPublicity({ month: '2026-02', officeId: built.officeId, points: 12.5 }),
    ).toMatchObject({ changed: 0 });
    await supervisor.board.setPublicity({ month: '2026-02', officeId: built.officeId, points: 13 });
    const audit = await rows<{ details: { from: number | null; to: number } }>(
      database.db,
      sql`select details from audit_log where action = 'indicators.publicity_set' and target = ${built.officeId}
          order by id`,
    );
    expect(audit.map((a) => [a.details.from, a.details.to])).toEqual([
      [null, 12.5],
      [12.5, 13],
    ]);
  });

  it('refuses points out of range, another office, a clerk, and lets only the administrator import by code', async () => {
    const server = createTestServer(database.db);
    const supervisor = await server.callerAs('giamsat.nguyet');
    for (const points of [-1, 18.01, 12.345]) {
      await expect(
        supervisor.board.setPublicity({ month: '2026-02', officeId: built.officeId, points }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    await expect(
      supervisor.board.setPublicity({ month: '2026-02', officeId: built.agencyId, points: 10 }),
    ).rejects.toMatchObject({ cause: { code: 'BOARD_OFFICE_NOT_YOURS' } });
    const clerk = await server.callerAs('gdv.hang');
    await expect(
      clerk.board.setPublicity({ month: '2026-02', officeId: built.officeId, points: 10 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      supervisor.admin.importPublicity({ month: '2026-02', rows: [{ unitCode: 'H57.90.01', points: 10 }] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const admin = await server.callerAs('admin');
    await expect(
      admin.admin.importPublicity({
        month: '2026-02',
        rows: [
          { unitCode: 'H57.90.01', points: 17 },
          { unitCode: 'NO.SUCH.UNIT', points: 10 },
        ],
      }),
    ).rejects.toMatchObject({ cause: { code: 'PUBLICITY_UNIT_UNKNOWN' } });
    // Nothing of a refused import was written.
    const byAgency = await supervisor.board.indicators({ month: '2026-02', groupBy: 'office' });
    expect(byAgency.groups.find((g) => g.key === built.officeId)?.groupPoints.publicity).not.toBe(17);

    expect(
      await admin.admin.importPublicity({ month: '2026-02', rows: [{ unitCode: 'H57.90.01', points: 17 }] }),
    ).toMatchObject({ rows: 1, changed: 1 });
    const now = await supervisor.board.indicators({ month: '2026-02', groupBy: 'office' });
    expect(now.groups.find((g) => g.key === built.officeId)?.totalPoints).toBe(51.2);
  });
});
