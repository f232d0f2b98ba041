import { appError } from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { dossiers, payments, procedures } from '../db/schema';
import type { Env } from '../env';
import { billsForDossier, obligationReason, type PaymentRow } from './bills';
import { type BillStatus, createGatewayClient, gatewayConfig } from './gateway';
import { pollBill, transferPurpose } from './online';
import { KIND_LABEL_VI } from './receipt';
import { vietQrAccount, vietQrContent, vietQrImage } from './vietqr';
import { amountInWords } from './words';

const base = (publicUrl: string) => publicUrl.replace(/\/$/, '');
export const payPageUrl = (publicUrl: string, billCode: string) => `${base(publicUrl)}/pay/${billCode}`;
export const receiptUrl = (publicUrl: string, billCode: string) =>
  `${base(publicUrl)}/receipts/${billCode}.pdf`;

/** A gateway poll per bill at most this often when the citizen's page asks for a fresh state. */
const REFRESH_EVERY_MS = 3_000;
/** Per bill: when the gateway was last asked and what it said (null: it did not answer). */
const lastRefresh = new Map<string, { at: number; state: BillStatus['state'] | null }>();

const mayRefresh = (billCode: string, now: number) => {
  const last = lastRefresh.get(billCode)?.at ?? 0;
  if (now - last < REFRESH_EVERY_MS) return false;
  if (lastRefresh.size > 10_000) lastRefresh.clear();
  lastRefresh.set(billCode, { at: now, state: lastRefresh.get(billCode)?.state ?? null });
  return true;
};

/**
 * What the holder of a bill code sees: amount (figures and words), what it is for, the dossier code, the state,
 * how to pay (online if a gateway is set up; the VietQR transfer) and, once paid, the receipt. No names, phones
 * or id numbers: the code on a slip or in an SMS must not reveal whose dossier it is.
 */
export const publicBill = async (db: Db, env: Env, opts: { billCode: string; refresh?: boolean }) => {
  const find = async () => {
    const [row] = await db
      .select({ bill: payments, dossierCode: dossiers.code, procedureName: procedures.name })
      .from(payments)
      .innerJoin(dossiers, eq(dossiers.id, payments.dossierId))
      .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
      .where(eq(payments.billCode, opts.billCode));
    return row;
  };
  let row = await find();
  if (!row) throw appError('PAYMENT_NOT_FOUND');
  const cfg = gatewayConfig(env);
  if (
    opts.refresh &&
    cfg &&
    row.bill.state === 'pending' &&
    row.bill.gatewayRef &&
    mayRefresh(opts.billCode, Date.now())
  ) {
    let state: BillStatus['state'] | null = null;
    try {
      const polled = await pollBill(db, createGatewayClient(cfg), row.bill.id);
      state = polled.gatewayState ?? null;
      if (polled.settled) row = (await find()) ?? row;
    } catch {
      // The gateway is slow or down: the callback or the background poll will settle it.
    }
    lastRefresh.set(opts.billCode, { at: Date.now(), state });
  }
  const { bill } = row;
  const pending = bill.state === 'pending';
  // Sent to the gateway and not known to be unpaid there: wait for its word rather than offer to pay again.
  // The gateway saying "created" or "failed" means the citizen came back without paying: offer it again.
  const gatewayState = lastRefresh.get(opts.billCode)?.state ?? null;
  const awaitingGateway =
    pending && Boolean(bill.gatewayRef) && gatewayState !== 'khoi-tao' && gatewayState !== 'that-bai';
  const account = pending ? vietQrAccount(env) : null;
  const purpose = transferPurpose(opts.billCode);
  const qr = account ? vietQrContent(account, bill.amount, purpose) : null;
  return {
    billCode: opts.billCode,
    kind: bill.kind,
    kindLabel: KIND_LABEL_VI[bill.kind],
    reason: bill.kind === 'financial_obligation' ? await obligationReason(db, bill.dossierId) : null,
    amount: bill.amount,
    amountInWords: amountInWords(bill.amount),
    dossierCode: row.dossierCode,
    procedureName: row.procedureName,
    state: bill.state,
    method: bill.state === 'paid' ? bill.method : null,
    paidAt: bill.paidAt,
    /** The citizen has been to the gateway and the payment is not confirmed yet. */
    awaitingGateway,
    onlineAvailable: pending && cfg !== null,
    vietQr:
      account && qr
        ? {
            bankName: account.bankName,
            bankBin: account.bankBin,
            account: account.account,
            accountName: account.accountName,
            purpose,
            demo: account.demo,
            content: qr,
            image: await vietQrImage(qr),
          }
        : null,
    receiptUrl: bill.state === 'paid' ? `/receipts/${opts.billCode}.pdf` : null,
  };
};

export type PublicBill = Awaited<ReturnType<typeof publicBill>>;

/** Bills of a dossier as staff see them, with the citizen's page and the receipt. */
export const staffBills = async (db: Db, env: Env, dossierId: string) =>
  (await billsForDossier(db, dossierId)).map((b) => ({
    id: b.id,
    billCode: b.billCode,
    kind: b.kind,
    amount: b.amount,
    method: b.method,
    state: b.state,
    reason: b.reason,
    paidAt: b.paidAt,
    createdAt: b.createdAt,
    recordedBy: b.recordedBy,
    gatewayRef: b.gatewayRef,
    bankRef: b.bankRef,
    payPageUrl: b.billCode ? payPageUrl(env.PUBLIC_URL, b.billCode) : null,
    receiptUrl: b.billCode && b.state === 'paid' ? receiptUrl(env.PUBLIC_URL, b.billCode) : null,
  }));

export type StaffBill = Awaited<ReturnType<typeof staffBills>>[number];

export const toStaffBill = (env: Env, b: PaymentRow) => ({
  id: b.id,
  billCode: b.billCode,
  kind: b.kind,
  amount: b.amount,
  method: b.method,
  state: b.state,
  paidAt: b.paidAt,
  payPageUrl: b.billCode ? payPageUrl(env.PUBLIC_URL, b.billCode) : null,
  receiptUrl: b.billCode && b.state === 'paid' ? receiptUrl(env.PUBLIC_URL, b.billCode) : null,
});
