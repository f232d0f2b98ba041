import { appError } from './errors';
import { type HolidayTable, projectedHolidayTable } from './holidays';

/**
 * Working time as state offices count it, in Vietnam local time. Vietnam is UTC+7 all year (no DST), so
 * local wall-clock values are read by shifting the instant +7 h and using the UTC getters; the machine's
 * time zone and Intl time-zone data never matter.
 */
const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export const HOURS_PER_WORKING_DAY = 8;

/** One working session, local wall-clock `HH:MM`. */
export type OfficeSession = { start: string; end: string };
export type OfficeHours = { sessions: readonly OfficeSession[] };

export const DEFAULT_OFFICE_HOURS: OfficeHours = {
  sessions: [
    { start: '07:00', end: '11:30' },
    { start: '13:30', end: '17:00' },
  ],
};

/** A stretch when the clock does not run (a supplement request until the documents arrive). */
export type Pause = { from: Date; to: Date };

export type CalendarOptions = {
  /** The office's hours; 07:00–11:30 and 13:30–17:00 unless the office sets its own. */
  hours?: OfficeHours;
  holidays: readonly HolidayTable[];
  pauses?: readonly Pause[];
};

const invalid = (field: string, extra: Record<string, unknown> = {}) =>
  appError('VALIDATION_FAILED', { field, ...extra });

const instantMs = (d: Date, field: string) => {
  const ms = d instanceof Date ? d.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw invalid(field);
  return ms;
};

/** Days since 1970-01-01 in Vietnam local time. */
const localDay = (ms: number) => Math.floor((ms + VN_OFFSET_MS) / DAY_MS);
const msAt = (day: number, minute: number) => day * DAY_MS + minute * MINUTE_MS - VN_OFFSET_MS;
const dayKey = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local calendar date of an instant, `YYYY-MM-DD`. */
export const vietnamDate = (d: Date) => dayKey(localDay(instantMs(d, 'date')));

/** `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh, the portal's date format. */
export const portalDateTime = (d: Date) => {
  const local = new Date(instantMs(d, 'date') + VN_OFFSET_MS);
  return (
    `${local.getUTCFullYear()}${pad(local.getUTCMonth() + 1)}${pad(local.getUTCDate())}` +
    `${pad(local.getUTCHours())}${pad(local.getUTCMinutes())}${pad(local.getUTCSeconds())}`
  );
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local day number of a `YYYY-MM-DD` string, or null when it is not a real date. */
const parseIsoDate = (s: string): number | null => {
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
};

const dayOf = (date: Date | string, field: string) => {
  if (typeof date !== 'string') return localDay(instantMs(date, field));
  const day = parseIsoDate(date);
  if (day === null) throw invalid(field);
  return day;
};

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;

const minuteOf = (s: string, field: string) => {
  const m = HHMM.exec(s);
  const minute = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!(minute <= 24 * 60)) throw invalid(field, { value: s });
  return minute;
};

type Span = readonly [start: number, end: number];

const sessionCache = new WeakMap<OfficeHours, Span[]>();

const sessionsOf = (hours: OfficeHours = DEFAULT_OFFICE_HOURS): Span[] => {
  const cached = sessionCache.get(hours);
  if (cached) return cached;
  const spans = hours.sessions.map((s): Span => [minuteOf(s.start, 'hours'), minuteOf(s.end, 'hours')]);
  if (spans.length === 0) throw invalid('hours', { reason: 'no_sessions' });
  spans.forEach(([start, end], i) => {
    const previousEnd = spans[i - 1]?.[1] ?? 0;
    if (start >= end || start < previousEnd) throw invalid('hours', { reason: 'sessions_out_of_order' });
  });
  sessionCache.set(hours, spans);
  return spans;
};

type DayIndex = {
  off: Set<string>;
  work: Set<string>;
  years: Set<number>;
  /** The last year with a table; later years are projected (weekends and fixed-date holidays). */
  lastYear: number;
};

const indexCache = new WeakMap<readonly HolidayTable[], DayIndex>();

const addTable = (index: DayIndex, t: HolidayTable) => {
  for (const d of t.days) index.off.add(d.date);
  for (const d of t.workingWeekends) index.work.add(d.date);
  index.years.add(t.year);
};

const indexOf = (tables: readonly HolidayTable[]): DayIndex => {
  const cached = indexCache.get(tables);
  if (cached) return cached;
  const index: DayIndex = {
    off: new Set(),
    work: new Set(),
    years: new Set(),
    lastYear: tables.length ? Math.max(...tables.map((t) => t.year)) : Number.POSITIVE_INFINITY,
  };
  for (const t of tables) addTable(index, t);
  indexCache.set(tables, index);
  return index;
};

/**
 * A year before the first table (or with no table at all) is refused: it would silently count its holidays as
 * working days. A year after the last table is projected, so intake is never blocked by a calendar not yet
 * published; whoever issues such a due time marks it provisional (`isProvisionalSpan`).
 */
const isWorkingLocalDay = (day: number, index: DayIndex) => {
  const key = dayKey(day);
  const year = Number(key.slice(0, 4));
  if (!index.years.has(year)) {
    if (!(year > index.lastYear)) throw appError('HOLIDAY_TABLE_MISSING', { year });
    addTable(index, projectedHolidayTable(year));
  }
  if (index.work.has(key)) return true;
  if (index.off.has(key)) return false;
  const weekday = new Date(day * DAY_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};

/** Monday–Friday, minus the table's days off, plus its make-up weekends. A string is a local `YYYY-MM-DD`. */
export const isWorkingDay = (date: Date | string, holidays: readonly HolidayTable[]) =>
  isWorkingLocalDay(dayOf(date, 'date'), indexOf(holidays));

const mergedPauses = (pauses: readonly Pause[] = []): Span[] => {
  const spans = pauses
    .map((p): Span => [instantMs(p.from, 'pauses'), instantMs(p.to, 'pauses')])
    .filter(([from, to]) => {
      if (to < from) throw invalid('pauses', { reason: 'ends_before_start' });
      return to > from;
    })
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of spans) {
    const last = merged.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
};

const minusPauses = (span: Span, pauses: readonly Span[]): Span[] => {
  let pieces: Span[] = [span];
  for (const [from, to] of pauses) {
    pieces = pieces.flatMap(([s, e]): Span[] => {
      if (to <= s || from >= e) return [[s, e]];
      return [...(from > s ? [[s, from] as const] : []), ...(to < e ? [[to, e] as const] : [])];
    });
  }
  return pieces;
};

/**
 * Calls `visit` with each stretch of working time from `fromMs` on, in order, until it returns false.
 * Ends because years past the last table are projected; a year before the first throws HOLIDAY_TABLE_MISSING.
 */
const walkWorkingTime = (
  fromMs: number,
  opts: CalendarOptions,
  visit: (start: number, end: number) => boolean,
) => {
  const sessions = sessionsOf(opts.hours);
  const index = indexOf(opts.holidays);
  const pauses = mergedPauses(opts.pauses);
  for (let day = localDay(fromMs); ; day++) {
    if (!isWorkingLocalDay(day, index)) continue;
    for (const [startMin, endMin] of sessions) {
      const end = msAt(day, endMin);
      if (end <= fromMs) continue;
      for (const [s, e] of minusPauses([Math.max(msAt(day, startMin), fromMs), end], pauses)) {
        if (!visit(s, e)) return;
      }
    }
  }
};

/** When the clock starts for something received at `receivedAt`: then, if the office is open, else its next opening. */
export const clockStartsAt = (receivedAt: Date, opts: CalendarOptions) => {
  let start = instantMs(receivedAt, 'receivedAt');
  walkWorkingTime(start, { ...opts, pauses: [] }, (s) => {
    start = s;
    return false;
  });
  return new Date(start);
};

/**
 * The due time of a processing time given in working hours (8 h = 1 working day). Only the office's sessions
 * on working days count; a dossier received after closing starts next working morning, during lunch at the
 * afternoon opening; time inside `pauses` does not count. The due time may be a session's end (17:00).
 */
export const dueAt = (receivedAt: Date, workingHours: number, opts: CalendarOptions) => {
  const fromMs = instantMs(receivedAt, 'receivedAt');
  if (!Number.isFinite(workingHours) || workingHours < 0)
    throw invalid('workingHours', { value: workingHours });
  if (workingHours === 0) return clockStartsAt(receivedAt, opts);
  let remaining = Math.round(workingHours * HOUR_MS);
  let due = fromMs;
  walkWorkingTime(fromMs, opts, (s, e) => {
    if (e - s >= remaining) {
      due = s + remaining;
      return false;
    }
    remaining -= e - s;
    return true;
  });
  return new Date(due);
};

/** Working hours from `a` to `b` (negative when `b` is before `a`), leaving out pauses. */
export const workingHoursBetween = (a: Date, b: Date, opts: CalendarOptions): number => {
  const [aMs, bMs] = [instantMs(a, 'from'), instantMs(b, 'to')];
  if (bMs < aMs) return -workingHoursBetween(b, a, opts);
  if (aMs === bMs) return 0;
  let total = 0;
  walkWorkingTime(aMs, opts, (s, e) => {
    if (s >= bMs) return false;
    total += Math.min(e, bMs) - s;
    return e < bMs;
  });
  return total / HOUR_MS;
};

/**
 * The working day `days` working days after (or, when negative, before) `date`, as local `YYYY-MM-DD`.
 * With 0, the day itself when it is a working day, else the next one.
 */
export const addWorkingDays = (
  date: Date | string,
  days: number,
  opts: Pick<CalendarOptions, 'holidays'>,
) => {
  if (!Number.isInteger(days)) throw invalid('days', { value: days });
  const index = indexOf(opts.holidays);
  let day = dayOf(date, 'date');
  if (days === 0) {
    while (!isWorkingLocalDay(day, index)) day++;
    return dayKey(day);
  }
  const step = Math.sign(days);
  for (let left = Math.abs(days); left > 0; ) {
    day += step;
    if (isWorkingLocalDay(day, index)) left--;
  }
  return dayKey(day);
};

export type ForwardingOptions = Omit<CalendarOptions, 'pauses'> & {
  /** Local `HH:MM`; Decree 61/2018 Art. 18 sets 15:00. */
  cutoff?: string;
};

/**
 * By when a paper dossier must leave for the agency (Decree 61/2018 Art. 18): received on a working day at
 * or before the cutoff → by the end of that working day; later, or on a day off → by the end of the first
 * session of the next working day, which is how we read "the start of the next working day".
 */
export const forwardingDeadline = (receivedAt: Date, opts: ForwardingOptions) => {
  const ms = instantMs(receivedAt, 'receivedAt');
  const sessions = sessionsOf(opts.hours);
  const index = indexOf(opts.holidays);
  const cutoff = minuteOf(opts.cutoff ?? '15:00', 'cutoff');
  const day = localDay(ms);
  if (isWorkingLocalDay(day, index) && ms <= msAt(day, cutoff))
    return new Date(msAt(day, sessions.at(-1)![1]));
  let next = day + 1;
  while (!isWorkingLocalDay(next, index)) next++;
  return new Date(msAt(next, sessions[0]![1]));
};

/** Whether the year's days are firm: a table for it exists and is not a projection. */
const isPublishedYear = (year: number, holidays: readonly HolidayTable[]) =>
  holidays.some((t) => t.year === year && t.status !== 'projection');

/**
 * Whether a due time counted from `from` to `to` is provisional: some local day of the span lies in a year
 * whose calendar is not published (projected or a projection table), so publishing it may move the date.
 */
export const isProvisionalSpan = (from: Date, to: Date, holidays: readonly HolidayTable[]) => {
  const first = Number(vietnamDate(from).slice(0, 4));
  const last = Number(vietnamDate(to).slice(0, 4));
  for (let year = first; year <= last; year++) if (!isPublishedYear(year, holidays)) return true;
  return false;
};

/** Days before the last published year's calendar runs out, from the local day of `today`. */
export const calendarRunway = (holidays: readonly HolidayTable[], today: Date | string) => {
  const published = holidays.filter((t) => t.status !== 'projection').map((t) => t.year);
  const lastPublishedYear = published.length ? Math.max(...published) : null;
  const todayDay = dayOf(today, 'today');
  const endDay = lastPublishedYear === null ? todayDay - 1 : Date.UTC(lastPublishedYear, 11, 31) / DAY_MS;
  return {
    lastPublishedYear,
    /** Local `YYYY-MM-DD` of the last day covered; null when nothing is published. */
    coveredUntil: lastPublishedYear === null ? null : `${lastPublishedYear}-12-31`,
    daysLeft: endDay - todayDay,
  };
};

/** How long before the table runs out the administrator is warned (issue 15: 90 days). */
export const CALENDAR_WARNING_DAYS = 90;

/**
 * How a procedure version counts its processing time (each version says which):
 * - `working_days`: N working days of 8 working hours (the default; fractions allowed);
 * - `working_hours`: N working hours (fractions allowed, e.g. 3.5);
 * - `calendar_days`: N days counted from the day after the clock starts; the period ends at closing time of
 *   the last day, or of the next working day when that day is off (Civil Code 2015 Art. 147–148);
 * - `same_day`: the day received, or the next working day when received after the cutoff (15:00), by closing
 *   time (civil-status procedures: Law on Civil Status 2014, e.g. Art. 16.4, Art. 37.3).
 */
export const PROCESSING_UNITS = ['working_days', 'working_hours', 'calendar_days', 'same_day'] as const;
export type ProcessingUnit = (typeof PROCESSING_UNITS)[number];
export type ProcessingTime = { unit: ProcessingUnit; amount: number };

/** The legal due time of `time` counted from `start` (a receipt, or a restart after a supplement). */
export const processingDue = (
  start: Date,
  time: ProcessingTime,
  opts: CalendarOptions & { cutoff?: string },
): Date => {
  if (!Number.isFinite(time.amount) || time.amount < 0) throw invalid('amount', { value: time.amount });
  if (time.unit === 'working_hours') return dueAt(start, time.amount, opts);
  if (time.unit === 'working_days') return dueAt(start, time.amount * HOURS_PER_WORKING_DAY, opts);
  const sessions = sessionsOf(opts.hours);
  const index = indexOf(opts.holidays);
  const closing = sessions.at(-1)![1];
  const ms = instantMs(start, 'start');
  if (time.unit === 'same_day') {
    const cutoff = minuteOf(opts.cutoff ?? '15:00', 'cutoff');
    const day = localDay(ms);
    if (isWorkingLocalDay(day, index) && ms <= msAt(day, cutoff)) return new Date(msAt(day, closing));
    let next = day + 1;
    while (!isWorkingLocalDay(next, index)) next++;
    return new Date(msAt(next, closing));
  }
  if (!Number.isInteger(time.amount)) throw invalid('amount', { value: time.amount });
  let last = localDay(clockStartsAt(start, opts).getTime()) + time.amount;
  while (!isWorkingLocalDay(last, index)) last++;
  return new Date(msAt(last, closing));
};

/** The processing time as words for the forms: "10 ngày làm việc", "3,5 giờ làm việc", … */
export const processingTimeText = (time: ProcessingTime) => {
  const n = String(time.amount).replace('.', ',');
  return {
    working_days: `${n} ngày làm việc`,
    working_hours: `${n} giờ làm việc`,
    calendar_days: `${n} ngày`,
    same_day: 'Trong ngày (nộp sau 15 giờ: ngày làm việc tiếp theo)',
  }[time.unit];
};

/** A procedure version's processing time; with no amount stored, its working hours in the version's unit. */
export const processingTimeOf = (v: {
  processingHours: number;
  processingUnit: ProcessingUnit;
  processingAmount: number | null;
}): ProcessingTime => ({
  unit: v.processingUnit,
  amount:
    v.processingAmount ??
    (v.processingUnit === 'working_days' ? v.processingHours / HOURS_PER_WORKING_DAY : v.processingHours),
});
