import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@postdesk/shared';
import { and, eq, gt, lt } from 'drizzle-orm';
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

export const createSession = async (db: Db, opts: { userId: string; ttlHours: number }) => {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + opts.ttlHours * 3_600_000);
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

/** The signed-in user for a cookie token, or null when it is unknown or expired. */
export const findSession = async (db: Db, token: string) => {
  const [row] = await db
    .select({ id: sessions.id, userId: sessions.userId })
    .from(sessions)
    .where(and(eq(sessions.id, digest(token)), gt(sessions.expiresAt, new Date())));
  if (!row) return null;
  const user = await loadUser(db, row.userId);
  return user ? { sessionId: row.id, user } : null;
};

export const deleteSession = (db: Db, sessionId: string) =>
  db.delete(sessions).where(eq(sessions.id, sessionId));

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

export const readSessionCookie = (header: string | undefined) => {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || null;
  }
  return null;
};
