import { z } from 'zod';
import { router, staffProcedure } from '../trpc/init';
import { findDeadLetters, retryDead } from './outbox';

const supervisor = staffProcedure('supervisor', 'admin');

/** The dead-letter view: messages the portal refused or that failed for hours, and sending one again. */
export const outboxRouter = router({
  deadLetters: supervisor
    .input(z.object({ limit: z.number().int().min(1).max(500).optional() }).optional())
    .query(({ ctx, input }) => findDeadLetters(ctx.db, input ?? {})),
  retry: supervisor
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) => retryDead(ctx.db, input)),
});
