import {
  boolean,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { offices } from './offices';

export const role = pgEnum('role', ['clerk', 'courier', 'agency_official', 'supervisor', 'admin']);

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: text('username').notNull().unique(),
  fullName: text('full_name').notNull(),
  /** argon2id PHC string. */
  passwordHash: text('password_hash').notNull(),
  active: boolean('active').notNull().default(true),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  /** TOTP secret (AES-256-GCM under a key derived from SESSION_SECRET), set at enrolment. */
  totpSecret: text('totp_secret'),
  /** When the second factor was confirmed; null = not enrolled (or enrolment not yet confirmed). */
  totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
  /** The last time step accepted, so a code is never accepted twice. */
  totpLastStep: integer('totp_last_step'),
  /** Label of this person's signing key/certificate on the PKCS#11 token (clerks, agency officials). */
  signingKeyLabel: text('signing_key_label'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A role held at one office; a user may hold several. */
export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id),
    role: role('role').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.officeId, t.role] }),
    index('memberships_by_office').on(t.officeId),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: a leaked table does not give working sessions. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_by_user').on(t.userId)],
);
