import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { appError, normalizePhone } from '@postdesk/shared';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { otpCodes } from '../db/schema';

/** What a code confirms; a code for one purpose never confirms another. */
export type OtpPurpose =
  | 'pickup_request'
  | 'delivery_request'
  | 'delivery_handover'
  | 'feedback'
  | 'contact_change';

export const OTP_TTL_MS = 10 * 60_000;
/** Wrong tries on one code before it is spent: 5 of 10^6 codes is a 0.0005% guess. */
export const OTP_MAX_ATTEMPTS = 5;
/** Codes per phone and purpose per window, so a number cannot be flooded with SMS. */
export const OTP_MAX_SENDS = 3;
export const OTP_SEND_WINDOW_MS = 15 * 60_000;

const hashCode = (secret: string, id: string, code: string) =>
  createHmac('sha256', secret).update(`${id}:${code}`).digest('hex');

/**
 * Makes a 6-digit code for a phone, stores only its HMAC, and returns the code for the caller to send
 * (through `notify`, in the same transaction, which must be open: the send count is atomic only inside one). Earlier unused codes for the same phone and purpose stop
 * working: only the latest text message counts.
 */
export const issueOtp = async (
  db: Db,
  opts: {
    purpose: OtpPurpose;
    phone: string;
    dossierId?: string | null;
    secret: string;
    now?: Date;
    /** How long the code lives (default OTP_TTL_MS); a courier's hand-over code lives for the route day. */
    ttlMs?: number;
  },
) => {
  const now = opts.now ?? new Date();
  const phone = normalizePhone(opts.phone);
  const expiresAt = new Date(now.getTime() + (opts.ttlMs ?? OTP_TTL_MS));
  // Inside the caller's transaction, requests for one phone and purpose take turns until commit, so the
  // count below cannot be raced (twenty at once used to get ten codes through).
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`otp:${opts.purpose}:${phone}`}))`);
  const [recent] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(otpCodes)
    .where(
      and(
        eq(otpCodes.purpose, opts.purpose),
        eq(otpCodes.phone, phone),
        gt(otpCodes.createdAt, new Date(now.getTime() - OTP_SEND_WINDOW_MS)),
      ),
    );
  if ((recent?.n ?? 0) >= OTP_MAX_SENDS) throw appError('OTP_TOO_MANY_REQUESTS');
  await db
    .update(otpCodes)
    .set({ usedAt: now })
    .where(and(eq(otpCodes.purpose, opts.purpose), eq(otpCodes.phone, phone), isNull(otpCodes.usedAt)));
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const id = crypto.randomUUID();
  await db.insert(otpCodes).values({
    id,
    purpose: opts.purpose,
    phone,
    dossierId: opts.dossierId ?? null,
    codeHash: hashCode(opts.secret, id, code),
    expiresAt,
    createdAt: now,
  });
  return { id, code, phone, expiresAt };
};

/**
 * Checks a code against the latest live one for the phone and purpose (and dossier, when given). A right
 * code is spent at once (single use); a wrong one counts against the code, which dies after
 * OTP_MAX_ATTEMPTS. Wrong, expired and unknown codes get the same answer.
 */
export const verifyOtp = async (
  db: Db,
  opts: {
    purpose: OtpPurpose;
    phone: string;
    code: string;
    dossierId?: string | null;
    secret: string;
    now?: Date;
  },
) => {
  const now = opts.now ?? new Date();
  const phone = normalizePhone(opts.phone);
  // The transaction returns what happened and commits; the error is thrown after it, so a wrong try's
  // count is kept (throwing inside would roll it back and let a code be guessed forever).
  const outcome = await db.transaction(async (tx) => {
    const [live] = await tx
      .select()
      .from(otpCodes)
      .where(
        and(
          eq(otpCodes.purpose, opts.purpose),
          eq(otpCodes.phone, phone),
          isNull(otpCodes.usedAt),
          gt(otpCodes.expiresAt, now),
          opts.dossierId ? eq(otpCodes.dossierId, opts.dossierId) : undefined,
        ),
      )
      .orderBy(desc(otpCodes.createdAt))
      .limit(1)
      .for('update');
    if (!live) return { kind: 'invalid' as const };
    if (live.attempts >= OTP_MAX_ATTEMPTS) return { kind: 'spent' as const };
    const expected = Buffer.from(live.codeHash, 'hex');
    const given = Buffer.from(hashCode(opts.secret, live.id, opts.code.trim()), 'hex');
    if (!timingSafeEqual(expected, given)) {
      const attempts = live.attempts + 1;
      await tx
        .update(otpCodes)
        .set({ attempts, ...(attempts >= OTP_MAX_ATTEMPTS ? { usedAt: now } : {}) })
        .where(eq(otpCodes.id, live.id));
      return { kind: attempts >= OTP_MAX_ATTEMPTS ? ('spent' as const) : ('invalid' as const) };
    }
    await tx.update(otpCodes).set({ usedAt: now }).where(eq(otpCodes.id, live.id));
    return { kind: 'ok' as const, id: live.id, dossierId: live.dossierId };
  });
  if (outcome.kind !== 'ok')
    throw appError(outcome.kind === 'spent' ? 'OTP_TOO_MANY_ATTEMPTS' : 'OTP_INVALID');
  return { id: outcome.id, phone, dossierId: outcome.dossierId };
};
