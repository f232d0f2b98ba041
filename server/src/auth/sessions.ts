import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@postdesk/shared';
import { and, eq, lt, ne, sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client';
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

type SessionRow = {
  id: string;
  user_id: string;
  created_at: Date | string;
  expires_at: Date | string;
  username: string;
  full_name: string;
  memberships: AuthUser['memberships'] | string;
};

/**
 * The signed-in user for a cookie token, or null when it is unknown, idle too long, past its absolute TTL or
 * its user is deactivated. One round trip on every authenticated request: the session, its user and the
 * user's offices and roles in one statement. A request moves the idle end forward (never past the absolute
 * end, never shortening a courier's session), at most once a minute.
 */
export const findSession = async (db: Db, token: string, policy: SessionPolicy = DEFAULT_SESSION_POLICY) => {
  const now = new Date();
  const [row] = await rows<SessionRow>(
    db,
    sql`select s.id, s.user_id, s.created_at, s.expires_at, u.username, u.full_name,
          coalesce((select json_agg(json_build_object('officeId', m.office_id, 'officeCode', o.code,
                      'officeName', o.name, 'role', m.role) order by o.name, m.role)
                    from memberships m join offices o on o.id = m.office_id
                    where m.user_id = u.id), '[]'::json) as memberships
        from sessions s join users u on u.id = s.user_id
        where s.id = ${digest(token)} and s.expires_at > ${now.toISOString()}::timestamptz
          and s.created_at > ${new Date(now.getTime() - policy.ttlMs).toISOString()}::timestamptz
          and u.active`,
  );
  if (!row) return null;
  const createdAt = new Date(row.created_at).getTime();
  const expiresAt = new Date(row.expires_at).getTime();
  const idleEnd = now.getTime() + policy.idleMs;
  if (expiresAt < idleEnd - SLIDE_STEP_MS) {
    const end = Math.min(createdAt + policy.ttlMs, idleEnd);
    if (end > expiresAt)
      await db
        .update(sessions)
        .set({ expiresAt: new Date(end) })
        .where(eq(sessions.id, row.id));
  }
  const memberships = typeof row.memberships === 'string' ? JSON.parse(row.memberships) : row.memberships;
  const user: AuthUser = { id: row.user_id, username: row.username, fullName: row.full_name, memberships };
  return { sessionId: row.id, user };
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
