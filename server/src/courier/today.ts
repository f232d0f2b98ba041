import { appError, haversine, vietnamDate } from '@postdesk/shared';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  applicants,
  courierOffline,
  courierProofs,
  courierTasks,
  dossiers,
  offices,
  procedures,
  procedureVersions,
  routes,
  users,
} from '../db/schema';
import { loadHolidayTables } from '../intake/holidays';
import type { StaffCtx } from './context';
import { reconcileTasks } from './reconcile';
import { type CollectSpec, feesDue, serviceDueDay } from './tasks';

/** The component list as the door checklist shows it: form, and the counts of originals and copies. */
const componentsOf = (
  list: { code: string; name: string; form: string; copies: number; required: boolean; note?: string }[],
) =>
  list.map((c) => {
    const form = c.form === 'copy' ? ('copy' as const) : ('original' as const);
    const copies = Math.max(1, c.copies);
    return {
      code: c.code,
      name: c.name,
      form,
      copies,
      required: c.required,
      original: form === 'original' ? copies : 0,
      copy: form === 'copy' ? copies : 0,
      ...(c.note ? { note: c.note } : {}),
    };
  });

/** Tasks with what the door needs: dossier code, procedure, components, recipient, fees due. */
export const loadTaskDetails = async (db: Db, where: ReturnType<typeof and>) => {
  const list = await db
    .select({
      task: courierTasks,
      dossierCode: dossiers.code,
      dossierState: dossiers.state,
      resultDueAt: dossiers.dueAt,
      procedureName: procedures.name,
      components: procedureVersions.components,
      applicantName: applicants.fullName,
      applicantCitizenId: applicants.citizenId,
    })
    .from(courierTasks)
    .innerJoin(dossiers, eq(dossiers.id, courierTasks.dossierId))
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(procedureVersions, eq(procedureVersions.id, dossiers.procedureVersionId))
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(where)
    .orderBy(asc(courierTasks.sequence), asc(courierTasks.windowStart), asc(courierTasks.createdAt));
  const fees = await feesDue(
    db,
    list.map((r) => r.task.dossierId),
  );
  const holidays = await loadHolidayTables(db);
  return list.map((r) => {
    const t = r.task;
    const { otpCheck, ...collect } = (t.collect ?? {}) as CollectSpec & { otpCheck?: unknown };
    return {
      id: t.id,
      version: t.version,
      kind: t.kind,
      state: t.state,
      sequence: t.sequence,
      dossierId: t.dossierId,
      dossierCode: r.dossierCode,
      dossierState: r.dossierState,
      /** The result's legal due date-time (the appointment), when the agency has set it. */
      resultDueAt: r.resultDueAt,
      procedureName: r.procedureName,
      address: t.address,
      lat: t.lat,
      lng: t.lng,
      windowStart: t.windowStart,
      windowEnd: t.windowEnd,
      contactName: t.contactName,
      contactPhone: t.contactPhone,
      collect,
      serviceLevel: t.serviceLevel,
      serviceDueDay: serviceDueDay(t.createdAt, t.serviceLevel, holidays),
      attempts: t.attempts,
      courierId: t.courierId,
      routeDay: t.routeDay,
      failReason: t.failReason,
      nextAttemptAfter: t.nextAttemptAfter,
      completedAt: t.completedAt,
      components: t.kind === 'pickup' ? componentsOf(r.components ?? []) : null,
      recipient:
        t.kind === 'delivery' && r.applicantName
          ? { name: r.applicantName, idLast4: r.applicantCitizenId ? r.applicantCitizenId.slice(-4) : null }
          : null,
      feesDue: fees.get(t.dossierId) ?? 0,
      otpChecked: Boolean(otpCheck),
    };
  });
};

export type TaskDetails = Awaited<ReturnType<typeof loadTaskDetails>>[number];

export const officeOf = async (db: Db, officeId: string) => {
  const [office] = await db
    .select({
      id: offices.id,
      name: offices.name,
      lat: offices.lat,
      lng: offices.lng,
      address: offices.address,
    })
    .from(offices)
    .where(eq(offices.id, officeId));
  if (!office) throw appError('NOT_FOUND');
  return office;
};

/** Couriers taken off `day` (breakdown, illness): they get no new stops and their remaining ones move. */
export const offlineCouriers = async (db: Db, officeId: string, day: string) =>
  new Set(
    (
      await db
        .select({ id: courierOffline.courierId })
        .from(courierOffline)
        .where(and(eq(courierOffline.officeId, officeId), eq(courierOffline.day, day)))
    ).map((r) => r.id),
  );

/** The latest stored route of a courier for a day (acceptPlan / replan write them). */
export const latestRoute = async (db: Db, opts: { officeId: string; courierId: string; day: string }) => {
  const [row] = await db
    .select()
    .from(routes)
    .where(
      and(eq(routes.officeId, opts.officeId), eq(routes.courierId, opts.courierId), eq(routes.day, opts.day)),
    )
    .orderBy(desc(routes.createdAt))
    .limit(1);
  return row ?? null;
};

/** Straight-line path office → stops → office, and its length in metres. */
export const pathThrough = (
  office: { lat: number | null; lng: number | null },
  stops: { lat: number | null; lng: number | null }[],
) => {
  const points: [number, number][] = [];
  if (office.lat !== null && office.lng !== null) points.push([office.lat, office.lng]);
  for (const s of stops) if (s.lat !== null && s.lng !== null) points.push([s.lat, s.lng]);
  if (office.lat !== null && office.lng !== null && points.length > 1) points.push([office.lat, office.lng]);
  let distanceM = 0;
  for (let i = 1; i < points.length; i++) {
    distanceM += haversine(
      { id: 'a', lat: points[i - 1]![0], lng: points[i - 1]![1] },
      { id: 'b', lat: points[i]![0], lng: points[i]![1] },
    );
  }
  return { distanceM: Math.round(distanceM), path: points };
};

/** `courier.today`: the courier's tasks of the day in route order, the office, the route line. */
export const courierToday = async (ctx: StaffCtx, input: { day?: string }) => {
  const day = input.day ?? vietnamDate(new Date());
  const officeId = ctx.membership.officeId;
  // Tasks whose dossier was withdrawn or handed back meanwhile show as cancelled, not as work to do.
  await reconcileTasks(ctx.db, officeId);
  const office = await officeOf(ctx.db, officeId);
  const tasks = await loadTaskDetails(
    ctx.db,
    and(
      eq(courierTasks.officeId, officeId),
      eq(courierTasks.courierId, ctx.user.id),
      eq(courierTasks.routeDay, day),
      inArray(courierTasks.state, ['assigned', 'done', 'failed', 'open', 'cancelled']),
    ),
  );
  const route = await latestRoute(ctx.db, { officeId, courierId: ctx.user.id, day });
  const eta = new Map((route?.stops ?? []).map((s) => [s.taskId, s.eta]));
  const line = pathThrough(
    office,
    tasks.filter((t) => t.state !== 'cancelled'),
  );
  return {
    day,
    office: { name: office.name, lat: office.lat, lng: office.lng, address: office.address },
    tileUrl: ctx.config.COURIER_TILE_URL ?? null,
    tasks: tasks.map(({ courierId: _c, routeDay: _d, dossierId: _id, ...t }) => ({
      ...t,
      eta: eta.get(t.id) ?? null,
    })),
    route: tasks.length > 0 ? line : null,
    replan: route?.replanReason ? { at: route.createdAt, reason: route.replanReason } : null,
    offline: (await offlineCouriers(ctx.db, officeId, day)).has(ctx.user.id),
  };
};

/** `courier.pickedUp` (clerk): dossiers couriers collected for this office, waiting to be handed over at the desk. */
export const awaitingHandOver = async (ctx: StaffCtx) => {
  const list = await ctx.db
    .select({
      dossierId: dossiers.id,
      procedureCode: procedures.code,
      procedureName: procedures.name,
      contactName: courierTasks.contactName,
      contactPhone: courierTasks.contactPhone,
      address: courierTasks.address,
      pickedUpAt: courierTasks.completedAt,
      courierId: courierTasks.courierId,
      /** Who to ask about the bag, shown to the clerk. */
      courierName: users.fullName,
      taskId: courierTasks.id,
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(
      courierTasks,
      and(
        eq(courierTasks.dossierId, dossiers.id),
        eq(courierTasks.kind, 'pickup'),
        eq(courierTasks.state, 'done'),
      ),
    )
    .leftJoin(users, eq(users.id, courierTasks.courierId))
    .where(and(eq(dossiers.receivingOfficeId, ctx.membership.officeId), eq(dossiers.state, 'picked_up')))
    .orderBy(asc(courierTasks.completedAt));
  const proofs = list.length
    ? await ctx.db
        .select({ id: courierProofs.id, taskId: courierProofs.taskId, payload: courierProofs.payload })
        .from(courierProofs)
        .where(
          and(
            inArray(
              courierProofs.taskId,
              list.map((r) => r.taskId),
            ),
            eq(courierProofs.kind, 'pickup'),
          ),
        )
    : [];
  const byTask = new Map(proofs.map((p) => [p.taskId, p]));
  return list.map((r) => {
    const proof = byTask.get(r.taskId);
    const payload = (proof?.payload ?? {}) as { checklist?: unknown[]; sealNumber?: string };
    return {
      ...r,
      proofId: proof?.id ?? null,
      proofUrl: proof ? `/field/proofs/${proof.id}.pdf` : null,
      sealNumber: payload.sealNumber ?? null,
      checklist: (payload.checklist ?? []) as {
        code: string;
        name: string;
        present: boolean;
        form: 'original' | 'copy';
        copies?: number;
      }[],
    };
  });
};
