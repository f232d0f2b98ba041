import {
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { dossiers } from './dossiers';
import { offices } from './offices';
import { users } from './users';

export const courierTaskKind = pgEnum('courier_task_kind', ['pickup', 'delivery']);
export const courierTaskState = pgEnum('courier_task_state', [
  'open',
  'assigned',
  'done',
  'failed',
  'cancelled',
]);

export const courierTasks = pgTable(
  'courier_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossiers.id),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id),
    kind: courierTaskKind('kind').notNull(),
    state: courierTaskState('state').notNull().default('open'),
    address: text('address').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    windowStart: timestamp('window_start', { withTimezone: true }),
    windowEnd: timestamp('window_end', { withTimezone: true }),
    courierId: uuid('courier_id').references(() => users.id),
    routeDay: date('route_day'),
    attempts: integer('attempts').notNull().default(0),
    /** Bumped by every reassignment or cancellation: a courier's queued action for an older version conflicts. */
    version: integer('version').notNull().default(0),
    /** Position on the courier's route for the day (1-based). */
    sequence: integer('sequence'),
    /** Legal service level of the postal service (J+1, J+2, …; DOMAIN.md). */
    serviceLevel: varchar('service_level', { length: 8 }),
    /** Who to meet at the door; a pickup may come before an applicant record exists. Personal data. */
    contactName: text('contact_name'),
    contactPhone: varchar('contact_phone', { length: 15 }),
    /** The last failed attempt's reason, and the earliest time of the next attempt. */
    failReason: text('fail_reason'),
    nextAttemptAfter: timestamp('next_attempt_after', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** What to collect at the door: documents, fees, documents the agency recovers. */
    collect: jsonb('collect').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('courier_tasks_by_day').on(t.officeId, t.routeDay),
    index('courier_tasks_by_courier').on(t.courierId, t.routeDay),
  ],
);

export const routes = pgTable(
  'routes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id),
    courierId: uuid('courier_id')
      .notNull()
      .references(() => users.id),
    day: date('day').notNull(),
    stops: jsonb('stops').$type<{ taskId: string; eta: string }[]>().notNull(),
    distanceM: integer('distance_m').notNull(),
    /** Set when the planner re-planned the rest of the day by itself: failed visit, urgent task, courier off. */
    replanReason: varchar('replan_reason', { length: 16 }),
    /** Distances and times were straight-line estimates (the road service was off or did not answer). */
    estimated: boolean('estimated').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('routes_by_day').on(t.officeId, t.day)],
);

/**
 * Road distance and travel time between two positions (rounded to 5 decimals, about a metre), as the
 * road `/table` service answered; read back while younger than ROAD_CACHE_TTL_HOURS.
 */
export const roadLegs = pgTable(
  'road_legs',
  {
    fromKey: varchar('from_key', { length: 24 }).notNull(),
    toKey: varchar('to_key', { length: 24 }).notNull(),
    distanceM: doublePrecision('distance_m').notNull(),
    durationS: doublePrecision('duration_s').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.fromKey, t.toKey] }), index('road_legs_by_age').on(t.fetchedAt)],
);

/** A courier taken off the day (breakdown, illness): the rest of their route is re-planned onto the others. */
export const courierOffline = pgTable(
  'courier_offline',
  {
    courierId: uuid('courier_id')
      .notNull()
      .references(() => users.id),
    day: date('day').notNull(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id),
    /** Who declared it: the supervisor, or the courier from the app. */
    byUserId: uuid('by_user_id')
      .notNull()
      .references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.courierId, t.day] })],
);

export const proofKind = pgEnum('proof_kind', ['pickup', 'delivery', 'failed_pickup', 'failed_delivery']);

/** What happened at the door, as the courier's phone recorded it; one row per queued action (idempotent). */
export const courierProofs = pgTable(
  'courier_proofs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The phone's id for this action: a re-sent action finds the first one. */
    clientActionId: varchar('client_action_id', { length: 64 }).notNull().unique(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => courierTasks.id),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossiers.id),
    courierId: uuid('courier_id')
      .notNull()
      .references(() => users.id),
    kind: proofKind('kind').notNull(),
    /** Checklist, seal number, identity check (recipient or proxy), reason, cash, recovered documents. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    photoSha256s: jsonb('photo_sha256s').$type<string[]>().notNull().default([]),
    signatureSha256: varchar('signature_sha256', { length: 64 }),
    otpVerified: boolean('otp_verified').notNull().default(false),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    accuracyM: doublePrecision('accuracy_m'),
    deviceAt: timestamp('device_at', { withTimezone: true }),
    serverAt: timestamp('server_at', { withTimezone: true }).notNull().defaultNow(),
    /** The proof-of-delivery (or dispatch-note) PDF. */
    pdfSha256: varchar('pdf_sha256', { length: 64 }),
  },
  (t) => [index('courier_proofs_by_task').on(t.taskId), index('courier_proofs_by_dossier').on(t.dossierId)],
);
