import { and, eq, gte, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { dossiers, offices, paymentNotices, payments, users } from '../db/schema';
import type { PaymentKind, PaymentMethod } from './bills';
import { type BillStatus, confirmsPayment, type GatewayClient, parseAmount } from './gateway';
import { FLAGGED_OUTCOMES, type PaymentNotice, recordOverpayment } from './online';

const METHODS: PaymentMethod[] = ['cash', 'vietqr', 'online'];
const KINDS: PaymentKind[] = ['fee', 'postal_tariff', 'financial_obligation'];

/** The instants a Vietnamese calendar day (UTC+7, no daylight saving) starts and ends. */
export const vietnamDayRange = (day: string) => {
  const start = new Date(`${day}T00:00:00+07:00`);
  return { start, end: new Date(start.getTime() + 86_400_000) };
};

/** What a flagged gateway notice means for the office (payment_notices.outcome → problem). */
const NOTICE_PROBLEM = {
  not_confirmed: 'callback_not_confirmed',
  unverified: 'callback_unverified',
  mismatch: 'callback_mismatch',
  replayed: 'callback_replayed',
  refused_already_paid: 'second_payment_refused',
  overpaid: 'overpaid_refund_due',
} as const satisfies Partial<Record<PaymentNotice['outcome'], string>>;

export type Mismatch = {
  billCode: string;
  amount: number;
  problem:
    | 'paid_here_not_at_gateway'
    | 'paid_at_gateway_not_here'
    | 'amount_differs'
    | 'gateway_unreachable'
    | (typeof NOTICE_PROBLEM)[keyof typeof NOTICE_PROBLEM];
  gatewayState: BillStatus['state'] | null;
  gatewayAmount: number | null;
};

const GATEWAY_STATES: readonly string[] = ['khoi-tao', 'thanh-cong', 'that-bai'];

type Sum = { count: number; amount: number };
const zero = (): Sum => ({ count: 0, amount: 0 });

/**
 * One office's takings for one day (bills of dossiers it received, paid that day in Vietnam): count and sum by
 * method and by kind, cash per staff member, and every online bill checked against the gateway. The first
 * gateway failure stops the checks (the rest are listed as unreachable) so a dead gateway costs one timeout.
 */
export const reconciliation = async (
  db: Db,
  opts: { officeId: string; day: string; gateway: GatewayClient | null },
) => {
  const { start, end } = vietnamDayRange(opts.day);
  const [office] = await db
    .select({ name: offices.name, code: offices.code })
    .from(offices)
    .where(eq(offices.id, opts.officeId));
  const paid = await db
    .select({
      id: payments.id,
      billCode: payments.billCode,
      kind: payments.kind,
      method: payments.method,
      amount: payments.amount,
      paidAt: payments.paidAt,
      gatewayRef: payments.gatewayRef,
      recordedBy: payments.recordedBy,
      staffName: users.fullName,
      dossierCode: dossiers.code,
    })
    .from(payments)
    .innerJoin(dossiers, eq(dossiers.id, payments.dossierId))
    .leftJoin(users, eq(users.id, payments.recordedBy))
    .where(
      and(
        eq(dossiers.receivingOfficeId, opts.officeId),
        eq(payments.state, 'paid'),
        gte(payments.paidAt, start),
        lt(payments.paidAt, end),
      ),
    )
    .orderBy(payments.paidAt);

  const total = zero();
  const byMethod = Object.fromEntries(METHODS.map((m) => [m, zero()])) as Record<PaymentMethod, Sum>;
  const byKind = Object.fromEntries(KINDS.map((k) => [k, zero()])) as Record<PaymentKind, Sum>;
  const byMethodKind = Object.fromEntries(
    METHODS.map((m) => [m, Object.fromEntries(KINDS.map((k) => [k, zero()]))]),
  ) as Record<PaymentMethod, Record<PaymentKind, Sum>>;
  const staff = new Map<string, { userId: string; name: string; cash: Sum; vietqr: Sum }>();
  const add = (s: Sum, amount: number) => {
    s.count += 1;
    s.amount += amount;
  };
  for (const p of paid) {
    add(total, p.amount);
    add(byMethod[p.method], p.amount);
    add(byKind[p.kind], p.amount);
    add(byMethodKind[p.method][p.kind], p.amount);
    if (p.recordedBy && (p.method === 'cash' || p.method === 'vietqr')) {
      const s = staff.get(p.recordedBy) ?? {
        userId: p.recordedBy,
        name: p.staffName ?? '',
        cash: zero(),
        vietqr: zero(),
      };
      add(s[p.method], p.amount);
      staff.set(p.recordedBy, s);
    }
  }

  // Bills sent to the gateway from this office's dossiers that we still hold as pending: paid there, not here?
  const pendingOnline = await db
    .select({ id: payments.id, billCode: payments.billCode, amount: payments.amount })
    .from(payments)
    .innerJoin(dossiers, eq(dossiers.id, payments.dossierId))
    .where(
      and(
        eq(dossiers.receivingOfficeId, opts.officeId),
        eq(payments.state, 'pending'),
        isNotNull(payments.gatewayRef),
        lt(payments.createdAt, end),
        gte(payments.createdAt, new Date(start.getTime() - 3 * 86_400_000)),
      ),
    );

  const online: {
    billCode: string;
    amount: number;
    paidAt: Date | null;
    gatewayRef: string | null;
    gatewayState: BillStatus['state'] | null;
    matches: boolean | null;
  }[] = [];
  const mismatches: Mismatch[] = [];
  let gatewayDown = !opts.gateway;
  const ask = async (billCode: string) => {
    if (gatewayDown || !opts.gateway) return null;
    try {
      return await opts.gateway.getBill(billCode);
    } catch {
      gatewayDown = true;
      return null;
    }
  };
  for (const p of paid.filter((b) => b.method === 'online' && b.billCode)) {
    const status = await ask(p.billCode!);
    let matches: boolean | null = null;
    if (status) {
      matches = confirmsPayment(status, p);
      if (status.state !== 'thanh-cong')
        mismatches.push({
          billCode: p.billCode!,
          amount: p.amount,
          problem: 'paid_here_not_at_gateway',
          gatewayState: status.state,
          gatewayAmount: status.amount,
        });
      else if (!matches)
        mismatches.push({
          billCode: p.billCode!,
          amount: p.amount,
          problem: 'amount_differs',
          gatewayState: status.state,
          gatewayAmount: status.amount,
        });
    } else if (opts.gateway) {
      mismatches.push({
        billCode: p.billCode!,
        amount: p.amount,
        problem: 'gateway_unreachable',
        gatewayState: null,
        gatewayAmount: null,
      });
    }
    online.push({
      billCode: p.billCode!,
      amount: p.amount,
      paidAt: p.paidAt,
      gatewayRef: p.gatewayRef,
      gatewayState: status?.state ?? null,
      matches,
    });
  }
  // Paid at the desk after the citizen had been sent to the gateway: did the gateway take the money too?
  for (const p of paid.filter((b) => b.method !== 'online' && b.gatewayRef && b.billCode)) {
    const status = await ask(p.billCode!);
    if (status?.state !== 'thanh-cong') continue;
    await recordOverpayment(db, { id: p.id, gatewayRef: p.gatewayRef }, status);
    mismatches.push({
      billCode: p.billCode!,
      amount: p.amount,
      problem: 'overpaid_refund_due',
      gatewayState: status.state,
      gatewayAmount: status.amount,
    });
  }
  for (const p of pendingOnline) {
    if (!p.billCode) continue;
    const status = await ask(p.billCode);
    if (status?.state === 'thanh-cong')
      mismatches.push({
        billCode: p.billCode,
        amount: p.amount,
        problem: 'paid_at_gateway_not_here',
        gatewayState: status.state,
        gatewayAmount: status.amount,
      });
  }

  // What the gateway's notices left to look into that day: callbacks it did not confirm, refused second
  // payments, overpayments to refund. An unverified callback drops off once a later status query settles it.
  const flagged = await db
    .select({
      billCode: payments.billCode,
      amount: payments.amount,
      outcome: paymentNotices.outcome,
      gatewayState: paymentNotices.gatewayState,
      gatewayAmount: paymentNotices.amount,
    })
    .from(paymentNotices)
    .innerJoin(payments, eq(payments.id, paymentNotices.paymentId))
    .innerJoin(dossiers, eq(dossiers.id, payments.dossierId))
    .where(
      and(
        eq(dossiers.receivingOfficeId, opts.officeId),
        inArray(paymentNotices.outcome, [...FLAGGED_OUTCOMES]),
        isNull(paymentNotices.resolvedAt),
        gte(paymentNotices.receivedAt, start),
        lt(paymentNotices.receivedAt, end),
      ),
    )
    .orderBy(paymentNotices.receivedAt);
  for (const n of flagged) {
    const problem = NOTICE_PROBLEM[n.outcome as keyof typeof NOTICE_PROBLEM];
    if (!problem || !n.billCode) continue;
    if (mismatches.some((m) => m.billCode === n.billCode && m.problem === problem)) continue;
    mismatches.push({
      billCode: n.billCode,
      amount: n.amount,
      problem,
      gatewayState: GATEWAY_STATES.includes(n.gatewayState ?? '')
        ? (n.gatewayState as BillStatus['state'])
        : null,
      gatewayAmount: parseAmount(n.gatewayAmount),
    });
  }

  return {
    day: opts.day,
    office: { id: opts.officeId, name: office?.name ?? '', code: office?.code ?? '' },
    total,
    byMethod,
    byKind,
    byMethodKind,
    cashByStaff: [...staff.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi')),
    bills: paid.map((p) => ({
      billCode: p.billCode,
      dossierCode: p.dossierCode,
      kind: p.kind,
      method: p.method,
      amount: p.amount,
      paidAt: p.paidAt,
      staffName: p.staffName,
    })),
    online,
    mismatches,
    gatewayChecked: Boolean(opts.gateway) && !gatewayDown,
    gatewayConfigured: Boolean(opts.gateway),
  };
};

export type Reconciliation = Awaited<ReturnType<typeof reconciliation>>;
