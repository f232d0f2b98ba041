import { appError } from '@postdesk/shared';
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { devMailbox, dossiers } from '../db/schema';
import { deliverOutbox } from '../integrations/outbox';
import { publicProcedure, router, staffProcedure } from '../trpc/init';
import { devMailboxSender, smsChannel } from './sender';

/** Notifications to citizens (SMS, Zalo) and the development mailbox. */
export const notifyRouter = router({
  /** Whether this server keeps texts in the development mailbox (so the pages may link to it): never in production. */
  mailboxShown: publicProcedure.query(({ ctx }) => ({
    shown: ctx.config.NODE_ENV !== 'production' && !ctx.config.SMS_PROVIDER_URL,
  })),
  /**
   * What the development sender "sent", newest first: for testers and demos, never in production (where
   * nothing is written there anyway). Texts still waiting in the outbox are delivered first, so a code sent a
   * second ago is on the page without waiting for the job's next run.
   */
  mailbox: staffProcedure('clerk', 'supervisor', 'admin')
    .input(
      z
        .object({
          phone: z.string().trim().max(20).optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      if (ctx.config.NODE_ENV === 'production' || ctx.config.SMS_PROVIDER_URL)
        throw appError('MAILBOX_DISABLED');
      await deliverOutbox(ctx.db, {
        channel: smsChannel(devMailboxSender({ publicUrl: ctx.config.PUBLIC_URL })),
      });
      const phone = input?.phone?.replace(/[\s.()-]/g, '');
      return ctx.db
        .select({
          id: devMailbox.id,
          channel: devMailbox.channel,
          recipient: devMailbox.recipient,
          body: devMailbox.body,
          code: dossiers.code,
          createdAt: devMailbox.createdAt,
        })
        .from(devMailbox)
        .leftJoin(dossiers, eq(dossiers.id, devMailbox.dossierId))
        .where(phone ? eq(devMailbox.recipient, phone) : undefined)
        .orderBy(desc(devMailbox.id))
        .limit(input?.limit ?? 50);
    }),
});
