import { z } from 'zod';
import { type Context, publicProcedure, router } from '../trpc/init';
import { limitAddress, limitHolder } from './limits';
import { SMS_JOB } from '../notify/sender';
import { smsReservation } from '../otp/budget';
import {
  confirmDeliveryRequest,
  confirmPickupRequest,
  pickupDays,
  startDeliveryRequest,
  startPickupRequest,
} from './requests';
import { trackDossier } from './track';

/** The code with the phone on file, or with the receipt's QR token (no phone). */
export const holder = z.object({
  code: z.string().trim().min(1).max(50),
  phone: z.string().trim().min(1).max(20).optional(),
  token: z.string().trim().min(1).max(64).optional(),
});
const address = z.object({
  line: z.string().trim().min(3).max(300),
  communeCode: z.string().trim().min(1).max(5),
});
const point = {
  lat: z.number().min(8).max(24).optional(),
  lng: z.number().min(102).max(118).optional(),
};
const otp = z.string().trim().min(1).max(10);
const window = z.enum(['morning', 'afternoon']);

/**
 * The holder as the caller proved it: what they typed, plus the id number of the citizen signed in with the
 * e-ID (from their session; the input schema has no such field, so nobody can type one).
 */
export const held = <T extends { code: string }>(ctx: Pick<Context, 'citizen'>, input: T) => ({
  ...input,
  eid: ctx.citizen?.citizenId,
});

/** The budgets a code sent on this request spends (address, phone, the province's day). */
export const reservation = (ctx: Pick<Context, 'limits' | 'ip' | 'db' | 'log' | 'config' | 'requestId'>) =>
  smsReservation({
    limits: ctx.limits,
    db: ctx.db,
    log: ctx.log,
    secret: ctx.config.SESSION_SECRET,
    ip: ctx.ip,
    requestId: ctx.requestId,
  });

/** The code's text goes out now rather than at the next sweep: the citizen is waiting for it. */
export const sendTextsNow = (ctx: Pick<Context, 'jobs' | 'log'>) =>
  ctx.jobs
    .enqueue(SMS_JOB, {})
    .catch((err: Error) => ctx.log.warn({ err: err.message }, 'sms job not queued'));

/**
 * The public side: no session, so every call is rate-limited by address, and every call that names a
 * dossier needs its code and the phone on file (also limited per code and per phone) or the receipt's token.
 * Mutations, so that a phone number or a token travels as POST and never sits in a URL that proxies log.
 */
export const citizenRouter = router({
  track: publicProcedure.input(holder).mutation(async ({ ctx, input }) => {
    await limitHolder(ctx, held(ctx, input));
    return trackDossier(ctx.db, { ...held(ctx, input), secret: ctx.config.SESSION_SECRET });
  }),
  /** Home delivery, step 1: a one-time code to the phone on file. */
  deliveryCode: publicProcedure.input(holder).mutation(async ({ ctx, input }) => {
    await limitHolder(ctx, held(ctx, input));
    const sent = await startDeliveryRequest(ctx.db, {
      ...held(ctx, input),
      secret: ctx.config.SESSION_SECRET,
      reserve: reservation(ctx),
    });
    await sendTextsNow(ctx);
    return sent;
  }),
  /** Home delivery, step 2: with the code, the result goes home by post. */
  requestDelivery: publicProcedure
    .input(holder.extend({ otp, address, ...point, window }))
    .mutation(async ({ ctx, input }) => {
      await limitHolder(ctx, held(ctx, input));
      return confirmDeliveryRequest(ctx.db, { input: held(ctx, input), secret: ctx.config.SESSION_SECRET });
    }),
  /** The days a pickup can be booked (working days, from tomorrow). */
  pickupDays: publicProcedure.query(({ ctx }) => pickupDays(ctx.db)),
  /** Home pickup, step 1: a one-time code to the phone typed. */
  pickupCode: publicProcedure
    .input(
      z.object({ procedureCode: z.string().trim().min(1).max(16), phone: z.string().trim().min(1).max(20) }),
    )
    .mutation(async ({ ctx, input }) => {
      await limitAddress(ctx);
      const sent = await startPickupRequest(ctx.db, {
        ...input,
        secret: ctx.config.SESSION_SECRET,
        reserve: reservation(ctx),
      });
      await sendTextsNow(ctx);
      return sent;
    }),
  /** Home pickup, step 2: the dossier (pickup_requested) and the courier's pickup task. */
  requestPickup: publicProcedure
    .input(
      z.object({
        procedureCode: z.string().trim().min(1).max(16),
        fullName: z.string().trim().min(2).max(120),
        phone: z.string().trim().min(1).max(20),
        otp,
        address,
        ...point,
        day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        window,
        deliverResult: z.boolean().default(false),
        clientKey: z.string().trim().min(8).max(64),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await limitAddress(ctx);
      return confirmPickupRequest(ctx.db, {
        input: { ...input, citizenId: ctx.citizen?.citizenId },
        secret: ctx.config.SESSION_SECRET,
      });
    }),
});
