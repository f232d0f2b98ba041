import { z } from 'zod';
import { supervisedOffices } from '../board/facts';
import type { AuthUser } from '../auth/sessions';
import { router, staffProcedure } from '../trpc/init';
import { findBacklog, findDeadLetters, retryDead, sendNow } from './outbox';

const supervisor = staffProcedure('supervisor', 'admin');

/** An admin sees every message; a supervisor those of dossiers received at the offices they supervise. */
const scopeOf = (user: AuthUser) =>
  user.memberships.some((m) => m.role === 'admin') ? undefined : supervisedOffices(user.memberships);

const deliverJobOf = (topic: string) =>
  topic === 'portal.progress' ? 'outbox_deliver' : `outbox_deliver_${topic.replace(/[^a-z0-9]/gi, '_')}`;

/** The dead-letter view: messages the portal (or an agency, or the SMS provider) refused or that failed for hours. */
export const outboxRouter = router({
  deadLetters: supervisor
    .input(z.object({ limit: z.number().int().min(1).max(500).optional() }).optional())
    .query(({ ctx, input }) => findDeadLetters(ctx.db, { ...(input ?? {}), officeIds: scopeOf(ctx.user) })),
  /** Messages waiting per target (portal, agencies' webhooks, SMS), due now, failing, dead: a draining backlog. */
  backlog: supervisor.query(({ ctx }) => findBacklog(ctx.db, { officeIds: scopeOf(ctx.user) })),
  /** "Send now": a target's waiting messages are due at once (after an outage), and its deliverer is woken. */
  sendNow: supervisor
    .input(z.object({ topic: z.string().min(1).max(40) }))
    .mutation(async ({ ctx, input }) => {
      const result = await sendNow(ctx.db, { topic: input.topic, officeIds: scopeOf(ctx.user) });
      ctx.log.info({ topic: input.topic, due: result.due }, 'outbox send now');
      try {
        await ctx.jobs.enqueue(deliverJobOf(input.topic), {});
      } catch {
        // No deliverer for this channel here (e.g. portal sync off): the messages wait for one.
      }
      return result;
    }),
  /** Sends a dead letter again (and lets the messages behind it follow); another office's is "not found". */
  retry: supervisor.input(z.object({ id: z.number().int().positive() })).mutation(async ({ ctx, input }) => {
    const row = await retryDead(ctx.db, { id: input.id, officeIds: scopeOf(ctx.user) });
    ctx.log.info({ outboxId: row.id, topic: row.topic }, 'dead letter retried');
    // Wake the channel's deliverer now rather than at the next sweep; a job that does not exist here is fine.
    const job =
      row.topic === 'portal.progress'
        ? 'outbox_deliver'
        : `outbox_deliver_${row.topic.replace(/[^a-z0-9]/gi, '_')}`;
    try {
      await ctx.jobs.enqueue(job, row.dossierId ? { dossierId: row.dossierId } : {});
    } catch {
      // No deliverer for this channel in this process (e.g. portal sync off): the message waits for one.
    }
    return row;
  }),
});
