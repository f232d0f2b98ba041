import { sql } from 'drizzle-orm';
import {
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { desks, offices } from './offices';

/**
 * A service group of an office's queue (nhóm dịch vụ): its letter prefixes the numbers, and the procedure
 * fields (`procedures.field`) it serves let a ticket that names a procedure land in the right group.
 */
export const queueGroups = pgTable(
  'queue_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id),
    code: varchar('code', { length: 2 }).notNull(),
    nameVi: text('name_vi').notNull(),
    nameEn: text('name_en').notNull(),
    fields: text('fields').array().notNull().default(sql`'{}'::text[]`),
    sort: smallint('sort').notNull().default(0),
  },
  (t) => [uniqueIndex('queue_groups_office_code').on(t.officeId, t.code)],
);

/** Which groups a desk calls; a desk with none calls every group of its office. */
export const queueDeskGroups = pgTable(
  'queue_desk_groups',
  {
    deskId: uuid('desk_id')
      .notNull()
      .references(() => desks.id),
    groupId: uuid('group_id')
      .notNull()
      .references(() => queueGroups.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.deskId, t.groupId] })],
);

/** An office's own queue rules where they differ from the default (`DEFAULT_QUEUE_RULES` in shared). */
export const queueSettings = pgTable('queue_settings', {
  officeId: uuid('office_id')
    .primaryKey()
    .references(() => offices.id),
  rules: jsonb('rules').$type<Record<string, unknown>>().notNull(),
});

/** The last number issued per group and local day: one row update hands out numbers without a race. */
export const queueCounters = pgTable(
  'queue_counters',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => queueGroups.id, { onDelete: 'cascade' }),
    day: date('day').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.day] })],
);

export const ticketSource = pgEnum('ticket_source', ['kiosk', 'desk_qr', 'booked']);
export const ticketStatus = pgEnum('ticket_status', ['waiting', 'called', 'done', 'no_show']);

/** One visit's queue number (số thứ tự). */
export const queueTickets = pgTable(
  'queue_tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id),
    groupId: uuid('group_id')
      .notNull()
      .references(() => queueGroups.id),
    /** The local day the number is for (the booking's day for a booked slot). */
    day: date('day').notNull(),
    number: integer('number').notNull(),
    label: varchar('label', { length: 8 }).notNull(),
    source: ticketSource('source').notNull(),
    status: ticketStatus('status').notNull().default('waiting'),
    /** Declared by the citizen (disabled, pregnant, elderly); checked by the clerk at the desk. */
    claims: text('claims').array().notNull().default(sql`'{}'::text[]`),
    fullName: text('full_name'),
    phone: varchar('phone', { length: 15 }),
    procedureCode: varchar('procedure_code', { length: 16 }),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    /** A booked slot's start; null for walk-ins. */
    slotStart: timestamp('slot_start', { withTimezone: true }),
    /** Where the wait is counted from: issue time, or the slot's start for a booking. */
    waitFrom: timestamp('wait_from', { withTimezone: true }).notNull(),
    deskId: uuid('desk_id').references(() => desks.id),
    calledAt: timestamp('called_at', { withTimezone: true }),
    /** The last (re)call, so the waiting-room screen announces a recall again. */
    announcedAt: timestamp('announced_at', { withTimezone: true }),
    recalls: smallint('recalls').notNull().default(0),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('queue_tickets_number').on(t.groupId, t.day, t.number),
    // Call next: the waiting numbers of an office's day.
    index('queue_tickets_waiting').on(t.officeId, t.day).where(sql`${t.status} = 'waiting'`),
    // The waiting-room screen and the board: an office's day.
    index('queue_tickets_office_day').on(t.officeId, t.day, t.announcedAt),
    index('queue_tickets_booked_slot').on(t.groupId, t.slotStart).where(sql`${t.slotStart} is not null`),
  ],
);
