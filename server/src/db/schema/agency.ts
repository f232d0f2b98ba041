import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { offices } from './offices';

/** Keys for agencies' own systems calling `/api/agency/*`; stored as sha256, scoped to one agency. */
export const agencyApiKeys = pgTable(
  'agency_api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => offices.id),
    label: text('label').notNull(),
    /** The first characters of the key, shown to tell keys apart. */
    keyPrefix: varchar('key_prefix', { length: 16 }).notNull(),
    keyHash: varchar('key_hash', { length: 64 }).notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('agency_api_keys_by_agency').on(t.agencyId)],
);

/** Where an agency's system wants to hear of forwarded dossiers; payloads signed with HMAC-SHA256. */
export const agencyWebhooks = pgTable('agency_webhooks', {
  agencyId: uuid('agency_id')
    .primaryKey()
    .references(() => offices.id),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Answers already given to an agency's request key: a retried POST gets the same answer, changes nothing. */
export const apiRequests = pgTable(
  'api_requests',
  {
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => offices.id),
    requestKey: varchar('request_key', { length: 100 }).notNull(),
    /** sha256 of method, path and body: the same key with another request is refused. */
    requestHash: varchar('request_hash', { length: 64 }).notNull(),
    status: integer('status').notNull(),
    response: jsonb('response').$type<unknown>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.requestKey] })],
);
