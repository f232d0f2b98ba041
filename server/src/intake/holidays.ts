import type { HolidayTable } from '@postdesk/shared';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type CalendarDayRow, holidayCalendarVersions, provisionalDueTimes } from '../db/schema';

/** A stored calendar version as the shared calendar reads it. */
export const toHolidayTable = (v: {
  year: number;
  source: string;
  days: CalendarDayRow[];
  status: 'published' | 'projection';
}): HolidayTable => ({
  year: v.year,
  status: v.status,
  source: v.source,
  days: v.days
    .filter((d) => d.kind !== 'working_weekend')
    .map((d) => ({
      date: d.date,
      name_vi: d.nameVi,
      name_en: d.nameEn,
      kind: d.kind as Exclude<CalendarDayRow['kind'], 'working_weekend'>,
    })),
  workingWeekends: v.days
    .filter((d) => d.kind === 'working_weekend')
    .map((d) => ({ date: d.date, name: d.nameVi })),
});

/**
 * The holiday tables in force: the published version of each year an administrator published. Years after the
 * last are projected by the calendar (weekends and fixed-date holidays) and due times there are provisional.
 */
export const loadHolidayTables = async (db: Db): Promise<HolidayTable[]> => {
  const list = await db
    .select({
      year: holidayCalendarVersions.year,
      source: holidayCalendarVersions.source,
      days: holidayCalendarVersions.days,
    })
    .from(holidayCalendarVersions)
    .where(eq(holidayCalendarVersions.state, 'published'))
    .orderBy(asc(holidayCalendarVersions.year));
  return list.map((v) => toHolidayTable({ ...v, status: 'published' }));
};

/**
 * Remembers that a legal due time was issued on a projected year, with what it was counted from, so that
 * publishing the year recomputes it. Call it in the transaction that issues the due time.
 */
export const recordProvisionalDue = async (
  db: Db,
  opts: { dossierId: string; dueAt: Date; countedFrom: Date; workingHours: number },
) => {
  await db
    .insert(provisionalDueTimes)
    .values(opts)
    .onConflictDoUpdate({
      target: provisionalDueTimes.dossierId,
      set: { dueAt: opts.dueAt, countedFrom: opts.countedFrom, workingHours: opts.workingHours },
    });
};

/** Whether the dossier's legal due time is provisional (issued on a calendar year not yet published). */
export const isDueProvisional = async (db: Db, dossierId: string) =>
  (
    await db
      .select({ id: provisionalDueTimes.dossierId })
      .from(provisionalDueTimes)
      .where(eq(provisionalDueTimes.dossierId, dossierId))
  ).length > 0;
