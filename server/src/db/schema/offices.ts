import {
  type AnyPgColumn,
  doublePrecision,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { communes } from './geo';

/** Electronic id code scheme: legacy right-to-left (`000.00.01.H22`) or Decision 20/2020 left-to-right (`H42.01`). */
export const agencyIdScheme = pgEnum('agency_id_scheme', ['legacy', 'qd20']);
export const officeKind = pgEnum('office_kind', [
  'service_centre',
  'post_office',
  'agency',
  'commune_committee',
  /** A commune-level Public Administration Service Centre (Decree 118/2025): a one-stop department. */
  'commune_service_centre',
]);

export type OfficeHoursJson = { sessions: { start: string; end: string }[] };

export const offices = pgTable(
  'offices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: varchar('code', { length: 35 }).notNull().unique(),
    scheme: agencyIdScheme('scheme').notNull(),
    name: text('name').notNull(),
    kind: officeKind('kind').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => offices.id),
    communeCode: varchar('commune_code', { length: 5 }).references(() => communes.code),
    address: text('address').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    phone: text('phone'),
    /** null = the default office hours (07:00–11:30, 13:30–17:00). */
    officeHours: jsonb('office_hours').$type<OfficeHoursJson>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('offices_by_kind').on(t.kind)],
);

/** A one-stop desk (quầy) inside a post office or service centre. */
export const desks = pgTable(
  'desks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id),
    name: text('name').notNull(),
  },
  (t) => [index('desks_by_office').on(t.officeId)],
);
