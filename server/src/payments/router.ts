import { appError, vietnamDate } from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { dossiers } from '../db/schema';
import { type Membership, publicProcedure, router, staffProcedure } from '../trpc/init';
import { BILL_CODE_PATTERN, createBill, MAX_AMOUNT, recordCashPayment, requestObligation } from './bills';
import { createGatewayClient, gatewayConfig } from './gateway';
import { startOnline } from './online';
import { reconciliation } from './reconciliation';
import { publicBill, staffBills, toStaffBill } from './views';

const billCode = z.string().trim().toUpperCase().regex(BILL_CODE_PATTERN);
const amount = z.number().int().positive().max(MAX_AMOUNT);

/**
 * The dossier as far as `membership` may see it: the receiving office for clerks and supervisors, the deciding
 * agency for agency officials. Anything else is "not found" (the same answer as a dossier that does not exist).
 */
const scopedDossier = async (db: Db, dossierId: string, membership: Membership) => {
  const [d] = await db
    .select({ id: dossiers.id, receivingOfficeId: dossiers.receivingOfficeId, agencyId: dossiers.agencyId })
    .from(dossiers)
    .where(eq(dossiers.id, dossierId));
  const visible =
    d &&
    (membership.role === 'agency_official'
      ? d.agencyId === membership.officeId
      : d.receivingOfficeId === membership.officeId);
  if (!visible) throw appError('DOSSIER_NOT_FOUND');
  return d;
};

/** Bills, online payment, VietQR, cash and the daily reconciliation. */
export const paymentsRouter = router({
  /** Bills of a dossier (staff of the receiving office, or of the deciding agency). */
  forDossier: staffProcedure('clerk', 'supervisor', 'agency_official')
    .input(z.object({ dossierId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      await scopedDossier(ctx.db, input.dossierId, ctx.membership);
      return staffBills(ctx.db, ctx.config, input.dossierId);
    }),

  /** The desk bills the procedure fee or the postal tariff; asking twice gives the same pending bill. */
  createBill: staffProcedure('clerk')
    .input(z.object({ dossierId: z.uuid(), kind: z.enum(['fee', 'postal_tariff']), amount }))
    .mutation(async ({ ctx, input }) => {
      await scopedDossier(ctx.db, input.dossierId, ctx.membership);
      const { bill, created } = await createBill(ctx.db, input);
      ctx.log.info({ paymentId: bill.id, kind: bill.kind, created }, 'bill created');
      return { ...toStaffBill(ctx.config, bill), created };
    }),

  /** Cash in hand, or a VietQR transfer the clerk or courier saw arrive on the bank app. */
  recordCash: staffProcedure('clerk', 'courier')
    .input(
      z.object({
        billCode,
        method: z.enum(['cash', 'vietqr']).default('cash'),
        /** The bank's transaction reference, required for a transfer (checked with a coded error). */
        reference: z.string().max(200).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await recordCashPayment(ctx.db, {
        billCode: input.billCode,
        method: input.method,
        ...(input.reference !== undefined ? { bankRef: input.reference } : {}),
        staffUserId: ctx.user.id,
        officeId: ctx.membership.officeId,
        role: ctx.membership.role as 'clerk' | 'courier',
      });
      ctx.log.info(
        { paymentId: result.bill.id, changed: result.changed, confirmed: result.confirmed },
        'payment recorded at the desk or door',
      );
      return {
        ...toStaffBill(ctx.config, result.bill),
        changed: result.changed,
        confirmed: result.confirmed,
      };
    }),

  /** The agency asks for a financial obligation: the bill and `request_payment` (in_review → awaiting_payment). */
  requestObligation: staffProcedure('agency_official')
    .input(z.object({ dossierId: z.uuid(), amount, reason: z.string().trim().min(3).max(500) }))
    .mutation(async ({ ctx, input }) => {
      const { bill, requested } = await requestObligation(ctx.db, {
        dossierId: input.dossierId,
        amount: input.amount,
        reason: input.reason,
        official: { userId: ctx.user.id, officeId: ctx.membership.officeId },
      });
      ctx.log.info({ paymentId: bill.id, requested }, 'financial obligation requested');
      return { ...toStaffBill(ctx.config, bill), requested };
    }),

  /** What the holder of the bill code sees on /pay/<code>; `refresh` asks the gateway when a payment is awaited. */
  bill: publicProcedure
    .input(z.object({ billCode, refresh: z.boolean().default(false) }))
    .query(({ ctx, input }) => publicBill(ctx.db, ctx.config, input)),

  /** Registers the bill at the gateway (once) and returns the page where the citizen pays. */
  startOnline: publicProcedure.input(z.object({ billCode })).mutation(async ({ ctx, input }) => {
    const cfg = gatewayConfig(ctx.config);
    const result = await startOnline(ctx.db, {
      gateway: cfg ? createGatewayClient(cfg) : null,
      publicUrl: ctx.config.PUBLIC_URL,
      billCode: input.billCode,
      jobs: ctx.jobs,
    });
    return { payUrl: result.payUrl };
  }),

  /** One day's takings of the caller's office: by method and kind, cash per staff member, gateway check. */
  reconciliation: staffProcedure('clerk', 'supervisor')
    .input(
      z.object({
        day: z.iso.date().optional(),
        checkGateway: z.boolean().default(true),
      }),
    )
    .query(async ({ ctx, input }) => {
      const cfg = gatewayConfig(ctx.config);
      return reconciliation(ctx.db, {
        officeId: ctx.membership.officeId,
        day: input.day ?? vietnamDate(new Date()),
        gateway: cfg && input.checkGateway ? createGatewayClient(cfg) : null,
      });
    }),
});
