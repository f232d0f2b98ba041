import { appError } from '@postdesk/shared';
import { and, eq, gte, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { dossiers, payments, procedures } from '../db/schema';
import type { Env } from '../env';
import type { JobRunner } from '../jobs/queue';
import { defineJob } from '../jobs/queue';
import type { Logger } from '../logger';
import { findBill, type MarkPaidResult, markPaid } from './bills';
import {
  createGatewayClient,
  type GatewayClient,
  type GatewayConfig,
  gatewayConfig,
  OK,
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

export type CallbackOutcome =
  | { status: 200; body: Record<string, unknown>; result: MarkPaidResult | null }
  | { status: 400 | 403 | 404 | 409; body: Record<string, unknown>; result: null };

/**
 * The gateway's NOTIFY. A wrong checksum or merchant is refused and changes nothing; a success marks the bill paid
 * once (a repeat answers "00" again without a second change); a failure leaves the bill pending for another try.
 */
export const handleCallback = async (
  db: Db,
  cfg: GatewayConfig,
  message: Record<string, unknown>,
  log?: Logger,
): Promise<CallbackOutcome> => {
  const reply = (code: string, ref: unknown) =>
    sign('NOTIFY_RESULT', { MaLoi: code, MaThamChieu: typeof ref === 'string' ? ref : '' }, cfg.secret);
  if (!verifyChecksum('NOTIFY', message, cfg.secret) || message.MaDoiTac !== cfg.merchantId) {
    log?.warn({ ref: String(message.MaThamChieu ?? '').slice(0, 40) }, 'payment callback refused: checksum');
    return {
      status: 403,
      body: { ...reply('97', message.MaThamChieu), code: 'PAYMENT_CHECKSUM_INVALID' },
      result: null,
    };
  }
  const billCode = String(message.MaThamChieu ?? '');
  const bill = await findBill(db, { billCode });
  if (!bill)
    return { status: 404, body: { ...reply('01', billCode), code: 'PAYMENT_NOT_FOUND' }, result: null };
  if (message.TrangThai !== 'thanh-cong') {
    log?.info({ billCode, state: String(message.TrangThai) }, 'payment callback: not paid');
    return { status: 200, body: reply(OK, billCode), result: null };
  }
  const amount = Number(message.SoTien);
  if (amount !== bill.amount) {
    log?.warn({ billCode }, 'payment callback refused: amount differs from the bill');
    return { status: 409, body: { ...reply('02', billCode), code: 'PAYMENT_MISMATCH' }, result: null };
  }
  const result = await markPaid(db, {
    billCode,
    method: 'online',
    amount,
    gatewayRef: message.MaGiaoDich ? String(message.MaGiaoDich) : null,
    actor: { kind: 'payment_gateway' },
  });
  log?.info({ billCode, changed: result.changed, confirmed: result.confirmed }, 'payment callback: paid');
  return { status: 200, body: reply(OK, billCode), result };
};

/** Asks the gateway about one bill and settles it when the gateway says it was paid. */
export const pollBill = async (db: Db, gateway: GatewayClient, paymentId: string) => {
  const bill = await findBill(db, { paymentId });
  if (bill?.state !== 'pending' || !bill.billCode || !bill.gatewayRef)
    return { settled: false, pending: false };
  const status = await gateway.getBill(bill.billCode);
  if (status.state === 'thanh-cong') {
    if (status.amount !== null && status.amount !== bill.amount)
      return { settled: false, pending: true, mismatch: true, gatewayState: status.state };
    const result = await markPaid(db, {
      paymentId,
      method: 'online',
      gatewayRef: status.gatewayRef ?? bill.gatewayRef,
      actor: { kind: 'payment_gateway' },
    });
    return { settled: result.changed, pending: false, gatewayState: status.state };
  }
  return { settled: false, pending: true, gatewayState: status.state };
};

/** Every bill sent to the gateway in the last `days` days and still pending: polled one by one. */
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
      and(eq(payments.state, 'pending'), isNotNull(payments.gatewayRef), gte(payments.createdAt, since)),
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
