import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@postdesk/shared';
import { and, eq, gt, lt, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { memberships, offices, sessions, users } from '../db/schema';

export type AuthUser = {
  id: string;
  username: string;
  fullName: string;
  memberships: { officeId: string; officeCode: string; officeName: string; role: Role }[];
};

export const SESSION_COOKIE = 'pd_session';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** How long a session lives: at most `ttlMs` after sign-in, and (when set) `idleMs` after its last request. */
export type SessionPolicy = { ttlMs: number; idleMs: number };

export const DEFAULT_SESSION_POLICY: SessionPolicy = { ttlMs: 12 * 3_600_000, idleMs: 30 * 60_000 };

/** A session's end moves at most once a minute, so a busy desk does not write on every request. */
const SLIDE_STEP_MS = 60_000;

export const createSession = async (
  db: Db,
  opts: { userId: string; ttlHours: number; idleMinutes?: number | null },
) => {
  const token = randomBytes(32).toString('base64url');
  const absolute = Date.now() + opts.ttlHours * 3_600_000;
  const expiresAt = new Date(
    opts.idleMinutes ? Math.min(absolute, Date.now() + opts.idleMinutes * 60_000) : absolute,
  );
  await db.insert(sessions).values({ id: digest(token), userId: opts.userId, expiresAt });
  return { token, sessionId: digest(token), expiresAt };
};

export const loadUser = async (db: Db, userId: string): Promise<AuthUser | null> => {
  const [user] = await db
    .select({ id: users.id, username: users.username, fullName: users.fullName, active: users.active })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.active) return null;
  const roles = await db
    .select({
      officeId: memberships.officeId,
      officeCode: offices.code,
      officeName: offices.name,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(offices, eq(offices.id, memberships.officeId))
    .where(eq(memberships.userId, userId))
    .orderBy(offices.name, memberships.role);
  return { id: user.id, username: user.username, fullName: user.fullName, memberships: roles };
};

/**
 * The signed-in user for a cookie token, or null when it is unknown, idle too long or past its absolute TTL.
 * A request moves the idle end forward (never past the absolute end, never shortening a courier's session).
 */
export const findSession = async (db: Db, token: string, policy: SessionPolicy = DEFAULT_SESSION_POLICY) => {
  const now = new Date();
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .where(
      and(
        eq(sessions.id, digest(token)),
        gt(sessions.expiresAt, now),
        gt(sessions.createdAt, new Date(now.getTime() - policy.ttlMs)),
      ),
    );
  if (!row) return null;
  const idleEnd = now.getTime() + policy.idleMs;
  if (row.expiresAt.getTime() < idleEnd - SLIDE_STEP_MS) {
    const end = Math.min(row.createdAt.getTime() + policy.ttlMs, idleEnd);
    if (end > row.expiresAt.getTime())
      await db
        .update(sessions)
        .set({ expiresAt: new Date(end) })
        .where(eq(sessions.id, row.id));
  }
  const user = await loadUser(db, row.userId);
  return user ? { sessionId: row.id, user } : null;
};

export const deleteSession = (db: Db, sessionId: string) =>
  db.delete(sessions).where(eq(sessions.id, sessionId));

/** Signs the user out everywhere except `keep` (after a password change). */
export const deleteOtherSessions = (db: Db, userId: string, keep: string | null) =>
  db.delete(sessions).where(and(eq(sessions.userId, userId), keep ? ne(sessions.id, keep) : undefined));

export const deleteExpiredSessions = (db: Db) =>
  db.delete(sessions).where(lt(sessions.expiresAt, new Date()));

export const sessionCookie = (token: string, opts: { maxAgeSeconds: number; secure: boolean }) =>
  [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${opts.maxAgeSeconds}`,
    ...(opts.secure ? ['Secure'] : []),
  ].join('; ');

/** One cookie's value from a Cookie header, or null. */
export const readCookie = (header: string | undefined, cookie: string) => {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookie) return value.join('=') || null;
  }
  return null;
};

export const readSessionCookie = (header: string | undefined) => readCookie(header, SESSION_COOKIE);
