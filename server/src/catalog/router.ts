import { z } from 'zod';
import { publicProcedure, router } from '../trpc/init';
import { findCommunes, findOffices, findProcedures, getProcedure } from './queries';

/** The published catalogue: public, as the law requires procedures to be. */
export const catalogRouter = router({
  procedures: publicProcedure
    .input(
      z
        .object({
          q: z.string().trim().max(100).optional(),
          agencyCode: z.string().max(35).optional(),
          level: z.enum(['province', 'commune']).optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) => findProcedures(ctx.db, input ?? {})),
  procedure: publicProcedure
    .input(z.object({ code: z.string().trim().min(1).max(16) }))
    .query(({ ctx, input }) => getProcedure(ctx.db, input)),
  offices: publicProcedure.query(({ ctx }) => findOffices(ctx.db)),
  communes: publicProcedure.query(({ ctx }) => findCommunes(ctx.db)),
});
