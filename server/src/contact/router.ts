import { z } from 'zod';
import { SMS_JOB } from '../notify/sender';
import { router, staffProcedure } from '../trpc/init';
import { confirmContactChange, requestContactChange } from './change-contact';

const address = z.object({
  line: z.string().trim().min(3).max(300),
  communeCode: z
    .string()
    .trim()
    .regex(/^\d{5}$/),
});

/** Who may change a dossier's contact: the clerks and supervisors of the office that received it. */
const staff = staffProcedure('clerk', 'supervisor');

const actorOf = (ctx: { user: { id: string }; membership: { officeId: string; role: string } }) => ({
  userId: ctx.user.id,
  role: ctx.membership.role === 'supervisor' ? ('supervisor' as const) : ('clerk' as const),
  officeId: ctx.membership.officeId,
});

export const contactRouter = router({
  /** Asks to change the phone and/or delivery address; applied at once with the id card, else a code goes to the old phone. */
  change: staff
    .input(
      z.object({
        dossierId: z.uuid(),
        phone: z.string().trim().max(20).optional(),
        delivery: z
          .object({
            address,
            lat: z.number().min(8).max(24).optional(),
            lng: z.number().min(102).max(118).optional(),
            window: z.enum(['morning', 'afternoon', 'any']).optional(),
          })
          .optional(),
        confirmation: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('otp_old_phone') }),
          z.object({
            kind: z.literal('id_card'),
            citizenId: z.string().trim().max(20),
            /** The clerk attests they compared the card with the person in front of them. */
            idCardChecked: z.literal(true),
          }),
        ]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await requestContactChange(ctx.db, {
        input,
        actor: actorOf(ctx),
        secret: ctx.config.SESSION_SECRET,
      });
      await ctx.jobs.enqueue(SMS_JOB, {}).catch(() => undefined);
      return result;
    }),
  /** The code the citizen read from the old phone. */
  confirm: staff
    .input(z.object({ changeId: z.uuid(), otp: z.string().trim().min(1).max(10) }))
    .mutation(async ({ ctx, input }) => {
      const result = await confirmContactChange(ctx.db, {
        ...input,
        actor: actorOf(ctx),
        secret: ctx.config.SESSION_SECRET,
      });
      await ctx.jobs.enqueue(SMS_JOB, {}).catch(() => undefined);
      return result;
    }),
});
