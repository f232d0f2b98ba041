import { appError, parseRole, type Role } from '@postdesk/shared';
import { asc, eq, inArray } from 'drizzle-orm';
import { hashPassword, passwordWeakness } from '../auth/passwords';
import { type Db, sqlState } from '../db/client';
import { auditLog, memberships, offices, sessions, users } from '../db/schema';

export const findUsers = async (db: Db) => {
  const list = await db
    .select({
      id: users.id,
      username: users.username,
      fullName: users.fullName,
      active: users.active,
      lockedUntil: users.lockedUntil,
      signingKeyLabel: users.signingKeyLabel,
    })
    .from(users)
    .orderBy(asc(users.username));
  const roles = await db
    .select({
      userId: memberships.userId,
      officeCode: offices.code,
      officeName: offices.name,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(offices, eq(offices.id, memberships.officeId));
  return list.map((u) => ({ ...u, memberships: roles.filter((r) => r.userId === u.id) }));
};

/** What the memberships trigger raises (migration 0009) when a row would break separation of duties. */
const DUTIES_SQLSTATE = 'PD001';

/** Offices that decide (agencies, commune committees); the others are the postal side's. */
const DECIDING_KINDS = new Set(['agency', 'commune_committee']);

/**
 * Separation of duties (Decision 468: postal staff receive and return, agencies decide): an agency role only
 * at a deciding office, postal roles only at a post office or the service centre, and never both in one
 * account, so nobody can both receive a dossier and decide it. The database enforces the same rule.
 */
export const checkDuties = (wanted: { role: Role; officeKind: string }[]) => {
  const conflicts = wanted.filter((m) => (m.role === 'agency_official') !== DECIDING_KINDS.has(m.officeKind));
  const sides = new Set(wanted.map((m) => m.role === 'agency_official'));
  if (conflicts.length > 0 || sides.size > 1) {
    throw appError('DUTIES_CONFLICT', {
      roles: wanted.map((m) => ({ role: m.role, officeKind: m.officeKind })),
    });
  }
};

/** A staff account with its roles; every role name and office code is checked before anything is written. */
export const createUser = async (
  db: Db,
  opts: {
    username: string;
    fullName: string;
    password: string;
    memberships: { officeCode: string; role: string }[];
    /** CKA_LABEL of the user's own signing key on the token (clerks, agency officials); none = cannot sign. */
    signingKeyLabel?: string | null;
    actor: { userId: string; requestId: string };
  },
) => {
  const weakness = passwordWeakness(opts.password, opts.username);
  if (weakness) throw appError('PASSWORD_WEAK', { reason: weakness });
  const wanted = opts.memberships.map((m) => ({ officeCode: m.officeCode, role: parseRole(m.role) }));
  const codes = [...new Set(wanted.map((m) => m.officeCode))];
  const found = await db
    .select({ id: offices.id, code: offices.code, kind: offices.kind })
    .from(offices)
    .where(inArray(offices.code, codes));
  const missing = codes.filter((c) => !found.some((o) => o.code === c));
  if (missing.length > 0) throw appError('NOT_FOUND', { offices: missing });
  checkDuties(
    wanted.map((m) => ({ role: m.role, officeKind: found.find((o) => o.code === m.officeCode)!.kind })),
  );
  const passwordHash = await hashPassword(opts.password);
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          username: opts.username.trim().toLowerCase(),
          fullName: opts.fullName.normalize('NFC'),
          passwordHash,
          signingKeyLabel: opts.signingKeyLabel ?? null,
        })
        .returning({ id: users.id, username: users.username, signingKeyLabel: users.signingKeyLabel });
      await tx.insert(memberships).values(
        wanted.map((m) => ({
          userId: user!.id,
          officeId: found.find((o) => o.code === m.officeCode)!.id,
          role: m.role,
        })),
      );
      await tx.insert(auditLog).values({
        userId: opts.actor.userId,
        action: 'user_created',
        target: user!.id,
        requestId: opts.actor.requestId,
        details: { roles: wanted, signingKeyLabel: opts.signingKeyLabel ?? null },
      });
      return user!;
    });
  } catch (err) {
    if (sqlState(err) === '23505') throw appError('CONFLICT', { field: 'username' });
    if (sqlState(err) === DUTIES_SQLSTATE) throw appError('DUTIES_CONFLICT');
    throw err;
  }
};

/** Deactivating signs the user out everywhere at once. */
export const deactivateUser = async (
  db: Db,
  opts: { userId: string; actor: { userId: string; requestId: string } },
) =>
  db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ active: false })
      .where(eq(users.id, opts.userId))
      .returning({ id: users.id });
    if (!user) throw appError('NOT_FOUND');
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await tx.insert(auditLog).values({
      userId: opts.actor.userId,
      action: 'user_deactivated',
      target: user.id,
      requestId: opts.actor.requestId,
    });
    return { ok: true as const };
  });

/**
 * Names the user's own signing key on the token (users.signingKeyLabel): the key the desk (digitized copies)
 * and the agency desk (results signed in PostDesk) sign with. `null` takes it away: signing then says "ask the
 * administrator". Setting the same label again changes nothing and writes no audit row.
 */
export const setSigningKeyLabel = async (
  db: Db,
  opts: { userId: string; signingKeyLabel: string | null; actor: { userId: string; requestId: string } },
) =>
  db.transaction(async (tx) => {
    const [current] = await tx
      .select({ id: users.id, label: users.signingKeyLabel })
      .from(users)
      .where(eq(users.id, opts.userId))
      .for('update');
    if (!current) throw appError('NOT_FOUND');
    if (current.label === opts.signingKeyLabel) {
      return { id: current.id, signingKeyLabel: current.label, changed: false };
    }
    await tx.update(users).set({ signingKeyLabel: opts.signingKeyLabel }).where(eq(users.id, current.id));
    await tx.insert(auditLog).values({
      userId: opts.actor.userId,
      action: 'signing_key_label_set',
      target: current.id,
      requestId: opts.actor.requestId,
      details: { from: current.label, to: opts.signingKeyLabel },
    });
    return { id: current.id, signingKeyLabel: opts.signingKeyLabel, changed: true };
  });
