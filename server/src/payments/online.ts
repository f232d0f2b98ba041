import { createHash } from 'node:crypto';
import { appError, ERRORS } from '@postdesk/shared';
import { and, eq, gte, inArray, isNotNull, isNull, ne, or } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { dossiers, paymentNotices, payments, procedures } from '../db/schema';
import type { Env } from '../env';
import type { JobRunner } from '../jobs/queue';
import { defineJob } from '../jobs/queue';
import type { Logger } from '../logger';
import { BILL_CODE_PATTERN, findBill, type MarkPaidResult, markPaid, type PaymentRow } from './bills';
import {
  type BillStatus,
  CALLBACK_WINDOW_MS,
  CODES,
  CURRENCY,
  confirmsPayment,
  createGatewayClient,
  type GatewayClient,
  type GatewayConfig,
  gatewayConfig,
  OK,
  PROTOCOL_VERSION,
  parseAmount,
  parseGatewayTime,
  sign,
  verifyChecksum,
} from './gateway';

export const PAYMENT_POLL_JOB = 'payment_poll';

/** Delays of the follow-up polls of one bill after the citizen went to the gateway: about a day in all. */
export const POLL_DELAYS_MS = [
  30_000,
  60_000,
  120_000,
  300_000,
  600_000,
  1_800_000,
  ...Array.from({ length: 23 }, () => 3_600_000),
];

/** What the citizen reads on the gateway's page and the bank statement (ASCII: some banks strip accents). */
export const transferPurpose = (billCode: string) => `TT ${billCode}`;

export type StartOnlineResult = { payUrl: string; billCode: string };

/**
 * Sends the citizen to the gateway: registers the bill there once (INIT) and remembers the payment URL; a second
 * call returns the same URL. Schedules the follow-up polls in case the callback never arrives.
 */
export const startOnline = async (
  db: Db,
  opts: { gateway: GatewayClient | null; publicUrl: string; billCode: string; jobs?: JobRunner; now?: Date },
): Promise<StartOnlineResult> => {
  if (!opts.gateway) throw appError('PAYMENT_ONLINE_UNAVAILABLE');
  const bill = await findBill(db, { billCode: opts.billCode });
  if (!bill) throw appError('PAYMENT_NOT_FOUND');
  if (bill.state === 'paid') throw appError('PAYMENT_ALREADY_PAID');
  if (bill.state !== 'pending') throw appError('PAYMENT_NOT_PAYABLE');
  if (bill.payUrl) return { payUrl: bill.payUrl, billCode: opts.billCode };
  const [info] = await db
    .select({ code: dossiers.code, procedureCode: procedures.code })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .where(eq(dossiers.id, bill.dossierId));
  const base = opts.publicUrl.replace(/\/$/, '');
  const { gatewayRef, payUrl } = await opts.gateway.init({
    billCode: opts.billCode,
    amount: bill.amount,
    description: `${transferPurpose(opts.billCode)} ${info?.code ?? ''}`.trim(),
    returnUrl: `${base}/pay/${opts.billCode}`,
    notifyUrl: `${base}/api/payments/callback`,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const [updated] = await db
    .update(payments)
    .set({ gatewayRef, payUrl, method: 'online' })
    .where(and(eq(payments.id, bill.id), eq(payments.state, 'pending')))
    .returning();
  if (!updated) {
    // Paid or cancelled in the meantime (a cash payment at the desk while the page was open).
    const now = await findBill(db, { paymentId: bill.id });
    throw appError(now?.state === 'paid' ? 'PAYMENT_ALREADY_PAID' : 'PAYMENT_NOT_PAYABLE');
  }
  if (opts.jobs) {
    await opts.jobs
      .enqueue(
        PAYMENT_POLL_JOB,
        { paymentId: bill.id, attempt: 1 },
        { jobId: `${bill.id}-1`, delayMs: POLL_DELAYS_MS[0] },
      )
      .catch(() => undefined);
  }
  return { payUrl, billCode: opts.billCode };
};

export type CallbackOutcome = {
  status: 200 | 403 | 404 | 409 | 503;
  body: Record<string, unknown>;
  result: MarkPaidResult | null;
};

type NoticeOutcome = PaymentNotice['outcome'];
export type PaymentNotice = typeof paymentNotices.$inferSelect;

/** The outcomes reconciliation shows as something to look into. */
export const FLAGGED_OUTCOMES: readonly NoticeOutcome[] = [
  'not_confirmed',
  'unverified',
  'mismatch',
  'replayed',
  'refused_already_paid',
  'overpaid',
];

const digestOf = (fields: unknown[]) =>
  createHash('sha256')
    .update(JSON.stringify(fields.map((f) => (f === undefined || f === null ? '' : String(f)))))
    .digest('hex');

const recordNotice = async (
  db: Db,
  notice: {
    paymentId: string;
    source: 'callback' | 'status_query';
    outcome: NoticeOutcome;
    gatewayRef: string | null;
    amount?: unknown;
    currency?: unknown;
    gatewayState?: unknown;
    dataDigest?: string | null;
    now?: Date;
  },
) => {
  const clip = (v: unknown, n: number) => (v === undefined || v === null ? null : String(v).slice(0, n));
  await db
    .insert(paymentNotices)
    .values({
      paymentId: notice.paymentId,
      source: notice.source,
      outcome: notice.outcome,
      gatewayRef: clip(notice.gatewayRef, 64),
      amount: clip(notice.amount, 40),
      currency: clip(notice.currency, 8),
      gatewayState: clip(notice.gatewayState, 20),
      dataDigest: notice.dataDigest ?? null,
      ...(notice.now ? { receivedAt: notice.now } : {}),
    })
    .onConflictDoNothing();
};

/** The gateway confirmed the bill paid: what was left open for lack of an answer is settled. */
const resolveUnverified = (db: Db, paymentId: string, now = new Date()) =>
  db
    .update(paymentNotices)
    .set({ resolvedAt: now })
    .where(
      and(
        eq(paymentNotices.paymentId, paymentId),
        eq(paymentNotices.outcome, 'unverified'),
        isNull(paymentNotices.resolvedAt),
      ),
    );

/** The next poll of a bill, soon: used when a callback could not be confirmed for lack of an answer. */
const schedulePoll = async (jobs: JobRunner | undefined, paymentId: string, log?: Logger) => {
  if (!jobs) return;
  await jobs
    .enqueue(
      PAYMENT_POLL_JOB,
      { paymentId, attempt: 1 },
      { jobId: `${paymentId}-unverified-${Date.now()}`, delayMs: POLL_DELAYS_MS[0] },
    )
    .catch((err: Error) => log?.warn({ paymentId, err: err.message }, 'payment poll not scheduled'));
};

/**
 * The gateway's NOTIFY (see gateway.ts for the scheme). It never marks a bill paid by itself: an authentic,
 * fresh notice of "paid" for a bill we sent to the gateway, with its amount, currency and transaction, is checked
 * with the gateway's own status query first. Every authentic notice is recorded (payment_notices); what the
 * gateway does not confirm is flagged for reconciliation. Only a "00" is signed; a refusal carries no MaXacThuc.
 * A bill already paid another way is refused with code "03" so that the gateway does not capture the money.
 */
export const handleCallback = async (
  db: Db,
  opts: {
    cfg: GatewayConfig;
    message: Record<string, unknown>;
    /** The status query (default: the configured gateway's). */
    gateway?: GatewayClient;
    jobs?: JobRunner;
    log?: Logger;
    now?: Date;
  },
): Promise<CallbackOutcome> => {
  const { cfg, message, log } = opts;
  const now = opts.now ?? new Date();
  const refuse = (
    status: 403 | 404 | 409 | 503,
    maLoi: string,
    code:
      | 'PAYMENT_CHECKSUM_INVALID'
      | 'PAYMENT_CALLBACK_STALE'
      | 'PAYMENT_NOT_FOUND'
      | 'PAYMENT_MISMATCH'
      | 'PAYMENT_ALREADY_PAID'
      | 'PAYMENT_NOT_CONFIRMED'
      | 'PAYMENT_GATEWAY_FAILED',
  ): CallbackOutcome => ({
    status,
    body: { MaLoi: maLoi, code, message: ERRORS[code].vi, messageEn: ERRORS[code].en },
    result: null,
  });
  const acknowledge = (
    billCode: string,
    gatewayRef: string,
    result: MarkPaidResult | null,
  ): CallbackOutcome => ({
    status: 200,
    body: sign(
      'NOTIFY_RESULT',
      { MaLoi: OK, MaDoiTac: cfg.merchantId, MaThamChieu: billCode, MaGiaoDich: gatewayRef },
      cfg.secret,
    ),
    result,
  });

  if (
    !verifyChecksum('NOTIFY', message, cfg.secret) ||
    message.LoaiBanTin !== 'NOTIFY' ||
    message.PhienBan !== PROTOCOL_VERSION ||
    message.MaDoiTac !== cfg.merchantId
  ) {
    log?.warn('payment callback refused: not an authentic NOTIFY');
    return refuse(403, CODES.badMessage, 'PAYMENT_CHECKSUM_INVALID');
  }
  const sentAt = parseGatewayTime(message.ThoiGianGD);
  if (!sentAt || Math.abs(now.getTime() - sentAt.getTime()) > CALLBACK_WINDOW_MS) {
    log?.warn(
      { sentAt: String(message.ThoiGianGD).slice(0, 20) },
      'payment callback refused: outside the window',
    );
    return refuse(403, CODES.stale, 'PAYMENT_CALLBACK_STALE');
  }
  const billCode = String(message.MaThamChieu ?? '');
  const bill = BILL_CODE_PATTERN.test(billCode) ? await findBill(db, { billCode }) : null;
  if (!bill?.gatewayRef) {
    log?.warn('payment callback refused: no bill sent to the gateway has this code');
    return refuse(404, CODES.unknownBill, 'PAYMENT_NOT_FOUND');
  }
  const gatewayRef = String(message.MaGiaoDich ?? '');
  const amount = parseAmount(message.SoTien);
  const state = String(message.TrangThai ?? '');
  const notice = {
    paymentId: bill.id,
    source: 'callback' as const,
    gatewayRef,
    amount: message.SoTien,
    currency: message.MaTienTe,
    gatewayState: state,
    dataDigest: digestOf([billCode, message.SoTien, message.MaTienTe, state, message.ThoiGianThanhToan]),
    now,
  };
  if (gatewayRef !== bill.gatewayRef || amount !== bill.amount || message.MaTienTe !== CURRENCY) {
    log?.warn({ billCode }, 'payment callback refused: transaction, amount or currency differ from the bill');
    await recordNotice(db, { ...notice, outcome: 'mismatch' });
    return refuse(409, CODES.mismatch, 'PAYMENT_MISMATCH');
  }
  // The same transaction reported paid before with other data: one of the two is not the gateway's word.
  const seen = await db
    .select({ dataDigest: paymentNotices.dataDigest })
    .from(paymentNotices)
    .where(
      and(
        eq(paymentNotices.gatewayRef, gatewayRef),
        eq(paymentNotices.source, 'callback'),
        eq(paymentNotices.gatewayState, 'thanh-cong'),
        inArray(paymentNotices.outcome, ['confirmed', 'not_confirmed', 'unverified']),
      ),
    );
  if (seen.some((s) => s.dataDigest !== notice.dataDigest)) {
    log?.warn({ billCode }, 'payment callback refused: transaction seen before with other data');
    await recordNotice(db, { ...notice, outcome: 'replayed' });
    return refuse(409, CODES.mismatch, 'PAYMENT_MISMATCH');
  }
  if (state !== 'thanh-cong') {
    log?.info({ billCode, state: state.slice(0, 20) }, 'payment callback: not paid');
    await recordNotice(db, { ...notice, outcome: 'not_paid' });
    return acknowledge(billCode, gatewayRef, null);
  }
  const paidByThis = (b: PaymentRow) =>
    b.state === 'paid' && b.method === 'online' && b.gatewayRef === gatewayRef;
  const refuseSecondPayment = async () => {
    log?.warn({ billCode }, 'payment callback refused: the bill is already paid another way');
    await recordNotice(db, { ...notice, outcome: 'refused_already_paid' });
    return refuse(409, CODES.alreadyPaid, 'PAYMENT_ALREADY_PAID');
  };
  if (paidByThis(bill)) return acknowledge(billCode, gatewayRef, { bill, changed: false, confirmed: false });
  if (bill.state === 'paid') return refuseSecondPayment();

  const gateway = opts.gateway ?? createGatewayClient(cfg);
  let status: Awaited<ReturnType<GatewayClient['getBill']>>;
  try {
    status = await gateway.getBill(billCode, now);
  } catch (err) {
    log?.warn(
      { billCode, err: (err as Error).message },
      'payment callback: the status query failed; polling later',
    );
    await recordNotice(db, { ...notice, outcome: 'unverified' });
    await schedulePoll(opts.jobs, bill.id, log);
    return refuse(503, CODES.retry, 'PAYMENT_GATEWAY_FAILED');
  }
  if (!confirmsPayment(status, bill, gatewayRef)) {
    log?.warn({ billCode, gatewayState: status.state }, 'payment callback: not confirmed by the gateway');
    await recordNotice(db, { ...notice, outcome: 'not_confirmed' });
    return refuse(409, CODES.notConfirmed, 'PAYMENT_NOT_CONFIRMED');
  }
  const result = await markPaid(db, {
    paymentId: bill.id,
    method: 'online',
    amount: bill.amount,
    gatewayRef,
    actor: { kind: 'payment_gateway' },
  });
  // Paid at the desk while the gateway was being asked.
  if (!result.changed && !paidByThis(result.bill)) return refuseSecondPayment();
  await recordNotice(db, { ...notice, outcome: 'confirmed' });
  await resolveUnverified(db, bill.id, now);
  log?.info({ billCode, changed: result.changed, confirmed: result.confirmed }, 'payment callback: paid');
  return acknowledge(billCode, gatewayRef, result);
};

export type PollResult = {
  settled: boolean;
  /** Worth asking again later. */
  pending: boolean;
  gatewayState?: BillStatus['state'];
  mismatch?: boolean;
  /** The gateway took the money for a bill already paid another way. */
  overpaid?: boolean;
};

/**
 * Asks the gateway about one bill. A pending bill is settled only when the gateway's answer confirms it (paid,
 * the bill's amount in dong, the transaction of INIT). A bill paid at the desk after it was sent to the gateway
 * is checked too: the gateway having taken the money as well is recorded as an overpayment to refund.
 */
export const pollBill = async (db: Db, gateway: GatewayClient, paymentId: string): Promise<PollResult> => {
  const bill = await findBill(db, { paymentId });
  if (!bill?.billCode || !bill.gatewayRef) return { settled: false, pending: false };
  if (bill.state === 'paid') {
    if (bill.method === 'online') return { settled: false, pending: false };
    const status = await gateway.getBill(bill.billCode);
    if (status.state === 'thanh-cong') {
      await recordOverpayment(db, bill, status);
      return { settled: false, pending: false, overpaid: true, gatewayState: status.state };
    }
    // The gateway's page may still be open: keep an eye on it until it is paid or closed.
    return { settled: false, pending: status.state === 'khoi-tao', gatewayState: status.state };
  }
  if (bill.state !== 'pending') return { settled: false, pending: false };
  const status = await gateway.getBill(bill.billCode);
  if (confirmsPayment(status, bill)) {
    const result = await markPaid(db, {
      paymentId,
      method: 'online',
      gatewayRef: bill.gatewayRef,
      actor: { kind: 'payment_gateway' },
    });
    if (result.changed) await resolveUnverified(db, paymentId);
    else if (!(result.bill.method === 'online' && result.bill.gatewayRef === bill.gatewayRef))
      await recordOverpayment(db, result.bill, status);
    return { settled: result.changed, pending: false, gatewayState: status.state };
  }
  if (status.state === 'thanh-cong')
    return { settled: false, pending: true, mismatch: true, gatewayState: status.state };
  return { settled: false, pending: true, gatewayState: status.state };
};

/** Once per bill and transaction: the gateway says paid, we had it paid in cash or by transfer already. */
export const recordOverpayment = (
  db: Db,
  bill: { id: string; gatewayRef: string | null },
  status: BillStatus,
) =>
  recordNotice(db, {
    paymentId: bill.id,
    source: 'status_query',
    outcome: 'overpaid',
    gatewayRef: status.gatewayRef ?? bill.gatewayRef,
    amount: status.amount,
    currency: status.currency,
    gatewayState: status.state,
  });

/**
 * Every bill sent to the gateway in the last `days` days and still pending, and every one of them paid at the
 * desk meanwhile (a second payment at the gateway?): polled one by one.
 */
export const pollPendingBills = async (
  db: Db,
  gateway: GatewayClient,
  opts: { days?: number; now?: Date } = {},
) => {
  const since = new Date((opts.now ?? new Date()).getTime() - (opts.days ?? 3) * 86_400_000);
  const pending = await db
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        isNotNull(payments.gatewayRef),
        gte(payments.createdAt, since),
        or(eq(payments.state, 'pending'), and(eq(payments.state, 'paid'), ne(payments.method, 'online'))),
      ),
    );
  let settled = 0;
  let failed = 0;
  for (const p of pending) {
    try {
      if ((await pollBill(db, gateway, p.id)).settled) settled += 1;
    } catch {
      failed += 1;
    }
  }
  return { checked: pending.length, settled, failed };
};

/**
 * `payment_poll`: with a `paymentId`, polls that bill and, while it stays pending, schedules the next poll
 * (POLL_DELAYS_MS); without one, sweeps every pending online bill. Idempotent: a paid bill is left alone.
 */
export const paymentPollJob = (deps: { db: Db; env?: Env; jobs?: () => JobRunner; log?: Logger }) =>
  defineJob({
    name: PAYMENT_POLL_JOB,
    payload: z.object({ paymentId: z.uuid().optional(), attempt: z.number().int().min(1).default(1) }),
    concurrency: 2,
    attempts: 3,
    backoffMs: 10_000,
    handler: async ({ paymentId, attempt }) => {
      const cfg = deps.env ? gatewayConfig(deps.env) : null;
      if (!cfg) return;
      const gateway = createGatewayClient(cfg);
      if (!paymentId) {
        const r = await pollPendingBills(deps.db, gateway);
        deps.log?.info(r, 'payment poll sweep');
        return;
      }
      let pending = true;
      try {
        pending = (await pollBill(deps.db, gateway, paymentId)).pending;
      } catch (err) {
        // The gateway is down: the next scheduled poll tries again.
        deps.log?.warn({ paymentId, err: (err as Error).message }, 'payment poll failed');
      }
      const delay = POLL_DELAYS_MS[attempt];
      if (pending && delay !== undefined && deps.jobs) {
        await deps
          .jobs()
          .enqueue(
            PAYMENT_POLL_JOB,
            { paymentId, attempt: attempt + 1 },
            { jobId: `${paymentId}-${attempt + 1}`, delayMs: delay },
          );
      }
    },
  });
