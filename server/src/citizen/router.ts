import { appError } from '@postdesk/shared';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc/init';
import { trackDossier } from './track';

/** The public side: no session, so every call is rate-limited by address. */
export const citizenRouter = router({
  // A mutation only so that it travels as POST: a phone number must not sit in a URL that proxies log.
  track: publicProcedure
    .input(z.object({ code: z.string().trim().min(1).max(50), phone: z.string().trim().min(1).max(20) }))
    .mutation(({ ctx, input }) => {
      if (!ctx.limits.track.hit(ctx.ip)) throw appError('RATE_LIMITED');
      return trackDossier(ctx.db, input);
    }),
});
