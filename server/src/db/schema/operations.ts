import { sql } from 'drizzle-orm';
import {
  bigserial,
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
import { dossiers } from './dossiers';
import { desks, offices } from './offices';
import { procedures } from './procedures';
import { role, users } from './users';

export const paymentKind = pgEnum('payment_kind', ['fee', 'postal_tariff', 'financial_obligation']);
export const paymentMethod = pgEnum('payment_method', ['cash', 'online', 'vietqr']);
export const paymentState = pgEnum('payment_state', ['pending', 'paid', 'failed', 'cancelled']);

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossiers.id),
    kind: paymentKind('kind').notNull(),
    amount: integer('amount').notNull(),
    method: paymentMethod('method').notNull(),
    state: paymentState('state').notNull().default('pending'),
    billCode: varchar('bill_code', { length: 64 }).unique(),
    gatewayRef: varchar('gateway_ref', { length: 64 }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    /** Where the citizen pays online (the gateway's page). */
    payUrl: text('pay_url'),
    /** The bank's transaction reference of a transfer a clerk saw arrive (asked for, never a bare click). */
    bankRef: varchar('bank_ref', { length: 64 }),
    /** Staff who recorded a cash payment (clerk or courier). */
    recordedBy: uuid('recorded_by').references(() => users.id),
    /**
     * The e-receipt (biên lai điện tử) issued when paid: form symbol, series and number, numbered per receiving
     * unit and year (Decree 123/2020, Circular 78/2021), and the payer it names.
     */
    receiptForm: varchar('receipt_form', { length: 16 }),
    receiptSeries: varchar('receipt_series', { length: 16 }),
    receiptNumber: integer('receipt_number'),
    payerName: varchar('payer_name', { length: 200 }),
    /** The receipt PDF, once paid. */
    receiptSha256: varchar('receipt_sha256', { length: 64 }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('payments_by_dossier').on(t.dossierId)],
);

/** The last e-receipt number a unit issued in a year: receipts are numbered from 1 per unit and year. */
export const receiptCounters = pgTable(
  'receipt_counters',
  {
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.officeId, t.year] })],
);

/**
 * What a word from the payment gateway (a NOTIFY callback, or its status query seen by a poll) did to a bill:
 * - `confirmed`: the gateway's status query confirmed it and the bill is paid (or already was, by that payment);
 * - `not_paid`: an authentic notice of a failed or unfinished payment (nothing to do);
 * - `not_confirmed`: the notice says paid, the gateway's status query does not (flagged);
 * - `unverified`: the status query failed or timed out; the poll retries, and `resolvedAt` is set once it
 *   confirms (flagged until then);
 * - `mismatch`: amount, currency or transaction differ from the bill (flagged);
 * - `replayed`: a transaction id seen before with other data (flagged);
 * - `refused_already_paid`: the bill was already paid another way; the gateway was told not to capture (flagged);
 * - `overpaid`: the gateway took the money for a bill already paid another way: to be refunded (flagged).
 */
export const paymentNoticeOutcome = pgEnum('payment_notice_outcome', [
  'confirmed',
  'not_paid',
  'not_confirmed',
  'unverified',
  'mismatch',
  'replayed',
  'refused_already_paid',
  'overpaid',
]);

/** Every authentic callback of the payment gateway, and every double payment found by a status query. */
export const paymentNotices = pgTable(
  'payment_notices',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    /** `callback` (NOTIFY) or `status_query` (found by a poll or the reconciliation). */
    source: varchar('source', { length: 20 }).notNull(),
    /** The gateway's transaction id (`MaGiaoDich`). */
    gatewayRef: varchar('gateway_ref', { length: 64 }),
    amount: text('amount'),
    currency: varchar('currency', { length: 8 }),
    gatewayState: varchar('gateway_state', { length: 20 }),
    /** SHA-256 of bill code, amount, currency and payment time: the same transaction must always carry it. */
    dataDigest: varchar('data_digest', { length: 64 }),
    outcome: paymentNoticeOutcome('outcome').notNull(),
    /** Set when a later status query settled what this notice left open (`unverified`). */
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('payment_notices_by_transaction').on(t.gatewayRef),
    index('payment_notices_by_payment').on(t.paymentId, t.receivedAt),
    index('payment_notices_flagged_by_time')
      .on(t.receivedAt)
      .where(sql`${t.outcome} not in ('confirmed', 'not_paid')`),
    /** One overpayment record per bill and transaction, however often a poll finds it. */
    uniqueIndex('payment_notices_one_overpayment')
      .on(t.paymentId, t.gatewayRef)
      .where(sql`${t.outcome} = 'overpaid'`),
  ],
);

export const outboxState = pgEnum('outbox_state', ['pending', 'sent', 'dead']);

/** Messages to the portal, agencies and SMS, written in the same transaction as the event that causes them. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    topic: varchar('topic', { length: 40 }).notNull(),
    dossierId: uuid('dossier_id').references(() => dossiers.id),
    /** Exactly-once on the receiving side. */
    idempotencyKey: varchar('idempotency_key', { length: 120 }).notNull().unique(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    state: outboxState('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('outbox_pending_by_time').on(t.state, t.nextAttemptAt),
    index('outbox_by_dossier').on(t.dossierId, t.id),
  ],
);

export const feedbackKind = pgEnum('feedback_kind', ['rating', 'complaint']);

export const feedback = pgTable(
  'feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossiers.id),
    kind: feedbackKind('kind').notNull(),
    /** The desk whose QR code the citizen scanned, when it belongs to the dossier's receiving office. */
    deskId: uuid('desk_id').references(() => desks.id),
    rating: smallint('rating'),
    /** For a dissatisfied rating or a complaint: what went wrong (fixed reason codes). */
    reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
    comment: text('comment'),
    /** What proved the sender holds the dossier: the receipt's QR token or a code sent to its phone. */
    proof: varchar('proof', { length: 12 }),
    /** A complaint is answered by a supervisor before `answerDueAt`. */
    answer: text('answer'),
    answeredBy: uuid('answered_by').references(() => users.id),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answerDueAt: timestamp('answer_due_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('feedback_by_dossier').on(t.dossierId),
    uniqueIndex('feedback_one_rating_per_dossier').on(t.dossierId).where(sql`kind = 'rating'`),
  ],
);

/** One-time codes sent by SMS (pickup requests, delivery at the door): hashed, expiring, single-use. */
export const otpCodes = pgTable(
  'otp_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    purpose: varchar('purpose', { length: 30 }).notNull(),
    /** Normalised phone number the code went to. Personal data: never logged. */
    phone: varchar('phone', { length: 15 }).notNull(),
    dossierId: uuid('dossier_id').references(() => dossiers.id),
    /** HMAC of the code: a leaked table does not give working codes. */
    codeHash: varchar('code_hash', { length: 64 }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('otp_codes_by_phone').on(t.purpose, t.phone, t.createdAt)],
);

/** What the development SMS/Zalo sender "sent": the mailbox page reads it. Never written in production. */
export const devMailbox = pgTable(
  'dev_mailbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: varchar('channel', { length: 10 }).notNull(),
    recipient: varchar('recipient', { length: 40 }).notNull(),
    body: text('body').notNull(),
    dossierId: uuid('dossier_id').references(() => dossiers.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dev_mailbox_by_recipient').on(t.recipient, t.createdAt)],
);

export const holidayKind = pgEnum('holiday_kind', ['holiday', 'compensatory', 'swap_off', 'working_weekend']);

/** The holiday table in force per year (versioned by source); `working_weekend` = a make-up Saturday. */
export const holidays = pgTable('holidays', {
  day: date('day').primaryKey(),
  year: integer('year').notNull(),
  kind: holidayKind('kind').notNull(),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  source: text('source').notNull(),
});

/** Who did what, in which role and office; details hold ids, never personal data. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: uuid('user_id').references(() => users.id),
    role: role('role'),
    officeId: uuid('office_id').references(() => offices.id),
    action: varchar('action', { length: 60 }).notNull(),
    target: varchar('target', { length: 120 }),
    requestId: varchar('request_id', { length: 40 }),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_by_time').on(t.at), index('audit_log_by_user').on(t.userId, t.at)],
);

/** Advice given at a desk without a dossier (for the statistics): which procedure, where, by whom, when. */
export const adviceLog = pgTable(
  'advice_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    procedureId: uuid('procedure_id')
      .notNull()
      .references(() => procedures.id),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('advice_log_by_office_time').on(t.officeId, t.at)],
);
