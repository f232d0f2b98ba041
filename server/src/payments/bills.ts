import { randomBytes } from 'node:crypto';
import { appError, vietnamDate } from '@postdesk/shared';
import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { applicants, auditLog, courierTasks, dossierEvents, dossiers, payments } from '../db/schema';
import { rows } from '../db/client';
import { type EventActor, recordEvent } from '../dossiers/engine';

export type PaymentRow = typeof payments.$inferSelect;
export type PaymentKind = PaymentRow['kind'];
export type PaymentMethod = PaymentRow['method'];

/** Largest bill we accept: 1 billion dong (the column is a 32-bit integer). */
export const MAX_AMOUNT = 1_000_000_000;

// Crockford base32 without I, L, O, U: read aloud and typed from a slip without confusion.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A bill code: `HD` + 16 base32 characters (80 random bits). Letters and digits only, so it survives the
 * transfer-purpose field of any bank app (VietQR) and is not guessable from another bill's code.
 */
export const newBillCode = () => {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `HD${out}`;
};

export const BILL_CODE_PATTERN = /^HD[0-9A-HJKMNP-TV-Z]{16}$/;

const checkAmount = (amount: number) => {
  if (!Number.isInteger(amount) || amount <= 0 || amount > MAX_AMOUNT)
    throw appError('PAYMENT_AMOUNT_INVALID');
};

/** Serialises bill creation per dossier and kind inside the caller's transaction (no unique index to lean on). */
const lockBillSlot = (tx: Db, dossierId: string, kind: PaymentKind) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`payments:${dossierId}:${kind}`}))`);

export type CreateBillInput = {
  dossierId: string;
  kind: PaymentKind;
  amount: number;
  /** Why the citizen pays (financial obligation): kept on the `request_payment` event, shown on the pay page. */
  reason?: string;
};

/**
 * A pending bill for a dossier. Idempotent per dossier + kind while pending: a second call returns the same bill
 * (amount updated if the citizen has not started paying online yet). `created` says whether a row was inserted.
 * Runs in the caller's transaction when given one.
 */
export const createBill = async (
  db: Db,
  input: CreateBillInput,
): Promise<{ bill: PaymentRow; created: boolean }> => {
  checkAmount(input.amount);
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const [dossier] = await tx
      .select({ id: dossiers.id })
      .from(dossiers)
      .where(eq(dossiers.id, input.dossierId));
    if (!dossier) throw appError('DOSSIER_NOT_FOUND');
    await lockBillSlot(tx, input.dossierId, input.kind);
    const [existing] = await tx
      .select()
      .from(payments)
      .where(
        and(
          eq(payments.dossierId, input.dossierId),
          eq(payments.kind, input.kind),
          eq(payments.state, 'pending'),
        ),
      )
      .orderBy(desc(payments.createdAt))
      .limit(1);
    if (existing) {
      if (existing.amount === input.amount) return { bill: existing, created: false };
      if (existing.gatewayRef) throw appError('PAYMENT_AMOUNT_CHANGED');
      const [updated] = await tx
        .update(payments)
        .set({ amount: input.amount })
        .where(eq(payments.id, existing.id))
        .returning();
      return { bill: updated!, created: false };
    }
    const [bill] = await tx
      .insert(payments)
      .values({
        dossierId: input.dossierId,
        kind: input.kind,
        amount: input.amount,
        // While pending: bank transfer by VietQR is always on offer; set to the way it was paid when paid.
        method: 'vietqr',
        billCode: newBillCode(),
      })
      .returning();
    return { bill: bill!, created: true };
  });
};

/**
 * The bills of a dossier made in the transaction that creates it (fee and postage at the desk): no bill can
 * exist for it yet, so they are written in one statement, without the lock and look-up `createBill` needs.
 */
export const createFirstBills = async (
  tx: Db,
  dossierId: string,
  lines: { kind: PaymentKind; amount: number }[],
) => {
  const due = lines.filter((l) => l.amount > 0);
  for (const l of due) checkAmount(l.amount);
  if (due.length === 0) return [];
  return tx
    .insert(payments)
    .values(
      due.map((l) => ({
        dossierId,
        kind: l.kind,
        amount: l.amount,
        method: 'vietqr' as const,
        billCode: newBillCode(),
      })),
    )
    .returning();
};

/** The form symbol of a fee receipt not printed with its value (Circular 78/2021: 01BLP0, first template). */
export const RECEIPT_FORM = '01BLP0-001';

/** The series of a unit's e-receipts for a year: two letters, the year's last two digits, E for electronic. */
export const receiptSeries = (year: number) => `BD-${String(year % 100).padStart(2, '0')}E`;

/**
 * The next e-receipt of the dossier's receiving unit for the year of `paidAt`, and the payer it names (the
 * dossier's applicant). Numbers run from 1 per unit and year without gaps: the counter row is taken in the
 * transaction that marks the bill paid.
 */
const issueReceipt = async (tx: Db, dossierId: string, paidAt: Date) => {
  const [dossier] = await tx
    .select({ officeId: dossiers.receivingOfficeId, payer: applicants.fullName })
    .from(dossiers)
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(eq(dossiers.id, dossierId));
  if (!dossier) throw appError('PAYMENT_NOT_FOUND');
  const year = Number(vietnamDate(paidAt).slice(0, 4));
  const [counter] = await rows<{ last: number }>(
    tx,
    sql`insert into receipt_counters (office_id, year, last) values (${dossier.officeId}, ${year}, 1)
        on conflict (office_id, year) do update set last = receipt_counters.last + 1 returning last`,
  );
  return {
    receiptForm: RECEIPT_FORM,
    receiptSeries: receiptSeries(year),
    receiptNumber: Number(counter!.last),
    payerName: dossier.payer ?? null,
  };
};

export type BillRef = { paymentId: string } | { billCode: string };

const refWhere = (ref: BillRef) =>
  'paymentId' in ref ? eq(payments.id, ref.paymentId) : eq(payments.billCode, ref.billCode);

export const findBill = async (db: Db, ref: BillRef) => {
  const [bill] = await db.select().from(payments).where(refWhere(ref));
  return bill ?? null;
};

export type MarkPaidInput = BillRef & {
  method: PaymentMethod;
  /** Who took the money: the gateway (online) or the clerk/courier (cash, VietQR seen on the bank app). */
  actor: EventActor;
  /** The gateway's transaction id (online). */
  gatewayRef?: string | null;
  /** What the payer paid; a different amount is refused. */
  amount?: number;
  /** Staff who recorded a cash or transfer payment. */
  recordedBy?: string | null;
  /** The bank's reference of a transfer recorded by staff. */
  bankRef?: string | null;
  now?: Date;
};

export type MarkPaidResult = {
  bill: PaymentRow;
  /** False when the bill was already paid: a callback delivered twice, or the poll after the callback. */
  changed: boolean;
  /** True when this payment moved the dossier from `awaiting_payment` back to `in_review`. */
  confirmed: boolean;
};

/**
 * Marks a bill paid, once: the row is locked, a second call finds it paid and changes nothing. When the bill is
 * the financial obligation of a dossier awaiting payment, `confirm_payment` is recorded in the same transaction.
 */
export const markPaid = async (db: Db, input: MarkPaidInput): Promise<MarkPaidResult> =>
  db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const [bill] = await tx.select().from(payments).where(refWhere(input)).for('update');
    if (!bill) throw appError('PAYMENT_NOT_FOUND');
    if (bill.state === 'paid') return { bill, changed: false, confirmed: false };
    if (input.amount !== undefined && input.amount !== bill.amount) throw appError('PAYMENT_MISMATCH');
    // A cancelled bill paid at the gateway anyway is still money received: record it (reconciliation shows it).
    if (bill.state !== 'pending' && input.method !== 'online') throw appError('PAYMENT_NOT_PAYABLE');
    const now = input.now ?? new Date();
    const [paid] = await tx
      .update(payments)
      .set({
        state: 'paid',
        method: input.method,
        paidAt: now,
        gatewayRef: input.gatewayRef ?? bill.gatewayRef,
        recordedBy: input.recordedBy ?? null,
        bankRef: input.bankRef ?? null,
        ...(await issueReceipt(tx, bill.dossierId, now)),
      })
      .where(eq(payments.id, bill.id))
      .returning();
    // Money a person took in hand (or saw arrive) is audited with who, where and how, in the same transaction.
    if (input.recordedBy) {
      await tx.insert(auditLog).values({
        userId: input.recordedBy,
        role: input.actor.role ?? null,
        officeId: input.actor.officeId ?? null,
        action: 'payment.recorded',
        target: bill.id,
        at: now,
        details: {
          billCode: bill.billCode,
          dossierId: bill.dossierId,
          kind: bill.kind,
          amount: bill.amount,
          method: input.method,
          ...(input.bankRef ? { bankRef: input.bankRef } : {}),
        },
      });
    }
    let confirmed = false;
    if (bill.kind === 'financial_obligation') {
      const [dossier] = await tx
        .select({ state: dossiers.state })
        .from(dossiers)
        .where(eq(dossiers.id, bill.dossierId));
      if (dossier?.state === 'awaiting_payment') {
        await recordEvent(tx, {
          dossierId: bill.dossierId,
          event: 'confirm_payment',
          actor: input.actor,
          payload: {
            paymentId: bill.id,
            billCode: bill.billCode,
            amount: bill.amount,
            method: input.method,
            reference: input.gatewayRef ?? bill.gatewayRef ?? bill.billCode,
          },
          now,
        });
        confirmed = true;
      }
    }
    return { bill: paid!, changed: true, confirmed };
  });

export type RecordCashInput = BillRef & {
  staffUserId: string;
  officeId: string;
  role: 'clerk' | 'courier';
  /** Cash in hand (default), or a VietQR transfer the staff member saw arrive. */
  method?: 'cash' | 'vietqr';
  /** The bank's transaction reference: required for a transfer, so the day's statement can be matched. */
  bankRef?: string;
  now?: Date;
};

/**
 * Cash (or a VietQR transfer seen on the bank app) taken by a clerk of the dossier's receiving office or by the
 * courier a (not cancelled) task for the dossier is assigned to. A bill already paid (in any way) is refused:
 * PAYMENT_ALREADY_PAID.
 */
export const recordCashPayment = async (db: Db, input: RecordCashInput): Promise<MarkPaidResult> => {
  const bankRef = input.bankRef?.trim();
  if (input.method === 'vietqr' && (!bankRef || bankRef.length < 4 || bankRef.length > 64))
    throw appError('PAYMENT_REFERENCE_REQUIRED');
  const bill = await findBill(db, input);
  if (!bill) throw appError('PAYMENT_NOT_FOUND');
  const [dossier] = await db
    .select({ receivingOfficeId: dossiers.receivingOfficeId })
    .from(dossiers)
    .where(eq(dossiers.id, bill.dossierId));
  if (!dossier) throw appError('PAYMENT_NOT_FOUND');
  if (input.role === 'clerk') {
    if (dossier.receivingOfficeId !== input.officeId) throw appError('PAYMENT_NOT_FOUND');
  } else {
    const [task] = await db
      .select({ id: courierTasks.id })
      .from(courierTasks)
      .where(
        and(
          eq(courierTasks.dossierId, bill.dossierId),
          // Only the courier the task was given to carries its bills: not every courier of the office.
          eq(courierTasks.courierId, input.staffUserId),
          ne(courierTasks.state, 'cancelled'),
        ),
      )
      .limit(1);
    if (!task) throw appError('PAYMENT_NOT_FOUND');
  }
  // Money taken twice for one bill must be seen, not absorbed: whoever was first (online, another clerk, the same
  // clerk a minute ago), the second collection is refused and the payer keeps their money.
  if (bill.state === 'paid') throw appError('PAYMENT_ALREADY_PAID');
  const result = await markPaid(db, {
    paymentId: bill.id,
    method: input.method ?? 'cash',
    recordedBy: input.staffUserId,
    bankRef: input.method === 'vietqr' ? bankRef : null,
    actor: { kind: input.role, userId: input.staffUserId, role: input.role, officeId: input.officeId },
    ...(input.now ? { now: input.now } : {}),
  });
  // Paid (online, by the gateway's confirmation) between our read and markPaid's lock.
  if (!result.changed) throw appError('PAYMENT_ALREADY_PAID');
  return result;
};

export type BillView = PaymentRow & { reason: string | null };

/** Every bill of a dossier, oldest first, with the reason the agency gave for a financial obligation. */
export const billsForDossier = async (db: Db, dossierId: string): Promise<BillView[]> => {
  const bills = await db
    .select()
    .from(payments)
    .where(eq(payments.dossierId, dossierId))
    .orderBy(asc(payments.createdAt));
  const reason = bills.some((b) => b.kind === 'financial_obligation')
    ? await obligationReason(db, dossierId)
    : null;
  return bills.map((b) => ({ ...b, reason: b.kind === 'financial_obligation' ? reason : null }));
};

/** The reason of the latest `request_payment` event of a dossier. */
export const obligationReason = async (db: Db, dossierId: string) => {
  const [event] = await db
    .select({ payload: dossierEvents.payload })
    .from(dossierEvents)
    .where(and(eq(dossierEvents.dossierId, dossierId), eq(dossierEvents.event, 'request_payment')))
    .orderBy(desc(dossierEvents.seq))
    .limit(1);
  const r = event?.payload?.reason;
  return typeof r === 'string' ? r : null;
};

export type RequestObligationInput = {
  dossierId: string;
  amount: number;
  reason: string;
  /** The agency official asking; the dossier must belong to their agency. */
  official: { userId: string; officeId: string };
  now?: Date;
};

/**
 * The agency asks the citizen to pay a financial obligation: the bill and `request_payment`
 * (in_review → awaiting_payment) in one transaction. Asking again while it waits returns the same bill.
 */
export const requestObligation = async (db: Db, input: RequestObligationInput) =>
  db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const [dossier] = await tx
      .select({ id: dossiers.id, state: dossiers.state, agencyId: dossiers.agencyId })
      .from(dossiers)
      .where(eq(dossiers.id, input.dossierId))
      .for('update');
    if (!dossier || dossier.agencyId !== input.official.officeId) throw appError('DOSSIER_NOT_FOUND');
    if (dossier.state === 'awaiting_payment') {
      const { bill } = await createBill(tx, {
        dossierId: input.dossierId,
        kind: 'financial_obligation',
        amount: input.amount,
      });
      return { bill, requested: false };
    }
    if (dossier.state !== 'in_review') throw appError('PAYMENT_OBLIGATION_STATE');
    const { bill } = await createBill(tx, {
      dossierId: input.dossierId,
      kind: 'financial_obligation',
      amount: input.amount,
    });
    await recordEvent(tx, {
      dossierId: input.dossierId,
      event: 'request_payment',
      actor: {
        kind: 'agency_official',
        userId: input.official.userId,
        role: 'agency_official',
        officeId: input.official.officeId,
      },
      payload: { amount: input.amount, reason: input.reason, billCode: bill.billCode },
      ...(input.now ? { now: input.now } : {}),
    });
    return { bill, requested: true };
  });
