import { appError } from '@postdesk/shared';
import { z } from 'zod';
import { router, staffProcedure } from '../trpc/init';
import { findTodayAtOffice, recordAdvice } from './desk';
import { lookupApplicant } from './lookup';
import { decidingAgencyInput, intakeInput } from './schemas';
import { getProcedure } from '../catalog/queries';
import { decideAtIntake } from '../agency/competence';
import { servedDepartments } from './departments';
import { vietnamDate } from '@postdesk/shared';
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
  /** The deciding agency the assignment table gives for a procedure and commune, shown before submitting. */
  decidingAgency: clerk.input(decidingAgencyInput).query(async ({ ctx, input }) => {
    const day = vietnamDate(new Date());
    const procedure = await getProcedure(ctx.db, { code: input.procedureCode, day });
    const { agency } = await decideAtIntake(ctx.db, {
      procedure,
      residence: input.communeCode,
      eventPlace: input.eventCommuneCode,
      day,
    });
    return { ...agency, basis: procedure.competenceBasis, level: procedure.level };
  }),
  /** The one-stop departments this desk receives for (default first); empty when the office is one itself. */
  departments: clerk.query(({ ctx }) => servedDepartments(ctx.db, ctx.membership.officeId)),
  today: staffProcedure('clerk', 'supervisor').query(({ ctx }) =>
    findTodayAtOffice(ctx.db, { officeId: ctx.membership.officeId }),
  ),
});
