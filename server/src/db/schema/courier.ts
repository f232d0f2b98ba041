import {
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uuid,
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('routes_by_day').on(t.officeId, t.day)],
);
