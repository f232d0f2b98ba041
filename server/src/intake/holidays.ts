import type { HolidayTable } from '@postdesk/shared';
import { asc } from 'drizzle-orm';
import type { Db } from '../db/client';
import { holidays } from '../db/schema';

/** The holiday tables in force, from the database (the seeded official days plus any a supervisor added). */
export const loadHolidayTables = async (db: Db): Promise<HolidayTable[]> => {
  const list = await db.select().from(holidays).orderBy(asc(holidays.day));
  type Mutable = {
    year: number;
    source: string;
    days: HolidayTable['days'][number][];
    workingWeekends: HolidayTable['workingWeekends'][number][];
  };
  const byYear = new Map<number, Mutable>();
  for (const row of list) {
    const table = byYear.get(row.year) ?? {
      year: row.year,
      source: row.source,
      days: [],
      workingWeekends: [],
    };
    if (row.kind === 'working_weekend') table.workingWeekends.push({ date: row.day, name: row.nameVi });
    else table.days.push({ date: row.day, name_vi: row.nameVi, name_en: row.nameEn, kind: row.kind });
    byYear.set(row.year, table);
  }
  return [...byYear.values()];
};
