import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { readCookie } from '../auth/sessions';
import type { Db } from '../db/client';
import { citizenAccounts, citizenSessions, eidLogins } from '../db/schema';

/**
 * The citizen's own cookie, apart from the staff one: HttpOnly, SameSite=Lax (the provider sends the browser
 * back with a top-level GET from its own site; Strict would drop the sign-in's cookie there), Secure in
 * production, and short-lived (EID_SESSION_MINUTES, no sliding).
 */
export const CITIZEN_COOKIE = 'pd_citizen';
/** The sign-in on its way through the provider: only the callback's path sees it, for 10 minutes. */
export const EID_LOGIN_COOKIE = 'pd_eid_login';
export const EID_LOGIN_PATH = '/auth/eid';
const LOGIN_TTL_MS = 10 * 60_000;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const token = () => randomBytes(32).toString('base64url');

const cookie = (
  name: string,
  value: string,
  opts: { path: string; maxAgeSeconds: number; secure: boolean },
) =>
  [
    `${name}=${value}`,
    `Path=${opts.path}`,
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${opts.maxAgeSeconds}`,
    ...(opts.secure ? ['Secure'] : []),
  ].join('; ');

export const citizenCookie = (value: string, opts: { maxAgeSeconds: number; secure: boolean }) =>
  cookie(CITIZEN_COOKIE, value, { ...opts, path: '/' });

export const loginCookie = (value: string, opts: { maxAgeSeconds: number; secure: boolean }) =>
  cookie(EID_LOGIN_COOKIE, value, { ...opts, path: EID_LOGIN_PATH });

export const readCitizenCookie = (header: string | undefined) => readCookie(header, CITIZEN_COOKIE);
export const readLoginCookie = (header: string | undefined) => readCookie(header, EID_LOGIN_COOKIE);

/** A new sign-in: the browser's token (its cookie) and the state, nonce and PKCE verifier kept here for it. */
export const beginLogin = async (db: Db, values: { state: string; nonce: string; codeVerifier: string }) => {
  const browserToken = token();
  await db
    .insert(eidLogins)
    .values({ id: digest(browserToken), ...values, expiresAt: new Date(Date.now() + LOGIN_TTL_MS) });
  return { browserToken, maxAgeSeconds: LOGIN_TTL_MS / 1000 };
};

/** The sign-in this browser started, taken once: the row is deleted as it is read (a replay finds nothing). */
export const takeLogin = async (db: Db, browserToken: string) => {
  const [row] = await db
    .delete(eidLogins)
    .where(and(eq(eidLogins.id, digest(browserToken)), gt(eidLogins.expiresAt, new Date())))
    .returning();
  return row ?? null;
};

export type CitizenSession = {
  sessionId: string;
  citizenId: string;
  fullName: string | null;
  expiresAt: Date;
};

/** The person the provider vouched for gets an account (or its last sign-in moves) and a new session. */
export const openCitizenSession = async (
  db: Db,
  opts: { citizenId: string; issuer: string; subject: string; fullName: string | null; minutes: number },
) => {
  const sessionToken = token();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + opts.minutes * 60_000);
  const previous = await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ issuer: citizenAccounts.issuer, subject: citizenAccounts.subject })
      .from(citizenAccounts)
      .where(eq(citizenAccounts.citizenId, opts.citizenId));
    await tx
      .insert(citizenAccounts)
      .values({ citizenId: opts.citizenId, issuer: opts.issuer, subject: opts.subject })
      .onConflictDoUpdate({
        target: citizenAccounts.citizenId,
        set: { issuer: opts.issuer, subject: opts.subject, lastSignInAt: sql`now()` },
      });
    await tx.insert(citizenSessions).values({
      id: digest(sessionToken),
      citizenId: opts.citizenId,
      fullName: opts.fullName,
      expiresAt,
    });
    return before ?? null;
  });
  return {
    token: sessionToken,
    expiresAt,
    /** The provider vouched for this number under another subject before (logged, not refused). */
    subjectChanged:
      previous !== null && (previous.issuer !== opts.issuer || previous.subject !== opts.subject),
  };
};

export const findCitizenSession = async (db: Db, sessionToken: string): Promise<CitizenSession | null> => {
  const [row] = await db
    .select({
      sessionId: citizenSessions.id,
      citizenId: citizenSessions.citizenId,
      fullName: citizenSessions.fullName,
      expiresAt: citizenSessions.expiresAt,
    })
    .from(citizenSessions)
    .where(and(eq(citizenSessions.id, digest(sessionToken)), gt(citizenSessions.expiresAt, new Date())));
  return row ?? null;
};

export const closeCitizenSession = (db: Db, sessionId: string) =>
  db.delete(citizenSessions).where(eq(citizenSessions.id, sessionId));

/** Sessions and unfinished sign-ins past their end (the hourly session clean-up). */
export const deleteExpiredCitizenSessions = async (db: Db, now = new Date()) => {
  await db.delete(citizenSessions).where(lt(citizenSessions.expiresAt, now));
  await db.delete(eidLogins).where(lt(eidLogins.expiresAt, now));
};
