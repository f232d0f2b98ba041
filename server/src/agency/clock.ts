import {
  type CalendarOptions,
  DEFAULT_OFFICE_HOURS,
  forwardingDeadline,
  workingHoursBetween,
} from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { offices } from '../db/schema';
import { loadHolidayTables } from '../intake/holidays';

/**
 * The calendar a dossier's clock runs on: the receiving office's hours (the due time on Mẫu 01 was counted
 * with them) and the holiday tables in force.
 */
export const calendarFor = async (db: Db, officeId: string): Promise<CalendarOptions> => {
  const [office] = await db
    .select({ officeHours: offices.officeHours })
    .from(offices)
    .where(eq(offices.id, officeId));
  return { holidays: await loadHolidayTables(db), hours: office?.officeHours ?? DEFAULT_OFFICE_HOURS };
};

/** Working hours from a to b on this calendar, bound for a lifecycle guard. */
export const boundWorkingHours = (cal: CalendarOptions) => (a: Date, b: Date) =>
  workingHoursBetween(a, b, cal);

/** Decree 61/2018 Art. 18: the paper dossier leaves the same working day, or the next morning after 15:00. */
export const paperHandOverBy = (at: Date, cal: CalendarOptions) =>
  forwardingDeadline(at, { holidays: cal.holidays, ...(cal.hours ? { hours: cal.hours } : {}) });

export type Timeliness = 'early' | 'on_time' | 'late';

const VN_OFFSET_MS = 7 * 3_600_000;
const localDay = (d: Date) => Math.floor((d.getTime() + VN_OFFSET_MS) / 86_400_000);

/** Mẫu 05's column: late after the due time, on time on the due day, early on an earlier day. */
export const timelinessOf = (at: Date, due: Date | null): Timeliness | null => {
  if (!due) return null;
  if (at.getTime() > due.getTime()) return 'late';
  return localDay(at) < localDay(due) ? 'early' : 'on_time';
};
