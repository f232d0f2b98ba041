import { z } from 'zod';
import { limitHolder } from '../citizen/limits';
import { held, holder, reservation, sendTextsNow } from '../citizen/router';
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
  sendFeedbackCode,
} from './feedback';

const reasons = z.array(z.enum(FEEDBACK_REASONS)).max(FEEDBACK_REASONS.length).default([]);
const otp = z.string().trim().min(1).max(10).optional();

/** The offices a supervisor answers for: every office where they hold the supervisor role. */
const supervisedOffices = (ctx: { user: { memberships: { officeId: string; role: string }[] } }) =>
  ctx.user.memberships.filter((m) => m.role === 'supervisor').map((m) => m.officeId);

/**
 * Ratings and complaints. Code + phone opens the dossier's feedback page, but the desk that typed the phone
 * knows both, so rating or complaining needs proof the sender holds the dossier (issue 13): the token of the
 * receipt's QR code, or a one-time code sent to the dossier's phone. Every call is limited like tracking:
 * per address, and per code and phone when those are the key.
 */
export const feedbackRouter = router({
  desk: publicProcedure
    .input(z.object({ deskId: z.uuid() }))
    .query(({ ctx, input }) => deskInfo(ctx.db, input.deskId)),
  // Mutations, so that the phone travels in a POST body and never in a URL.
  status: publicProcedure.input(holder).mutation(async ({ ctx, input }) => {
    await limitHolder(ctx, held(ctx, input));
    return feedbackStatus(ctx.db, { ...held(ctx, input), secret: ctx.config.SESSION_SECRET });
  }),
  /** Without the receipt's QR code: a one-time code to the dossier's phone proves the sender holds it. */
  code: publicProcedure.input(holder).mutation(async ({ ctx, input }) => {
    await limitHolder(ctx, held(ctx, input));
    const sent = await sendFeedbackCode(ctx.db, {
      ...held(ctx, input),
      secret: ctx.config.SESSION_SECRET,
      reserve: reservation(ctx),
    });
    await sendTextsNow(ctx);
    return sent;
  }),
  rate: publicProcedure
    .input(
      holder.extend({
        otp,
        satisfied: z.boolean(),
        reasons,
        comment: z.string().max(1000).optional(),
        deskId: z.uuid().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await limitHolder(ctx, held(ctx, input));
      return rateService(ctx.db, { ...held(ctx, input), secret: ctx.config.SESSION_SECRET });
    }),
  complain: publicProcedure
    .input(
      holder.extend({
        otp,
        reasons,
        text: z.string().trim().min(10).max(2000),
        deskId: z.uuid().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await limitHolder(ctx, held(ctx, input));
      return fileComplaint(ctx.db, { ...held(ctx, input), secret: ctx.config.SESSION_SECRET });
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
