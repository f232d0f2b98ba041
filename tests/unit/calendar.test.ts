import {
  AppError,
  addWorkingDays,
  clockStartsAt,
  DEFAULT_OFFICE_HOURS,
  dueAt,
  forwardingDeadline,
  calendarRunway,
  HOLIDAY_TABLES,
  isProvisionalSpan,
  isWorkingDay,
  portalDateTime,
  vietnamDate,
  workingHoursBetween,
} from '@postdesk/shared';
import { describe, expect, it } from 'vitest';

/** Vietnam local wall-clock time (UTC+7) as an instant. */
const vn = (local: string) => new Date(`${local}:00+07:00`);
/** The instant shown back as Vietnam wall-clock time, to compare with hand-computed answers. */
const local = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16);

const holidays = HOLIDAY_TABLES;
const due = (received: string, hours: number, extra: Omit<Parameters<typeof dueAt>[2], 'holidays'> = {}) =>
  local(dueAt(vn(received), hours, { holidays, ...extra }));

const catchError = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError, got a result');
};

describe('Vietnam local time, whatever the machine’s time zone', () => {
  it('takes the date in UTC+7', () => {
    expect(vietnamDate(new Date('2026-02-13T16:59:59Z'))).toBe('2026-02-13');
    expect(vietnamDate(new Date('2026-02-13T17:00:00Z'))).toBe('2026-02-14');
  });

  it('formats the portal’s yyyyMMddHHmmss', () => {
    expect(portalDateTime(new Date('2026-02-13T09:05:07Z'))).toBe('20260213160507');
    expect(portalDateTime(new Date('2025-12-31T17:00:00Z'))).toBe('20260101000000');
  });

  it('refuses an invalid date', () => {
    expect(catchError(() => vietnamDate(new Date('nope'))).code).toBe('VALIDATION_FAILED');
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-02-13', true, 'Friday before Tết'],
    ['2026-02-16', false, 'Tết Bính Ngọ'],
    ['2026-02-20', false, 'last weekday of the Tết break'],
    ['2026-02-23', true, 'first day back after Tết'],
    ['2026-03-07', false, 'an ordinary Saturday'],
    ['2026-04-27', false, 'Monday off in lieu of Hùng Kings on Sunday 26/4'],
    ['2026-04-28', true, 'the Tuesday between the holidays'],
    ['2025-04-26', true, 'the make-up Saturday of 2025'],
    ['2025-05-02', false, 'the swapped Friday of 2025'],
    ['2025-09-01', false, 'National Day 2025, the adjacent day'],
    ['2025-09-02', false, 'National Day 2025'],
    ['2025-09-03', true, 'after National Day 2025'],
    ['2026-09-01', false, 'National Day 2026, the adjacent day we chose'],
    ['2027-05-03', false, 'Monday off in lieu of 1 May 2027 (a Saturday)'],
    ['2027-01-01', false, 'New Year 2027'],
  ])('%s is a working day: %s (%s)', (date, expected) => {
    expect(isWorkingDay(date, holidays)).toBe(expected);
  });

  it('reads an instant as its Vietnam date: 23:59 on Sunday is Sunday, 00:00 Monday is Monday', () => {
    expect(isWorkingDay(vn('2026-03-08T23:59'), holidays)).toBe(false);
    expect(isWorkingDay(vn('2026-03-09T00:00'), holidays)).toBe(true);
  });

  it('refuses a year with no holiday table rather than guessing', () => {
    const err = catchError(() => isWorkingDay('2024-12-31', holidays));
    expect(err.code).toBe('HOLIDAY_TABLE_MISSING');
    expect(err.details).toEqual({ year: 2024 });
  });

  it('refuses a date that does not exist', () => {
    expect(catchError(() => isWorkingDay('2026-02-30', holidays)).code).toBe('VALIDATION_FAILED');
    expect(catchError(() => isWorkingDay('13/02/2026', holidays)).code).toBe('VALIDATION_FAILED');
  });
});

describe('dueAt', () => {
  it('across Tết 2026: received Fri 13/2 16:00, 24 working hours → Wed 25/2 16:00', () => {
    // Fri 16–17 (1 h), Tết 14–22/2 off, Mon 23 (8 h), Tue 24 (8 h), Wed 07:00–11:30 (4.5 h) + 13:30–16:00 (2.5 h).
    expect(due('2026-02-13T16:00', 24)).toBe('2026-02-25T16:00');
  });

  it('received during lunch: the clock starts at 13:30', () => {
    // Tue 13:30–17:00 (3.5 h), Wed 07:00–07:30 (0.5 h).
    expect(due('2026-03-03T12:15', 4)).toBe('2026-03-04T07:30');
  });

  it('received after closing: the clock starts next working morning', () => {
    expect(due('2026-03-03T18:30', 8)).toBe('2026-03-04T17:00');
  });

  it('received before opening: the clock starts at 07:00 the same day', () => {
    expect(due('2026-03-03T06:00', 8)).toBe('2026-03-03T17:00');
  });

  it('received on a Saturday: two working days end on Tuesday evening', () => {
    expect(due('2026-03-07T10:00', 16)).toBe('2026-03-10T17:00');
  });

  it('a morning’s worth of hours ends at 11:30, not at the afternoon opening', () => {
    expect(due('2026-03-09T07:00', 4.5)).toBe('2026-03-09T11:30');
  });

  it('counts fractions of an hour: half an hour from 11:15 is 13:45', () => {
    expect(due('2026-03-09T11:15', 0.5)).toBe('2026-03-09T13:45');
  });

  it('skips Hùng Kings 2026 (Sunday 26/4), its Monday in lieu and 30/4–1/5', () => {
    // Fri 24/4 15–17 (2 h), Tue 28 (8 h), Wed 29 (8 h), Mon 4/5 07:00–11:30 (4.5 h) + 13:30–15:00 (1.5 h).
    expect(due('2026-04-24T15:00', 16)).toBe('2026-04-29T15:00');
    expect(due('2026-04-24T15:00', 24)).toBe('2026-05-04T15:00');
  });

  it('skips National Day 2025 (Mon 1/9 and Tue 2/9)', () => {
    // Fri 29/8 14–17 (3 h), Wed 3/9 07:00–11:30 (4.5 h) + 13:30–14:00 (0.5 h).
    expect(due('2025-08-29T14:00', 8)).toBe('2025-09-03T14:00');
  });

  it('works the make-up Saturday of 2025', () => {
    // Fri 25/4 16–17 (1 h), Sat 26/4 07:00–11:30 (4.5 h) + 13:30–16:00 (2.5 h).
    expect(due('2025-04-25T16:00', 8)).toBe('2025-04-26T16:00');
  });

  it('runs from one year’s table into the next', () => {
    // Wed 31/12/2025 16–17 (1 h), Thu 1/1/2026 off, Fri 2/1 off (New Year swap), Mon 5/1 07:00–11:30 + 13:30–16:00.
    expect(due('2025-12-31T16:00', 8)).toBe('2026-01-05T16:00');
  });

  it('adds a supplement pause back: 13 working hours paused move Tue 17:00 to Thu 14:00', () => {
    expect(due('2026-03-02T07:00', 16)).toBe('2026-03-03T17:00');
    // Paused Mon 15:00 → Wed 10:00: Mon 2 h + Tue 8 h + Wed 3 h of working time.
    const pauses = [{ from: vn('2026-03-02T15:00'), to: vn('2026-03-04T10:00') }];
    expect(due('2026-03-02T07:00', 16, { pauses })).toBe('2026-03-05T14:00');
  });

  it('counts overlapping pauses once, and ignores pauses before receipt', () => {
    const pauses = [
      { from: vn('2026-03-02T15:00'), to: vn('2026-03-03T17:00') },
      { from: vn('2026-03-03T09:00'), to: vn('2026-03-04T10:00') },
      { from: vn('2026-02-02T07:00'), to: vn('2026-02-03T07:00') },
    ];
    expect(due('2026-03-02T07:00', 16, { pauses })).toBe('2026-03-05T14:00');
  });

  it('follows an office’s own hours', () => {
    const hours = {
      sessions: [
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
    };
    expect(due('2026-03-09T12:30', 4, { hours })).toBe('2026-03-09T17:00');
    expect(due('2026-03-09T07:00', 1, { hours })).toBe('2026-03-09T09:00');
  });

  it('with zero hours, is when the clock starts', () => {
    expect(due('2026-03-07T10:00', 0)).toBe('2026-03-09T07:00');
    expect(local(clockStartsAt(vn('2026-03-09T12:00'), { holidays }))).toBe('2026-03-09T13:30');
    expect(local(clockStartsAt(vn('2026-03-09T09:10'), { holidays }))).toBe('2026-03-09T09:10');
  });

  it('never blocks a deadline that runs past the last table: it projects weekends and fixed-date holidays', () => {
    // Fri 31/12/2027 16:00 + 8 h: 1 h on Friday, Sat 1/1/2028 is New Year and a weekend, so Monday 3/1 is off in
    // lieu (Labour Code Art. 111.3); Tuesday 4/1 gives the other 7 h.
    expect(due('2027-12-31T16:00', 8)).toBe('2028-01-04T16:00');
    expect(isProvisionalSpan(vn('2027-12-31T16:00'), vn('2028-01-04T16:00'), holidays)).toBe(true);
    // 2027 itself is still a projection in the seeded data, so a span inside it is provisional too.
    expect(isProvisionalSpan(vn('2027-03-01T08:00'), vn('2027-03-03T08:00'), holidays)).toBe(true);
    expect(isProvisionalSpan(vn('2026-03-09T08:00'), vn('2026-03-11T08:00'), holidays)).toBe(false);
  });

  it('still refuses a year before the first table, and a calendar with no table at all', () => {
    expect(catchError(() => dueAt(vn('2024-12-30T08:00'), 8, { holidays })).code).toBe(
      'HOLIDAY_TABLE_MISSING',
    );
    expect(catchError(() => dueAt(vn('2026-03-09T08:00'), 8, { holidays: [] })).code).toBe(
      'HOLIDAY_TABLE_MISSING',
    );
  });

  it('moves a due date over the 2026 New Year swap: Friday 2/1 off, Saturday 10/1 worked', () => {
    // Wed 31/12/2025 07:00 + 3 working days: Wednesday, then Thu 1/1 and Fri 2/1 off, so Mon 5/1 and Tue 6/1
    // (without the swap it would have been Monday 5/1 17:00).
    expect(due('2025-12-31T07:00', 24)).toBe('2026-01-06T17:00');
    expect(isWorkingDay('2026-01-02', holidays)).toBe(false);
    expect(isWorkingDay('2026-01-10', holidays)).toBe(true);
    // Fri 9/1 08:00 + 2 working days: the rest of Friday, then Saturday 10/1 is a working day.
    expect(due('2026-01-09T07:00', 16)).toBe('2026-01-10T17:00');
    expect(addWorkingDays('2026-01-09', 1, { holidays })).toBe('2026-01-10');
  });

  it('counts the days before the published calendar runs out', () => {
    expect(calendarRunway(holidays, '2026-10-02')).toEqual({
      lastPublishedYear: 2026,
      coveredUntil: '2026-12-31',
      daysLeft: 90,
    });
    expect(calendarRunway([], '2026-10-02').lastPublishedYear).toBeNull();
  });

  it('refuses bad input', () => {
    expect(catchError(() => dueAt(new Date(Number.NaN), 8, { holidays })).details).toMatchObject({
      field: 'receivedAt',
    });
    expect(catchError(() => dueAt(vn('2026-03-09T07:00'), -1, { holidays })).details).toMatchObject({
      field: 'workingHours',
    });
    expect(catchError(() => dueAt(vn('2026-03-09T07:00'), Number.POSITIVE_INFINITY, { holidays })).code).toBe(
      'VALIDATION_FAILED',
    );
    const backwards = [{ from: vn('2026-03-04T10:00'), to: vn('2026-03-02T15:00') }];
    expect(
      catchError(() => dueAt(vn('2026-03-02T07:00'), 8, { holidays, pauses: backwards })).details,
    ).toMatchObject({
      field: 'pauses',
    });
  });

  it('refuses office hours that make no sense', () => {
    const bad = [
      { sessions: [] },
      { sessions: [{ start: '7:00', end: '11:30' }] },
      { sessions: [{ start: '11:30', end: '07:00' }] },
      {
        sessions: [
          { start: '07:00', end: '12:00' },
          { start: '11:00', end: '17:00' },
        ],
      },
      { sessions: [{ start: '07:00', end: '25:00' }] },
    ];
    for (const hours of bad) {
      expect(catchError(() => dueAt(vn('2026-03-09T07:00'), 8, { holidays, hours })).code).toBe(
        'VALIDATION_FAILED',
      );
    }
  });

  it('defaults to 07:00–11:30 and 13:30–17:00, eight hours a day', () => {
    expect(DEFAULT_OFFICE_HOURS.sessions).toEqual([
      { start: '07:00', end: '11:30' },
      { start: '13:30', end: '17:00' },
    ]);
    expect(workingHoursBetween(vn('2026-03-09T00:00'), vn('2026-03-10T00:00'), { holidays })).toBe(8);
  });
});

describe('workingHoursBetween', () => {
  it('counts only working sessions of working days: Fri 13/2 16:00 → Mon 23/2 11:00 is 5 h', () => {
    expect(workingHoursBetween(vn('2026-02-13T16:00'), vn('2026-02-23T11:00'), { holidays })).toBe(5);
  });

  it('is negative when the second time is earlier', () => {
    expect(workingHoursBetween(vn('2026-02-23T11:00'), vn('2026-02-13T16:00'), { holidays })).toBe(-5);
  });

  it('is zero between two times of one lunch break, or of one weekend', () => {
    expect(workingHoursBetween(vn('2026-03-09T11:40'), vn('2026-03-09T13:20'), { holidays })).toBe(0);
    expect(workingHoursBetween(vn('2026-03-07T08:00'), vn('2026-03-08T16:00'), { holidays })).toBe(0);
    expect(workingHoursBetween(vn('2026-03-09T09:00'), vn('2026-03-09T09:00'), { holidays })).toBe(0);
  });

  it('a whole ordinary week is 40 h', () => {
    expect(workingHoursBetween(vn('2026-03-09T00:00'), vn('2026-03-14T00:00'), { holidays })).toBe(40);
  });

  it('leaves out pauses', () => {
    const pauses = [{ from: vn('2026-03-09T10:00'), to: vn('2026-03-09T14:00') }];
    // 07:00–10:00 (3 h) and 14:00–17:00 (3 h).
    expect(workingHoursBetween(vn('2026-03-09T07:00'), vn('2026-03-09T17:00'), { holidays, pauses })).toBe(6);
  });

  it('is consistent with dueAt', () => {
    const received = vn('2026-02-11T09:20');
    const deadline = dueAt(received, 37.25, { holidays });
    expect(workingHoursBetween(received, deadline, { holidays })).toBe(37.25);
  });
});

describe('addWorkingDays', () => {
  it('jumps the Tết break', () => {
    expect(addWorkingDays('2026-02-13', 1, { holidays })).toBe('2026-02-23');
    expect(addWorkingDays('2026-02-23', -1, { holidays })).toBe('2026-02-13');
  });

  it('with 0, keeps a working day and moves a day off to the next working day', () => {
    expect(addWorkingDays('2026-02-13', 0, { holidays })).toBe('2026-02-13');
    expect(addWorkingDays('2026-02-14', 0, { holidays })).toBe('2026-02-23');
  });

  it('counts the 2025 make-up Saturday and skips the swapped Friday', () => {
    expect(addWorkingDays('2025-04-25', 1, { holidays })).toBe('2025-04-26');
    expect(addWorkingDays('2025-04-29', 2, { holidays })).toBe('2025-05-06');
  });

  it('takes an instant’s Vietnam date: Sat 14/2 06:00 local is still Friday 13/2 in UTC', () => {
    expect(addWorkingDays(vn('2026-02-14T06:00'), 0, { holidays })).toBe('2026-02-23');
    expect(addWorkingDays(vn('2026-02-13T23:30'), 1, { holidays })).toBe('2026-02-23');
  });

  it('refuses a fractional count', () => {
    expect(catchError(() => addWorkingDays('2026-02-13', 1.5, { holidays })).details).toMatchObject({
      field: 'days',
    });
  });
});

describe('forwardingDeadline (paper dossiers, the 15:00 rule)', () => {
  it.each([
    ['2026-03-03T14:59', '2026-03-03T17:00', 'before 15:00: the same working day'],
    ['2026-03-03T15:00', '2026-03-03T17:00', 'at 15:00 exactly: still the same day'],
    ['2026-03-03T15:01', '2026-03-04T11:30', 'after 15:00: by the end of next morning'],
    ['2026-03-03T06:30', '2026-03-03T17:00', 'before opening: the same day'],
    ['2026-03-07T09:00', '2026-03-09T11:30', 'on a Saturday: Monday morning'],
    ['2026-02-13T15:30', '2026-02-23T11:30', 'Friday afternoon before Tết: the first morning after it'],
    ['2026-04-24T16:00', '2026-04-28T11:30', 'before Hùng Kings: Tuesday, after the Monday in lieu'],
  ])('received %s → forward by %s (%s)', (received, expected) => {
    expect(local(forwardingDeadline(vn(received), { holidays }))).toBe(expected);
  });

  it('takes another cutoff when configured', () => {
    expect(local(forwardingDeadline(vn('2026-03-03T14:30'), { holidays, cutoff: '14:00' }))).toBe(
      '2026-03-04T11:30',
    );
  });

  it('follows the office’s hours', () => {
    const hours = {
      sessions: [
        { start: '07:30', end: '11:00' },
        { start: '13:00', end: '16:30' },
      ],
    };
    expect(local(forwardingDeadline(vn('2026-03-03T10:00'), { holidays, hours }))).toBe('2026-03-03T16:30');
    expect(local(forwardingDeadline(vn('2026-03-03T16:00'), { holidays, hours }))).toBe('2026-03-04T11:00');
  });

  it('refuses a malformed cutoff', () => {
    expect(
      catchError(() => forwardingDeadline(vn('2026-03-03T10:00'), { holidays, cutoff: '3pm' })).code,
    ).toBe('VALIDATION_FAILED');
  });
});
