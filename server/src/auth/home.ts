import { TERMINAL_STATES } from '@postdesk/shared';
import { and, count, inArray, notInArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { dossiers } from '../db/schema';
import type { AuthUser } from './sessions';

/**
 * The membership a user lands on after signing in: the one whose office has the most open dossiers (received
 * there for postal roles, to decide there for agency officials), so a supervisor of five offices does not
 * start on an empty one. Ties keep the order of `memberships`.
 */
export const homeMembership = async (db: Db, user: AuthUser) => {
  const list = user.memberships;
  if (list.length <= 1) return list[0] ?? null;
  const officeIds = [...new Set(list.map((m) => m.officeId))];
  const open = notInArray(dossiers.state, [...TERMINAL_STATES]);
  const [received, toDecide] = await Promise.all([
    db
      .select({ officeId: dossiers.receivingOfficeId, n: count() })
      .from(dossiers)
      .where(and(inArray(dossiers.receivingOfficeId, officeIds), open))
      .groupBy(dossiers.receivingOfficeId),
    db
      .select({ officeId: dossiers.agencyId, n: count() })
      .from(dossiers)
      .where(and(inArray(dossiers.agencyId, officeIds), open))
      .groupBy(dossiers.agencyId),
  ]);
  const work = (m: AuthUser['memberships'][number]) =>
    (m.role === 'agency_official' ? toDecide : received).find((r) => r.officeId === m.officeId)?.n ?? 0;
  let best = list[0]!;
  for (const m of list) if (work(m) > work(best)) best = m;
  return best;
};
