import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { dossiers } from '../db/schema';
import { ensureDeliveryTask } from './tasks';

/**
 * Tasks whose dossier moved on without them (withdrawn, handed back at the desk, stopped…) are cancelled,
 * and their version bumped, so a courier's queued action for them conflicts instead of acting.
 * Dossiers waiting for a home delivery that have no task yet get one.
 */
export const reconcileTasks = async (db: Db, officeId: string) => {
  await db.execute(sql`
    update courier_tasks t set state = 'cancelled', version = t.version + 1
    from dossiers d
    where d.id = t.dossier_id and t.office_id = ${officeId} and t.state in ('open', 'assigned')
      and ((t.kind = 'pickup' and d.state not in ('pickup_requested', 'pickup_assigned'))
        or (t.kind = 'delivery' and d.state not in ('result_ready', 'out_for_delivery', 'delivery_failed')))`);
  const missing = await db
    .select({ id: dossiers.id })
    .from(dossiers)
    .where(
      and(
        eq(dossiers.receivingOfficeId, officeId),
        eq(dossiers.returnMethod, 1),
        inArray(dossiers.state, ['result_ready', 'out_for_delivery', 'delivery_failed']),
        sql`not exists (select 1 from courier_tasks t where t.dossier_id = ${dossiers.id} and t.kind = 'delivery' and t.state <> 'cancelled')`,
      ),
    )
    .limit(200);
  if (missing.length > 0) {
    for (const d of missing) {
      await db.transaction(async (tx) => {
        await ensureDeliveryTask(tx as unknown as Db, { dossierId: d.id });
      });
    }
  }
};
