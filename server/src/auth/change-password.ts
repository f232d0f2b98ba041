import { appError } from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, users } from '../db/schema';
import { hashPassword, passwordWeakness, verifyPassword } from './passwords';
import type { RateLimiter } from './rate-limit';
import { deleteOtherSessions } from './sessions';

/**
 * The signed-in user changes their own password: the current one is required (a session left open on a
 * desk is not enough), the new one must pass the policy, and every other session of the user ends.
 */
export const changePassword = async (
  db: Db,
  opts: {
    userId: string;
    sessionId: string | null;
    currentPassword: string;
    newPassword: string;
    ip: string;
    /** The sign-in budget of the address: guessing the current password costs the same as signing in. */
    limiter: RateLimiter;
    requestId: string;
  },
) => {
  if (!(await opts.limiter.consume(opts.ip))) throw appError('RATE_LIMITED');
  const [user] = await db
    .select({ id: users.id, username: users.username, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, opts.userId));
  if (!user) throw appError('UNAUTHENTICATED');
  if (!(await verifyPassword(user.passwordHash, opts.currentPassword))) {
    await db
      .insert(auditLog)
      .values({ userId: user.id, action: 'password_change_failed', requestId: opts.requestId });
    throw appError('PASSWORD_CURRENT_WRONG');
  }
  const weakness = passwordWeakness(opts.newPassword, user.username);
  if (weakness) throw appError('PASSWORD_WEAK', { reason: weakness });
  if (await verifyPassword(user.passwordHash, opts.newPassword))
    throw appError('PASSWORD_WEAK', { reason: 'unchanged' });
  const passwordHash = await hashPassword(opts.newPassword);
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.update(users).set({ passwordHash, failedLogins: 0 }).where(eq(users.id, user.id));
    await deleteOtherSessions(t, user.id, opts.sessionId);
    await t
      .insert(auditLog)
      .values({ userId: user.id, action: 'password_changed', requestId: opts.requestId });
  });
  return { ok: true as const };
};
