import { createHash } from 'node:crypto';
import { appError } from '@postdesk/shared';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, users } from '../db/schema';
import { DUMMY_HASH, verifyPassword } from './passwords';
import type { Limits } from './rate-limit';
import { secondFactorOutcome } from './second-factor';
import { createSession, loadUser } from './sessions';

/** Wrong sign-ins of one account from one address before that pair is held back. */
export const FAILURES_BEFORE_LOCK = 5;
const FIRST_LOCK_MS = 60_000;
const LONGEST_LOCK_MS = 24 * 3_600_000;

/** The back-off after `failures` wrong sign-ins: 1 minute at the fifth, doubling with each one after. */
export const lockMsAfter = (failures: number) =>
  failures < FAILURES_BEFORE_LOCK
    ? 0
    : Math.min(LONGEST_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - FAILURES_BEFORE_LOCK));

/** One counter per (account, address); the account name is hashed so the store holds no usernames. */
const pairKey = (username: string, ip: string) =>
  `${createHash('sha256').update(username).digest('base64url').slice(0, 22)}|${ip}`;

/**
 * Checks the password. Wrong ones hold back the (account, address) pair with a growing back-off, so nobody
 * can lock a colleague out from another machine. Every failure (unknown user, wrong password, inactive,
 * held back) gets the same answer after the same work: the password hash runs every time.
 */
export const login = async (
  db: Db,
  opts: {
    username: string;
    password: string;
    ip: string;
    limits: Pick<Limits, 'login' | 'loginFailures' | 'loginLock'>;
    ttlHours: number;
    /** The idle timeout of the new session; null = the absolute TTL only. */
    idleMinutes: number | null;
    requestId: string;
    /** The authenticator code, for users enrolled in the second factor. */
    totp?: string | undefined;
    /** SESSION_SECRET: the key of the sealed TOTP secrets is derived from it. */
    sessionSecret: string;
  },
) => {
  const { limits } = opts;
  if (!(await limits.login.consume(opts.ip))) throw appError('RATE_LIMITED');
  const username = opts.username.trim().toLowerCase();
  const key = pairKey(username, opts.ip);
  const held = (await limits.loginLock.peek(key)).used > limits.loginLock.limit;
  const [user] = await db
    .select({
      id: users.id,
      passwordHash: users.passwordHash,
      active: users.active,
      totpSecret: users.totpSecret,
      totpEnabledAt: users.totpEnabledAt,
    })
    .from(users)
    .where(eq(users.username, username));
  const passwordOk = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, opts.password);
  const fail = async (code: 'LOGIN_FAILED' | 'TOTP_INVALID') => {
    const failures = (await limits.loginFailures.take(key)).used;
    if (failures >= FAILURES_BEFORE_LOCK) await limits.loginLock.block(key, lockMsAfter(failures));
    if (user)
      await db
        .update(users)
        .set({ failedLogins: sql`${users.failedLogins} + 1` })
        .where(eq(users.id, user.id));
    // Unknown names are audited too (without the name), so both cases do the same database work.
    await db.insert(auditLog).values({
      userId: user?.id ?? null,
      action: 'login_failed',
      requestId: opts.requestId,
      details: { held, failuresFromAddress: failures, secondFactor: code === 'TOTP_INVALID' },
    });
    return appError(code);
  };
  if (!user?.active || !passwordOk || held) throw await fail('LOGIN_FAILED');
  // Past the password only: asking for the code tells nothing to someone who does not know it.
  const second = await secondFactorOutcome(db, { user, code: opts.totp, sessionSecret: opts.sessionSecret });
  if (second === 'required') throw appError('TOTP_REQUIRED');
  if (second === 'wrong') throw await fail('TOTP_INVALID');
  await limits.loginFailures.reset(key);
  await limits.loginLock.reset(key);
  await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
  const authUser = await loadUser(db, user.id);
  if (!authUser) throw appError('LOGIN_FAILED');
  // Couriers work offline for hours on their own phone: their sessions end only at the absolute TTL.
  const courierOnly =
    authUser.memberships.length > 0 && authUser.memberships.every((m) => m.role === 'courier');
  const session = await createSession(db, {
    userId: user.id,
    ttlHours: opts.ttlHours,
    idleMinutes: courierOnly ? null : opts.idleMinutes,
  });
  await db.insert(auditLog).values({ userId: user.id, action: 'login', requestId: opts.requestId });
  return { ...session, user: authUser };
};
