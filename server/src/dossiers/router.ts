import { z } from 'zod';
import { router, staffProcedure } from '../trpc/init';
import { findEvents, verifyChain } from './engine';
import { getDossierForStaff } from './queries';

const dossierRef = z.object({ idOrCode: z.string().trim().min(1).max(50) });
const STAFF = ['clerk', 'supervisor', 'agency_official', 'admin'] as const;

export const dossiersRouter = router({
  get: staffProcedure(...STAFF)
    .input(dossierRef)
    .query(({ ctx, input }) => getDossierForStaff(ctx.db, { ...input, membership: ctx.membership })),
  timeline: staffProcedure(...STAFF)
    .input(dossierRef)
    .query(async ({ ctx, input }) => {
      const dossier = await getDossierForStaff(ctx.db, { ...input, membership: ctx.membership });
      const [events, chain] = await Promise.all([
        findEvents(ctx.db, dossier.id),
        verifyChain(ctx.db, dossier.id),
      ]);
      return {
        chainIntact: chain.ok,
        events: events.map((e) => ({
          seq: e.seq,
          event: e.event,
          fromState: e.fromState,
          toState: e.toState,
          actorKind: e.actorKind,
          role: e.role,
          at: e.at,
          deviceAt: e.deviceAt,
        })),
      };
    }),
});
