import { sql } from 'drizzle-orm';
import {
  check,
  date,
  doublePrecision,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { dossiers } from './dossiers';
import { offices } from './offices';
import { users } from './users';

/** One day of a year's calendar as an administrator loads and corrects it. */
export type CalendarDayRow = {
  /** Local `YYYY-MM-DD`. */
  date: string;
  kind: 'holiday' | 'compensatory' | 'swap_off' | 'working_weekend';
  nameVi: string;
  nameEn: string;
};

export const holidayCalendarState = pgEnum('holiday_calendar_state', ['draft', 'published', 'superseded']);

/**
 * Every version of a year's holiday calendar: at most one draft being corrected and one published (in force,
 * copied into `holidays`); earlier published versions stay as `superseded` so any due time can be explained.
 */
export const holidayCalendarVersions = pgTable(
  'holiday_calendar_versions',
  {
    year: integer('year').notNull(),
    version: integer('version').notNull(),
    state: holidayCalendarState('state').notNull(),
    source: text('source').notNull(),
    days: jsonb('days').$type<CalendarDayRow[]>().notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedBy: uuid('published_by').references(() => users.id),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.year, t.version] }),
    uniqueIndex('holiday_calendar_one_draft_per_year').on(t.year).where(sql`${t.state} = 'draft'`),
    uniqueIndex('holiday_calendar_one_published_per_year').on(t.year).where(sql`${t.state} = 'published'`),
  ],
);

/**
 * A legal due time issued while part of its span was in a year with no published calendar (weekends and the
 * fixed-date holidays only). Publishing that year recomputes it from `countedFrom` and `workingHours`; a due
 * time issued from published years never gets a row here and is never recomputed.
 */
export const provisionalDueTimes = pgTable('provisional_due_times', {
  dossierId: uuid('dossier_id')
    .primaryKey()
    .references(() => dossiers.id),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  countedFrom: timestamp('counted_from', { withTimezone: true }).notNull(),
  workingHours: doublePrecision('working_hours').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Decision 766 publicity points (group CKMB, 0–18) per unit and month, measured outside PostDesk. */
export const publicityScores = pgTable(
  'publicity_scores',
  {
    unitId: uuid('unit_id')
      .notNull()
      .references(() => offices.id),
    month: date('month').notNull(),
    /** Hundredths of a point, so 17.25 is stored exactly. */
    centiPoints: integer('centi_points').notNull(),
    source: varchar('source', { length: 16 }).notNull(),
    enteredBy: uuid('entered_by').references(() => users.id),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.unitId, t.month] }),
    check('publicity_scores_in_range', sql`${t.centiPoints} between 0 and 1800`),
    check('publicity_scores_first_of_month', sql`extract(day from ${t.month}) = 1`),
  ],
);
