import type { Db } from '../db/client';
import { createPickupTask, ensureDeliveryTask } from '../courier/tasks';

/** The courier's pickup task for a citizen's home-pickup request (the courier module owns the rules). */
export const addPickupTask = (
  tx: Db,
  opts: {
    dossierId: string;
    officeId: string;
    address: string;
    communeCode: string | null;
    lat?: number;
    lng?: number;
    windowStart: Date;
    windowEnd: Date;
    contactName: string;
    contactPhone: string;
    components: { code: string; name: string; form: string; copies: number; required: boolean }[];
    fees: { label: string; amount: number }[];
    now: Date;
  },
) =>
  createPickupTask(tx, {
    dossierId: opts.dossierId,
    officeId: opts.officeId,
    address: opts.address,
    communeCode: opts.communeCode,
    lat: opts.lat ?? null,
    lng: opts.lng ?? null,
    windowStart: opts.windowStart,
    windowEnd: opts.windowEnd,
    contactName: opts.contactName,
    contactPhone: opts.contactPhone,
    collect: { documents: opts.components, ...(opts.fees.length > 0 ? { fees: opts.fees } : {}) },
    now: opts.now,
  });

/** The delivery task once the result is ready (idempotent in the courier module). */
export const addDeliveryTask = (tx: Db, opts: { dossierId: string; now: Date }) =>
  ensureDeliveryTask(tx, opts);
