import { appError, parseRole } from '@postdesk/shared';
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
    .select({ id: offices.id, code: offices.code })
    .from(offices)
    .where(inArray(offices.code, codes));
  const missing = codes.filter((c) => !found.some((o) => o.code === c));
  if (missing.length > 0) throw appError('NOT_FOUND', { offices: missing });
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
