import { appError } from '@postdesk/shared';
import { z } from 'zod';
import { router, staffProcedure } from '../trpc/init';
import { findTodayAtOffice, recordAdvice } from './desk';
import { lookupApplicant } from './lookup';
import { intakeInput } from './schemas';
import { submitIntake } from './submit';

const clerk = staffProcedure('clerk');

export const intakeRouter = router({
  advise: clerk
    .input(z.object({ procedureCode: z.string().trim().min(1).max(16) }))
    .mutation(({ ctx, input }) =>
      recordAdvice(ctx.db, { ...input, officeId: ctx.membership.officeId, userId: ctx.user.id }),
    ),
  lookupApplicant: clerk
    .input(
      z.object({ citizenId: z.string().trim().max(20), procedureCode: z.string().trim().min(1).max(16) }),
    )
    .query(async ({ ctx, input }) => {
      // Per clerk, whatever their address: an account scraping id numbers stops, a desk never notices.
      if (!(await ctx.limits.lookup.consume(ctx.user.id))) throw appError('RATE_LIMITED');
      return lookupApplicant(ctx.db, {
        ...input,
        actor: { userId: ctx.user.id, officeId: ctx.membership.officeId },
        requestId: ctx.requestId,
      });
    }),
  submit: clerk.input(intakeInput).mutation(({ ctx, input }) =>
    submitIntake(ctx.db, {
      input,
      actor: { userId: ctx.user.id, fullName: ctx.user.fullName, membership: ctx.membership },
    }),
  ),
  today: staffProcedure('clerk', 'supervisor').query(({ ctx }) =>
    findTodayAtOffice(ctx.db, { officeId: ctx.membership.officeId }),
  ),
});
