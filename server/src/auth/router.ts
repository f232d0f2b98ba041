import { z } from 'zod';
import { authedProcedure, publicProcedure, router } from '../trpc/init';
import { homeMembership } from './home';
import { login } from './login';
import { deleteSession, sessionCookie } from './sessions';

export const authRouter = router({
  login: publicProcedure
    .input(z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const session = await login(ctx.db, {
        ...input,
        ip: ctx.ip,
        limiter: ctx.limits.login,
        ttlHours: ctx.config.SESSION_TTL_HOURS,
        requestId: ctx.requestId,
      });
      ctx.resHeaders.append(
        'set-cookie',
        sessionCookie(session.token, {
          maxAgeSeconds: Math.round(ctx.config.SESSION_TTL_HOURS * 3600),
          secure: ctx.config.NODE_ENV === 'production',
        }),
      );
      return { user: session.user };
    }),
  logout: authedProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionId) await deleteSession(ctx.db, ctx.sessionId);
    ctx.resHeaders.append(
      'set-cookie',
      sessionCookie('', { maxAgeSeconds: 0, secure: ctx.config.NODE_ENV === 'production' }),
    );
    return { ok: true as const };
  }),
  /**
   * The signed-in user, the membership to start on (the office with work), and whether this server shows the
   * development mailbox (never in production).
   */
  me: publicProcedure.query(async ({ ctx }) => {
    if (!ctx.user) return null;
    const home = await homeMembership(ctx.db, ctx.user);
    return {
      ...ctx.user,
      home: home ? { officeId: home.officeId, role: home.role } : null,
      devMailbox: ctx.config.NODE_ENV !== 'production',
    };
  }),
});
