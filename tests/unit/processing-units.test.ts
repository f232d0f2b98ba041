import {
  DEFAULT_OFFICE_HOURS,
  HOLIDAY_TABLES,
  processingDue,
  processingTimeOf,
  processingTimeText,
} from '@postdesk/shared';
import { describe, expect, it } from 'vitest';

const vn = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);
const cal = { holidays: HOLIDAY_TABLES, hours: DEFAULT_OFFICE_HOURS };

describe('processing time in the unit each procedure version gives', () => {
  it('working days: 8 working hours each, skipping the weekend', () => {
    // Fri 06/03/2026 10:00 + 2 working days = Tue 10/03 10:00.
    expect(processingDue(vn('2026-03-06 10:00'), { unit: 'working_days', amount: 2 }, cal)).toEqual(
      vn('2026-03-10 10:00'),
    );
  });

  it('working hours with a fraction: 3.5 h from 10:00 crosses lunch', () => {
    // 10:00–11:30 is 1.5 h, then 2 h from 13:30.
    expect(processingDue(vn('2026-03-06 10:00'), { unit: 'working_hours', amount: 3.5 }, cal)).toEqual(
      vn('2026-03-06 15:30'),
    );
  });

  it('calendar days end at closing time of the last day, moved to the next working day when it is off', () => {
    // Received Mon 02/03: 5 days → Sat 07/03 is off → Mon 09/03 17:00.
    expect(processingDue(vn('2026-03-02 09:00'), { unit: 'calendar_days', amount: 5 }, cal)).toEqual(
      vn('2026-03-09 17:00'),
    );
    // 3 days → Thu 05/03 17:00 (a working day).
    expect(processingDue(vn('2026-03-02 09:00'), { unit: 'calendar_days', amount: 3 }, cal)).toEqual(
      vn('2026-03-05 17:00'),
    );
  });

  it('same day, or the next working day when received after 15:00', () => {
    expect(processingDue(vn('2026-03-06 14:59'), { unit: 'same_day', amount: 0 }, cal)).toEqual(
      vn('2026-03-06 17:00'),
    );
    // Friday 15:01 → Monday's closing.
    expect(processingDue(vn('2026-03-06 15:01'), { unit: 'same_day', amount: 0 }, cal)).toEqual(
      vn('2026-03-09 17:00'),
    );
    // Received on the 2026 New Year swap day off (Fri 02/01) → the next working day, Mon 05/01.
    expect(processingDue(vn('2026-01-02 09:00'), { unit: 'same_day', amount: 0 }, cal)).toEqual(
      vn('2026-01-05 17:00'),
    );
  });

  it('a version without an amount reads its stored working hours in its unit; the forms say the unit', () => {
    expect(
      processingTimeOf({ processingHours: 80, processingUnit: 'working_days', processingAmount: null }),
    ).toEqual({
      unit: 'working_days',
      amount: 10,
    });
    expect(
      processingTimeOf({ processingHours: 4, processingUnit: 'working_hours', processingAmount: 3.5 }),
    ).toEqual({
      unit: 'working_hours',
      amount: 3.5,
    });
    expect(processingTimeText({ unit: 'working_hours', amount: 3.5 })).toBe('3,5 giờ làm việc');
    expect(processingTimeText({ unit: 'calendar_days', amount: 15 })).toBe('15 ngày');
  });

  it('a negative or, for calendar days, fractional amount is refused', () => {
    expect(() => processingDue(vn('2026-03-06 10:00'), { unit: 'working_days', amount: -1 }, cal)).toThrow();
    expect(() =>
      processingDue(vn('2026-03-06 10:00'), { unit: 'calendar_days', amount: 1.5 }, cal),
    ).toThrow();
  });
});
