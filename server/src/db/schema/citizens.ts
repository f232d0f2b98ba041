import { index, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';

/**
 * A person who signed in with the national e-ID (VNeID): the 12-digit id number the provider vouched for, and
 * the provider's subject for it. Their dossiers are the ones whose applicant carries that number; the portal
 * record says the account is e-ID-authenticated (TaiKhoanDuocXacThucVoiVNeID) for them.
 */
export const citizenAccounts = pgTable('citizen_accounts', {
  citizenId: varchar('citizen_id', { length: 12 }).primaryKey(),
  /** `iss` and `sub` of the last ID token: a change of subject for the same number is logged. */
  issuer: text('issuer').notNull(),
  subject: text('subject').notNull(),
  firstSignInAt: timestamp('first_sign_in_at', { withTimezone: true }).notNull().defaultNow(),
  lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A citizen's signed-in browser: sha256 of the cookie token, short-lived, deleted at sign-out. */
export const citizenSessions = pgTable(
  'citizen_sessions',
  {
    id: text('id').primaryKey(),
    citizenId: varchar('citizen_id', { length: 12 })
      .notNull()
      .references(() => citizenAccounts.citizenId, { onDelete: 'cascade' }),
    /** The name the provider gave (for the greeting only). */
    fullName: text('full_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('citizen_sessions_by_citizen').on(t.citizenId),
    index('citizen_sessions_by_expiry').on(t.expiresAt),
  ],
);

/**
 * A sign-in on its way through the provider: the browser holds a random token (its own cookie), the row its
 * state, nonce and PKCE verifier. The callback deletes the row as it reads it, so each one serves once.
 */
export const eidLogins = pgTable(
  'eid_logins',
  {
    /** sha256 of the browser's token. */
    id: text('id').primaryKey(),
    state: text('state').notNull(),
    nonce: text('nonce').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('eid_logins_by_expiry').on(t.expiresAt)],
);
