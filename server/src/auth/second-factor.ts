import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { appError } from '@postdesk/shared';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, users } from '../db/schema';
import { base32Encode, matchTotp, newTotpSecret, otpauthUri } from './totp';

/** The roles that enrol a second factor: they can change who may do what, or see a whole office. */
export const TOTP_ROLES = ['admin', 'supervisor'] as const;

/** A key of its own for TOTP secrets, so a copy of the users table does not give anyone the codes. */
const keyOf = (sessionSecret: string) =>
  createHash('sha256').update(`postdesk-totp:${sessionSecret}`).digest();

const seal = (sessionSecret: string, secret: Uint8Array) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(sessionSecret), iv);
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return [
    'v1',
    iv.toString('base64url'),
    body.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
};

const unseal = (sessionSecret: string, sealed: string) => {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !body || !tag) throw appError('TOTP_INVALID');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(sessionSecret), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  } catch {
    // Sealed under another SESSION_SECRET (it was rotated): no code can ever match; an administrator resets it.
    throw appError('TOTP_RESET_NEEDED');
  }
};

/**
 * Enrolment, step 1: a new secret (kept sealed, not yet in force) and the otpauth:// URI the authenticator
 * app reads from a QR code. A user whose second factor is on must have it taken off by an administrator first.
 */
export const startTotpEnrolment = async (
  db: Db,
  opts: { userId: string; username: string; sessionSecret: string; issuer: string },
) => {
  const secret = newTotpSecret();
  const [row] = await db
    .update(users)
    .set({ totpSecret: seal(opts.sessionSecret, secret), totpLastStep: null })
    .where(and(eq(users.id, opts.userId), isNull(users.totpEnabledAt)))
    .returning({ id: users.id });
  if (!row) throw appError('TOTP_ALREADY_ENABLED');
  return {
    uri: otpauthUri({ secret, issuer: opts.issuer, account: opts.username }),
    secret: base32Encode(secret),
  };
};

/** A code for `sealed` at `now` that was never accepted before, as its time step; atomic against a replay race. */
const acceptCode = async (
  db: Db,
  opts: { userId: string; sealed: string; code: string; sessionSecret: string; now: Date },
) => {
  const step = matchTotp(unseal(opts.sessionSecret, opts.sealed), opts.code.trim(), opts.now);
  if (step === null) return false;
  const [row] = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, opts.userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return Boolean(row);
};

/** Enrolment, step 2: a code from the app proves it holds the secret; from now on sign-in asks for one. */
export const confirmTotpEnrolment = async (
  db: Db,
  opts: { userId: string; code: string; sessionSecret: string; requestId: string; now?: Date },
) => {
  const now = opts.now ?? new Date();
  const [user] = await db
    .select({ sealed: users.totpSecret, enabledAt: users.totpEnabledAt })
    .from(users)
    .where(eq(users.id, opts.userId));
  if (user?.enabledAt) throw appError('TOTP_ALREADY_ENABLED');
  if (!user?.sealed) throw appError('TOTP_NOT_STARTED');
  if (
    !(await acceptCode(db, {
      userId: opts.userId,
      sealed: user.sealed,
      code: opts.code,
      sessionSecret: opts.sessionSecret,
      now,
    }))
  )
    throw appError('TOTP_INVALID');
  await db.update(users).set({ totpEnabledAt: now }).where(eq(users.id, opts.userId));
  await db
    .insert(auditLog)
    .values({ userId: opts.userId, action: 'totp_enabled', requestId: opts.requestId });
  return { enabled: true as const };
};

/**
 * At sign-in, after the password: an enrolled user must give a fresh code. No code at all asks for one
 * (TOTP_REQUIRED, not a failure); a wrong or replayed code is a failed sign-in.
 */
export const secondFactorOutcome = async (
  db: Db,
  opts: {
    user: { id: string; totpSecret: string | null; totpEnabledAt: Date | null };
    code: string | undefined;
    sessionSecret: string;
    now?: Date;
  },
): Promise<'ok' | 'required' | 'wrong'> => {
  if (!opts.user.totpEnabledAt || !opts.user.totpSecret) return 'ok';
  if (!opts.code) return 'required';
  const ok = await acceptCode(db, {
    userId: opts.user.id,
    sealed: opts.user.totpSecret,
    code: opts.code,
    sessionSecret: opts.sessionSecret,
    now: opts.now ?? new Date(),
  });
  return ok ? 'ok' : 'wrong';
};

/**
 * An administrator turns another user's second factor off (a lost phone, a rotated SESSION_SECRET): the user
 * signs in with the password alone until they enrol again. Not for oneself: a stolen session must not be able
 * to drop its own account's second factor. Audited.
 */
export const resetTotp = async (
  db: Db,
  opts: { userId: string; actor: { userId: string; requestId: string } },
) => {
  if (opts.userId === opts.actor.userId) throw appError('FORBIDDEN', { reason: 'own second factor' });
  const [row] = await db
    .update(users)
    .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null })
    .where(eq(users.id, opts.userId))
    .returning({ id: users.id });
  if (!row) throw appError('NOT_FOUND');
  await db.insert(auditLog).values({
    userId: opts.actor.userId,
    action: 'totp_reset',
    target: row.id,
    requestId: opts.actor.requestId,
  });
  return { ok: true as const };
};
