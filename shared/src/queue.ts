import { DEFAULT_OFFICE_HOURS, isWorkingDay, type OfficeHours, vietnamDate } from './calendar';
import { appError } from './errors';
import type { HolidayTable } from './holidays';

/**
 * Who is called first at the counter. Each claim is declared by the citizen when taking the number and
 * checked by the clerk at the desk. The default order follows the laws that grant priority at public
 * service points — people with disabilities (Luật Người khuyết tật 2010, art. 4), pregnant women, people
 * aged 60 or over (Luật Người cao tuổi 2009, art. 6) — and then a citizen who booked a slot and arrived in
 * its window; everyone else in order of arrival. An office may store its own order (`queue_settings`).
 */
export const PRIORITY_CLAIMS = ['disabled', 'pregnant', 'elderly', 'booked_on_time'] as const;
export type PriorityClaim = (typeof PRIORITY_CLAIMS)[number];
/** The claims a citizen can declare (booked-on-time is the server's to decide). */
export const DECLARED_CLAIMS = ['disabled', 'pregnant', 'elderly'] as const;
export type DeclaredClaim = (typeof DECLARED_CLAIMS)[number];

export const DEFAULT_PRIORITY_ORDER: readonly PriorityClaim[] = PRIORITY_CLAIMS;

export type QueueRules = {
  /** Claims in the order they are served; a claim not listed gives no priority. */
  priorityOrder: readonly PriorityClaim[];
  /** Length of a bookable slot. */
  slotMinutes: number;
  /** Bookings one service group takes per slot. */
  slotCapacity: number;
  /** A booked citizen counts as on time from this long before the slot's start… */
  earlyMinutes: number;
  /** …until this long after it; later, they wait like everyone else, from the slot's start. */
  graceMinutes: number;
  /** How far ahead bookings open. */
  bookingDays: number;
  /** A wait longer than this counts as a long wait on the board. */
  waitTargetMinutes: number;
};

export const DEFAULT_QUEUE_RULES: QueueRules = {
  priorityOrder: DEFAULT_PRIORITY_ORDER,
  slotMinutes: 15,
  slotCapacity: 2,
  earlyMinutes: 15,
  graceMinutes: 15,
  bookingDays: 14,
  waitTargetMinutes: 15,
};

const VN_OFFSET_MS = 7 * 3_600_000;
const MINUTE_MS = 60_000;

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** The instant of local `date` (`YYYY-MM-DD`) at `minute` past midnight, Vietnam time. */
const localInstant = (date: string, minute: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + minute * MINUTE_MS - VN_OFFSET_MS);

/** Minutes past local midnight of an instant. */
export const localMinute = (at: Date) => Math.floor(((at.getTime() + VN_OFFSET_MS) % 86_400_000) / MINUTE_MS);

/** Which day off a date is, for the message (null on a weekend or when the tables do not name it). */
export const dayOffName = (date: string, holidays: readonly HolidayTable[]) => {
  for (const t of holidays) {
    const day = t.days.find((d) => d.date === date);
    if (day) return { vi: day.name_vi, en: day.name_en };
  }
  return null;
};

/**
 * The bookable slots of one local day: every whole slot inside a session of the office's hours, none on a day
 * off. Refuses a day off with QUEUE_SLOT_HOLIDAY (naming the holiday when the calendar does).
 */
export const slotsOfDay = (
  date: string,
  opts: { hours?: OfficeHours | null; holidays: readonly HolidayTable[]; slotMinutes: number },
) => {
  if (!isWorkingDay(date, opts.holidays))
    throw appError('QUEUE_SLOT_HOLIDAY', { date, holiday: dayOffName(date, opts.holidays) });
  const slots: Date[] = [];
  for (const s of (opts.hours ?? DEFAULT_OFFICE_HOURS).sessions) {
    for (let m = minutesOf(s.start); m + opts.slotMinutes <= minutesOf(s.end); m += opts.slotMinutes)
      slots.push(localInstant(date, m));
  }
  return slots;
};

/**
 * Checks a booking's slot: a working day, a whole slot inside the office's hours, after `now` and within the
 * booking horizon. Returns the slot's local date.
 */
export const checkSlot = (
  slotStart: Date,
  opts: { hours?: OfficeHours | null; holidays: readonly HolidayTable[]; rules: QueueRules; now: Date },
) => {
  const date = vietnamDate(slotStart);
  const slots = slotsOfDay(date, { ...opts, slotMinutes: opts.rules.slotMinutes });
  if (!slots.some((s) => s.getTime() === slotStart.getTime()))
    throw appError('QUEUE_SLOT_OUTSIDE_HOURS', { slotStart: slotStart.toISOString() });
  const horizon = opts.now.getTime() + opts.rules.bookingDays * 86_400_000;
  if (slotStart.getTime() <= opts.now.getTime() || slotStart.getTime() > horizon)
    throw appError('QUEUE_SLOT_PAST', { slotStart: slotStart.toISOString() });
  return date;
};

/**
 * Whether walk-in numbers are issued at `now`: on a working day, until the end of the last session (citizens
 * may take a number before the doors open).
 */
export const isOpenForTickets = (
  now: Date,
  opts: { hours?: OfficeHours | null; holidays: readonly HolidayTable[] },
) => {
  const date = vietnamDate(now);
  if (!isWorkingDay(date, opts.holidays)) return false;
  const sessions = (opts.hours ?? DEFAULT_OFFICE_HOURS).sessions;
  const last = sessions[sessions.length - 1];
  return !last || localMinute(now) < minutesOf(last.end);
};

/** The number shown and called: the group's letter and three digits, `A007`. */
export const ticketLabel = (groupCode: string, number: number) =>
  `${groupCode}${String(number).padStart(3, '0')}`;

/** How the waiting-room screen says a call aloud, digit by digit as Vietnamese queue systems do. */
const DIGITS_VI = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];
export const callOutVi = (label: string, deskName: string) => {
  const spoken = [...label].map((ch) => (/\d/.test(ch) ? DIGITS_VI[Number(ch)] : ch)).join(' ');
  return `Mời số ${spoken} đến ${deskName}`;
};
