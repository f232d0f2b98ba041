import { ensureDeliveryTask } from '../courier/tasks';
import type { Db } from '../db/client';

/**
 * Called in the release transaction when the citizen chose delivery by post (returnMethod = 1): makes the
 * courier's delivery task (idempotent on H4's side: an open task is reused). Returns whether one exists now.
 */
export const onResultReleased = async (tx: Db, opts: { dossierId: string; now?: Date }): Promise<boolean> => {
  await ensureDeliveryTask(tx, { dossierId: opts.dossierId, ...(opts.now ? { now: opts.now } : {}) });
  return true;
};
