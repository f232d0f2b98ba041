import { appError } from '@postdesk/shared';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, offices, publicityScores } from '../db/schema';

type Actor = { userId: string; requestId: string };

/** Publicity points (0–18) of the units for a month `YYYY-MM`, keyed by unit id. */
export const findPublicity = async (db: Db, opts: { month: string; unitIds: string[] }) => {
  if (opts.unitIds.length === 0) return {};
  const list = await db
    .select({ unitId: publicityScores.unitId, centi: publicityScores.centiPoints })
    .from(publicityScores)
    .where(and(eq(publicityScores.month, `${opts.month}-01`), inArray(publicityScores.unitId, opts.unitIds)));
  return Object.fromEntries(list.map((r) => [r.unitId, r.centi / 100])) as Record<string, number>;
};

/**
 * Enters or imports Decision 766 publicity points (group CKMB, measured outside PostDesk) for a month: one row
 * per unit, each change audited with the points before and after. Units are given by id or by code; every one
 * is checked before anything is written. Re-entering the same points changes nothing and writes no audit row.
 */
export const setPublicity = async (
  db: Db,
  opts: {
    month: string;
    rows: { unitId?: string; unitCode?: string; points: number }[];
    source: 'entered' | 'imported';
    /** Units the caller may score; null = any (administrator). */
    allowedUnitIds: string[] | null;
    actor: Actor;
  },
) => {
  const codes = opts.rows.flatMap((r) => (r.unitCode ? [r.unitCode] : []));
  const ids = opts.rows.flatMap((r) => (r.unitId ? [r.unitId] : []));
  const lookup = (where: ReturnType<typeof inArray>) =>
    db.select({ id: offices.id, code: offices.code }).from(offices).where(where);
  const all = [
    ...(codes.length ? await lookup(inArray(offices.code, codes)) : []),
    ...(ids.length ? await lookup(inArray(offices.id, ids)) : []),
  ];
  const resolved = opts.rows.map((r) => {
    const unit = all.find((o) => (r.unitId ? o.id === r.unitId : o.code === r.unitCode));
    if (!unit) throw appError('PUBLICITY_UNIT_UNKNOWN', { unit: r.unitCode ?? r.unitId });
    if (opts.allowedUnitIds && !opts.allowedUnitIds.includes(unit.id))
      throw appError('BOARD_OFFICE_NOT_YOURS');
    return { unitId: unit.id, code: unit.code, centi: Math.round(r.points * 100) };
  });
  const month = `${opts.month}-01`;
  return db.transaction(async (tx) => {
    let changed = 0;
    for (const r of resolved) {
      const [before] = await tx
        .select({ centi: publicityScores.centiPoints })
        .from(publicityScores)
        .where(and(eq(publicityScores.unitId, r.unitId), eq(publicityScores.month, month)))
        .for('update');
      if (before?.centi === r.centi) continue;
      await tx
        .insert(publicityScores)
        .values({
          unitId: r.unitId,
          month,
          centiPoints: r.centi,
          source: opts.source,
          enteredBy: opts.actor.userId,
        })
        .onConflictDoUpdate({
          target: [publicityScores.unitId, publicityScores.month],
          set: {
            centiPoints: r.centi,
            source: opts.source,
            enteredBy: opts.actor.userId,
            enteredAt: new Date(),
          },
        });
      await tx.insert(auditLog).values({
        userId: opts.actor.userId,
        officeId: r.unitId,
        action: 'indicators.publicity_set',
        target: r.unitId,
        requestId: opts.actor.requestId,
        details: {
          month: opts.month,
          unit: r.code,
          from: before ? before.centi / 100 : null,
          to: r.centi / 100,
          source: opts.source,
        },
      });
      changed++;
    }
    return { month: opts.month, rows: resolved.length, changed };
  });
};
