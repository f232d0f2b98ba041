import { z } from 'zod';
import { authedProcedure, publicProcedure, router, staffProcedure } from '../trpc/init';
import { changePassword } from './change-password';
import { homeMembership } from './home';
import { login } from './login';
import { confirmTotpEnrolment, startTotpEnrolment, TOTP_ROLES } from './second-factor';
import { deleteSession, sessionCookie } from './sessions';

export const authRouter = router({
  login: publicProcedure
    .input(
      z.object({
        username: z.string().trim().min(1).max(100),
        password: z.string().min(1).max(200),
        totp: z.string().trim().max(10).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const session = await login(ctx.db, {
        ...input,
        sessionSecret: ctx.config.SESSION_SECRET,
        ip: ctx.ip,
        limits: ctx.limits,
        ttlHours: ctx.config.SESSION_TTL_HOURS,
        idleMinutes: ctx.config.SESSION_IDLE_MINUTES,
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
  /** The signed-in user's own password; other sessions of the user end. */
  changePassword: authedProcedure
    .input(z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }))
    .mutation(({ ctx, input }) =>
      changePassword(ctx.db, {
        ...input,
        userId: ctx.user.id,
        sessionId: ctx.sessionId,
        ip: ctx.ip,
        limiter: ctx.limits.login,
        requestId: ctx.requestId,
      }),
    ),
  /** Second factor, step 1 (administrators and supervisors): the otpauth:// URI for the authenticator app. */
  totpEnrol: staffProcedure(...TOTP_ROLES).mutation(({ ctx }) =>
    startTotpEnrolment(ctx.db, {
      userId: ctx.user.id,
      username: ctx.user.username,
      sessionSecret: ctx.config.SESSION_SECRET,
      issuer: 'PostDesk',
    }),
  ),
  /** Second factor, step 2: a code from the app turns it on; sign-in asks for a code from then on. */
  totpConfirm: staffProcedure(...TOTP_ROLES)
    .input(z.object({ code: z.string().trim().min(1).max(10) }))
    .mutation(({ ctx, input }) =>
      confirmTotpEnrolment(ctx.db, {
        userId: ctx.user.id,
        code: input.code,
        sessionSecret: ctx.config.SESSION_SECRET,
        requestId: ctx.requestId,
      }),
    ),
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
