import { appError, ERRORS, isAppError, type Role } from '@postdesk/shared';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type AuthUser, findSession, readSessionCookie } from '../auth/sessions';
import { type Db, isDatabaseUnavailable } from '../db/client';
import type { AppVariables } from './middleware';

export type StaffVariables = AppVariables & {
  user: AuthUser;
  /** The login session (its digest): a token PIN typed in it unlocks signing for it alone. */
  sessionId: string;
};

/** Plain routes (PDFs, uploads, downloads) behind the same session cookie as tRPC, for staff holding `roles`. */
export const requireStaff = (db: Db, roles: Role[]) =>
  createMiddleware<{ Variables: StaffVariables }>(async (c, next) => {
    const token = readSessionCookie(c.req.header('cookie'));
    const session = token ? await findSession(db, token, c.get('sessionPolicy')) : null;
    if (!session) throw appError('UNAUTHENTICATED');
    if (!session.user.memberships.some((m) => roles.includes(m.role))) throw appError('FORBIDDEN');
    c.set('user', session.user);
    c.set('sessionId', session.sessionId);
    await next();
  });

/** The office the caller acts for: the one asked for if they hold one of `roles` there, else their first. */
export const officeFor = (user: AuthUser, roles: Role[], wanted: string | undefined) => {
  const candidates = user.memberships.filter((m) => roles.includes(m.role));
  const m = wanted ? candidates.find((c) => c.officeId === wanted) : candidates[0];
  if (!m) throw appError('FORBIDDEN');
  return m.officeId;
};

/** An AppError as JSON in both languages; anything else is logged and becomes a 500 without internals. */
export const jsonError = <V extends AppVariables>(thrown: Error, c: Context<{ Variables: V }>) => {
  // A database that cannot be reached is a 503 the client may retry, not a 500.
  const err = isDatabaseUnavailable(thrown) ? appError('DATABASE_UNAVAILABLE') : thrown;
  if (err !== thrown) c.get('log').warn({ err: thrown.message }, 'database unavailable');
  const code = isAppError(err) ? err.code : 'INTERNAL';
  if (!isAppError(err)) c.get('log').error({ err: err.message, stack: err.stack }, 'request failed');
  const entry = ERRORS[code];
  return c.json(
    {
      code,
      message: entry.vi,
      messageEn: entry.en,
      details: isAppError(err) ? (err.details ?? null) : null,
      requestId: c.get('requestId'),
    },
    entry.status,
  );
};
