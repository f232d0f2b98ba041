import { appError } from '@postdesk/shared';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, users } from '../db/schema';
import { DUMMY_HASH, verifyPassword } from './passwords';
import type { RateLimiter } from './rate-limit';
import { createSession, loadUser } from './sessions';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

/** Checks the password; five wrong ones in a row lock the account for 15 minutes. */
export const login = async (
  db: Db,
  opts: {
    username: string;
    password: string;
    ip: string;
    limiter: RateLimiter;
    ttlHours: number;
    requestId: string;
  },
) => {
  if (!opts.limiter.hit(opts.ip)) throw appError('RATE_LIMITED');
  const username = opts.username.trim().toLowerCase();
  const [user] = await db
    .select({
      id: users.id,
      passwordHash: users.passwordHash,
      active: users.active,
      lockedUntil: users.lockedUntil,
    })
    .from(users)
    .where(eq(users.username, username));
  if (!user) {
    await verifyPassword(DUMMY_HASH, opts.password);
    throw appError('LOGIN_FAILED');
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    throw appError('ACCOUNT_LOCKED', { until: user.lockedUntil.toISOString() });
  }
  const ok = user.active && (await verifyPassword(user.passwordHash, opts.password));
  if (!ok) {
    const [after] = await db
      .update(users)
      .set({
        failedLogins: sql`${users.failedLogins} + 1`,
        lockedUntil: sql`case when ${users.failedLogins} + 1 >= ${MAX_FAILED_LOGINS}
          then now() + make_interval(mins => ${LOCK_MINUTES}) else null end`,
      })
      .where(eq(users.id, user.id))
      .returning({ failedLogins: users.failedLogins, lockedUntil: users.lockedUntil });
    await db.insert(auditLog).values({ userId: user.id, action: 'login_failed', requestId: opts.requestId });
    if (after?.lockedUntil) throw appError('ACCOUNT_LOCKED', { until: after.lockedUntil.toISOString() });
    throw appError('LOGIN_FAILED');
  }
  await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
  const session = await createSession(db, { userId: user.id, ttlHours: opts.ttlHours });
  await db.insert(auditLog).values({ userId: user.id, action: 'login', requestId: opts.requestId });
  const authUser = await loadUser(db, user.id);
  if (!authUser) throw appError('LOGIN_FAILED');
  return { ...session, user: authUser };
};
