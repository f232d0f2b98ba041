import { appError } from '@postdesk/shared';
import { z } from 'zod';
import type { Context } from '../trpc/init';
import { publicProcedure, router, staffProcedure } from '../trpc/init';
import {
  answerComplaint,
  deskInfo,
  desksOf,
  FEEDBACK_REASONS,
  feedbackStatus,
  fileComplaint,
  listFeedback,
  rateService,
} from './feedback';

const holder = z.object({ code: z.string().trim().min(1).max(50), phone: z.string().trim().min(1).max(20) });
const reasons = z.array(z.enum(FEEDBACK_REASONS)).max(FEEDBACK_REASONS.length).default([]);

/** Same per-address budget as tracking: every public call here is also a code + phone guess. */
const limited = async (ctx: Pick<Context, 'limits' | 'ip'>) => {
  if (!(await ctx.limits.track.consume(ctx.ip))) throw appError('RATE_LIMITED');
};

/** The offices a supervisor answers for: every office where they hold the supervisor role. */
const supervisedOffices = (ctx: { user: { memberships: { officeId: string; role: string }[] } }) =>
  ctx.user.memberships.filter((m) => m.role === 'supervisor').map((m) => m.officeId);

/**
 * Ratings and complaints. Decision: no one-time code here. Code + phone is the proof that opens the
 * dossier's page already; a rating is one per dossier and a complaint's answer goes only to the phone on
 * file, so a code would add an SMS and a wait at the desk (the QR feedback) without protecting anything
 * more. Every call is rate-limited per address like tracking.
 */
export const feedbackRouter = router({
  desk: publicProcedure
    .input(z.object({ deskId: z.uuid() }))
    .query(({ ctx, input }) => deskInfo(ctx.db, input.deskId)),
  // Mutations, so that the phone travels in a POST body and never in a URL.
  status: publicProcedure.input(holder).mutation(async ({ ctx, input }) => {
    await limited(ctx);
    return feedbackStatus(ctx.db, input);
  }),
  rate: publicProcedure
    .input(
      holder.extend({
        satisfied: z.boolean(),
        reasons,
        comment: z.string().max(1000).optional(),
        deskId: z.uuid().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await limited(ctx);
      return rateService(ctx.db, input);
    }),
  complain: publicProcedure
    .input(holder.extend({ reasons, text: z.string().trim().min(10).max(2000), deskId: z.uuid().optional() }))
    .mutation(async ({ ctx, input }) => {
      await limited(ctx);
      return fileComplaint(ctx.db, input);
    }),
  /** The desks of the caller's office, each with the address its printed QR code opens. */
  deskQrs: staffProcedure('clerk', 'supervisor').query(({ ctx }) =>
    desksOf(ctx.db, { officeId: ctx.membership.officeId, publicUrl: ctx.config.PUBLIC_URL }),
  ),
  list: staffProcedure('supervisor').query(({ ctx }) =>
    listFeedback(ctx.db, { officeIds: supervisedOffices(ctx) }),
  ),
  answer: staffProcedure('supervisor')
    .input(z.object({ id: z.uuid(), answer: z.string().trim().min(10).max(1000) }))
    .mutation(async ({ ctx, input }) => {
      const result = await answerComplaint(ctx.db, {
        id: input.id,
        answer: input.answer,
        userId: ctx.user.id,
        officeIds: supervisedOffices(ctx),
      });
      await ctx.jobs.enqueue('outbox_deliver_notify_sms', {}).catch(() => undefined);
      return result;
    }),
});
