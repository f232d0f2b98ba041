import { createHmac, timingSafeEqual } from 'node:crypto';
import { appError, DECLARED_CLAIMS, normalizePhone, vietnamDate } from '@postdesk/shared';
import { z } from 'zod';
import { supervisedOffices } from '../board/facts';
import { narrowOffices } from '../board/service';
import type { Context } from '../trpc/init';
import { publicProcedure, router, staffProcedure } from '../trpc/init';
import {
  callNext,
  deskBoard,
  finishTicket,
  recallTicket,
  skipTicket,
  ticketForIntake,
  ticketProgress,
  transferTicket,
  waitingScreen,
} from './desk';
import { queueFigures } from './figures';
import { bookTicket, findSlots, queueOffice, takeTicket } from './tickets';

const clerk = staffProcedure('clerk');

/** The key in an office's kiosk link: only a kiosk a supervisor set up prints numbers without a phone. */
export const kioskKey = (secret: string, officeId: string) =>
  createHmac('sha256', secret).update(`queue-kiosk:${officeId}`).digest('base64url').slice(0, 22);

const sameKey = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const citizen = {
  officeId: z.uuid(),
  groupId: z.uuid().optional(),
  procedureCode: z.string().trim().min(1).max(16).optional(),
  fullName: z.string().trim().max(100).optional(),
  claims: z.array(z.enum(DECLARED_CLAIMS)).max(3).default([]),
};
const phone = z.string().trim().min(1).max(20);

/**
 * A number taken from a phone counts against the address and the phone (under an HMAC, so the limit store
 * never holds the number): one phone or one address cannot flood the queue with numbers.
 */
const limitPhoneTicket = async (ctx: Pick<Context, 'limits' | 'ip' | 'config'>, number: string) => {
  if (!(await ctx.limits.ticketAddress.consume(ctx.ip))) throw appError('RATE_LIMITED');
  const key = createHmac('sha256', ctx.config.SESSION_SECRET)
    .update(`ticket-phone:${normalizePhone(number)}`)
    .digest('base64url');
  if (!(await ctx.limits.ticketPhone.consume(key))) throw appError('RATE_LIMITED');
};

const deskCall = z.object({ deskId: z.uuid(), ticketId: z.uuid() });

/** The counter queue: numbers for citizens, the desk's calls, the waiting-room screen, the supervisor's figures. */
export const queueRouter = router({
  /** The office's groups for the kiosk and the phone page, and whether numbers are issued now. */
  office: publicProcedure
    .input(z.object({ officeId: z.uuid() }))
    .query(({ ctx, input }) => queueOffice(ctx.db, { officeId: input.officeId, now: new Date() })),

  /** A number from the office's kiosk (its link carries the office's kiosk key). */
  kioskTicket: publicProcedure
    .input(z.object({ ...citizen, key: z.string().max(64), phone: phone.optional() }))
    .mutation(async ({ ctx, input }) => {
      if (!sameKey(input.key, kioskKey(ctx.config.SESSION_SECRET, input.officeId)))
        throw appError('QUEUE_KIOSK_KEY_INVALID');
      if (!(await ctx.limits.kiosk.consume(input.officeId))) throw appError('RATE_LIMITED');
      const { key: _key, ...request } = input;
      return takeTicket(ctx.db, { ...request, source: 'kiosk', now: new Date() });
    }),

  /** A number from the citizen's phone, after scanning the desk's QR code at the office. */
  phoneTicket: publicProcedure.input(z.object({ ...citizen, phone })).mutation(async ({ ctx, input }) => {
    await limitPhoneTicket(ctx, input.phone);
    return takeTicket(ctx.db, { ...input, source: 'desk_qr', now: new Date() });
  }),

  /** Bookable slots of a day for a group, each with the places left. */
  slots: publicProcedure
    .input(z.object({ officeId: z.uuid(), groupId: z.uuid(), date: z.iso.date() }))
    .query(({ ctx, input }) => findSlots(ctx.db, { ...input, now: new Date() })),

  /** A number booked ahead for a slot, from the citizen's phone. */
  book: publicProcedure
    .input(z.object({ ...citizen, groupId: z.uuid(), phone, slotStart: z.coerce.date() }))
    .mutation(async ({ ctx, input }) => {
      await limitPhoneTicket(ctx, input.phone);
      return bookTicket(ctx.db, { ...input, now: new Date() });
    }),

  /** The citizen's own number (the link their phone keeps): status, numbers ahead, the desk when called. */
  ticket: publicProcedure
    .input(z.object({ ticketId: z.uuid() }))
    .query(({ ctx, input }) => ticketProgress(ctx.db, input)),

  /** The waiting-room screen of an office: recent calls and queue lengths (no names). */
  screen: publicProcedure
    .input(z.object({ officeId: z.uuid() }))
    .query(({ ctx, input }) => waitingScreen(ctx.db, { officeId: input.officeId, now: new Date() })),

  /** The clerk's office: desks, the groups each calls, the number each serves, numbers waiting per group. */
  desks: clerk.query(({ ctx }) => deskBoard(ctx.db, { officeId: ctx.membership.officeId, now: new Date() })),

  /** "Gọi số tiếp theo": finishes the desk's number and calls the next; null when nobody is waiting. */
  callNext: clerk
    .input(z.object({ deskId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      callNext(ctx.db, { deskId: input.deskId, officeId: ctx.membership.officeId, now: new Date() }),
    ),
  recall: clerk
    .input(deskCall)
    .mutation(({ ctx, input }) =>
      recallTicket(ctx.db, { ...input, officeId: ctx.membership.officeId, now: new Date() }),
    ),
  skip: clerk
    .input(deskCall)
    .mutation(({ ctx, input }) =>
      skipTicket(ctx.db, { ...input, officeId: ctx.membership.officeId, now: new Date() }),
    ),
  finish: clerk
    .input(deskCall)
    .mutation(({ ctx, input }) =>
      finishTicket(ctx.db, { ...input, officeId: ctx.membership.officeId, now: new Date() }),
    ),
  transfer: clerk
    .input(deskCall.extend({ groupId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      transferTicket(ctx.db, { ...input, officeId: ctx.membership.officeId, now: new Date() }),
    ),

  /** A number of the clerk's office with the citizen's details, to prefill intake. */
  intakeTicket: clerk
    .input(z.object({ ticketId: z.uuid() }))
    .query(({ ctx, input }) => ticketForIntake(ctx.db, { ...input, officeId: ctx.membership.officeId })),

  /** The links a supervisor prints or opens: the kiosk, the waiting-room screen, each desk's QR page. */
  links: staffProcedure('supervisor', 'clerk').query(async ({ ctx }) => {
    const officeId = ctx.membership.officeId;
    const base = ctx.config.PUBLIC_URL.replace(/\/$/, '');
    const board = await deskBoard(ctx.db, { officeId, now: new Date() });
    return {
      kiosk:
        ctx.membership.role === 'supervisor'
          ? `${base}/queue/kiosk/${officeId}?key=${kioskKey(ctx.config.SESSION_SECRET, officeId)}`
          : null,
      screen: `${base}/queue/screen/${officeId}`,
      desks: board.desks.map((d) => ({
        id: d.id,
        name: d.name,
        url: `${base}/queue/take/${officeId}?desk=${d.id}`,
      })),
    };
  }),

  /** Waiting and serving times per desk and per group, for a day (today unless given), for the board. */
  figures: staffProcedure('supervisor')
    .input(z.object({ officeId: z.uuid().nullish(), date: z.iso.date().optional() }).optional())
    .query(({ ctx, input }) => {
      const officeIds = narrowOffices(supervisedOffices(ctx.user.memberships), input?.officeId);
      const now = new Date();
      const from = input?.date ?? vietnamDate(now);
      const to = new Date(Date.parse(`${from}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      return queueFigures(ctx.readDb ?? ctx.db, { officeIds, from, to, now });
    }),
});
