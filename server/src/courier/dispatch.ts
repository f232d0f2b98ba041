import {
  appError,
  DEFAULT_OFFICE_HOURS,
  ERRORS,
  isAppError,
  type PlannedRoute,
  type Problem,
  type Solution,
  replanWithDeadlines,
  type Stop,
  solveWithDeadlines,
  vietnamDate,
  workingHoursBetween,
} from '@postdesk/shared';
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  courierProofs,
  courierTasks,
  dossierEvents,
  dossiers,
  memberships,
  offices,
  routes,
  users,
} from '../db/schema';
import { recordEvent } from '../dossiers/engine';
import { loadHolidayTables } from '../intake/holidays';
import { SMS_JOB } from '../notify/sender';
import { queueSms } from '../notify/notify';
import { issueOtp, OTP_TTL_MS } from '../otp/otp';
import type { StaffCtx } from './context';
import { MAX_DELIVERY_INVITATIONS } from './sync';
import type { Env } from '../env';
import { planOffThread, replanLegalOffThread } from '../jobs/threads';
import type { Logger } from '../logger';
import { buildRoadMatrix, describeSource, type MatrixSource, type RoadMatrix } from './road-matrix';
import { type CourierTask, localInstant, localMinutes, windowOnDay } from './tasks';
import { reconcileTasks } from './reconcile';
import {
  latestRoute,
  loadTaskDetails,
  officeOf,
  offlineCouriers,
  pathThrough,
  type TaskDetails,
} from './today';

/** A courier's working day for the planner: leaves the office 07:30, back by 17:30, at most 10 hours. */
export const COURIER_DAY = { start: '07:30', end: '17:30', shiftMinutes: 600 } as const;
/** What a motorbike carries (dossiers and result envelopes). */
export const COURIER_CAPACITY = 40;
/** Minutes at the door: checking documents at a pickup takes longer than handing over a result. */
export const SERVICE_MINUTES = { pickup: 10, delivery: 5 } as const;

const DOSSIER_STATES_FOR_KIND = {
  pickup: ['pickup_requested', 'pickup_assigned'],
  delivery: ['result_ready', 'out_for_delivery', 'delivery_failed'],
} as const;

/** Couriers of the office: id and name. */
export const couriersOf = async (db: Db, officeId: string) =>
  db
    .select({ id: users.id, fullName: users.fullName, username: users.username })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.officeId, officeId), eq(memberships.role, 'courier'), eq(users.active, true)))
    .orderBy(users.fullName);

/** Whether a task can go on a route for `day`: open, or failed and due for another attempt. */
const plannable = (t: TaskDetails, day: string) => {
  if (t.state === 'open') return true;
  if (t.state !== 'failed') return false;
  if (t.kind === 'delivery') {
    if (t.attempts >= MAX_DELIVERY_INVITATIONS || t.dossierState !== 'delivery_failed') return false;
    return !t.nextAttemptAfter || vietnamDate(t.nextAttemptAfter) <= day;
  }
  return t.dossierState === 'pickup_assigned';
};

/** `courier.list`: the office's tasks for the day plus every open task not yet on a day; the couriers. */
export const listDay = async (ctx: StaffCtx, input: { day: string }) => {
  const officeId = ctx.membership.officeId;
  await reconcileTasks(ctx.db, officeId);
  const [office, couriers] = await Promise.all([officeOf(ctx.db, officeId), couriersOf(ctx.db, officeId)]);
  const tasks = await loadTaskDetails(
    ctx.db,
    and(
      eq(courierTasks.officeId, officeId),
      or(
        eq(courierTasks.routeDay, input.day),
        inArray(courierTasks.state, ['open']),
        and(
          eq(courierTasks.state, 'failed'),
          inArray(dossiers.state, ['delivery_failed', 'pickup_assigned']),
        ),
      ),
    ),
  );
  const proofs = tasks.length
    ? await ctx.db
        .select({ taskId: courierProofs.taskId, id: courierProofs.id, serverAt: courierProofs.serverAt })
        .from(courierProofs)
        .where(
          inArray(
            courierProofs.taskId,
            tasks.map((t) => t.id),
          ),
        )
        .orderBy(courierProofs.serverAt)
    : [];
  const proofOf = new Map(proofs.map((p) => [p.taskId, p.id]));
  const stored = await ctx.db
    .select()
    .from(routes)
    .where(and(eq(routes.officeId, officeId), eq(routes.day, input.day)))
    .orderBy(desc(routes.createdAt));
  const latestByCourier = new Map<string, (typeof stored)[number]>();
  for (const r of stored) if (!latestByCourier.has(r.courierId)) latestByCourier.set(r.courierId, r);
  return {
    day: input.day,
    office: { name: office.name, lat: office.lat, lng: office.lng, address: office.address },
    tileUrl: ctx.config.COURIER_TILE_URL ?? null,
    couriers,
    tasks: tasks.map((t) => ({
      ...t,
      plannable: plannable(t, input.day),
      proofId: proofOf.get(t.id) ?? null,
    })),
    routes: couriers.flatMap((c) => {
      const mine = tasks
        .filter((t) => t.courierId === c.id && t.routeDay === input.day && t.state !== 'cancelled')
        .sort((a, b) => (a.sequence ?? 999) - (b.sequence ?? 999));
      if (mine.length === 0) return [];
      const stored = latestByCourier.get(c.id);
      const line = pathThrough(office, mine);
      return [
        {
          courierId: c.id,
          courierName: c.fullName,
          distanceM: stored?.distanceM ?? line.distanceM,
          path: line.path,
          taskIds: mine.map((t) => t.id),
        },
      ];
    }),
  };
};

/** When the last failed delivery attempt was (for the 2-working-days rule). */
const lastFailedAttempt = async (db: Db, dossierId: string) => {
  const [row] = await db
    .select({ at: dossierEvents.at })
    .from(dossierEvents)
    .where(and(eq(dossierEvents.dossierId, dossierId), eq(dossierEvents.event, 'fail_delivery')))
    .orderBy(desc(dossierEvents.seq))
    .limit(1);
  return row?.at ?? null;
};

/**
 * Who assigns: a supervisor (their session), or the planner itself (`user: null`, the automatic re-plan
 * after a failed visit, an urgent task or a courier taken off the day).
 */
export type AssignCtx = Pick<StaffCtx, 'db' | 'config' | 'jobs' | 'log'> & {
  membership: Pick<StaffCtx['membership'], 'officeId'>;
  user: Pick<StaffCtx['user'], 'id'> | null;
};

/** Texts the recipient that the courier is on the way, with the code to give at the door. */
const sendHandoverCode = async (
  tx: Db,
  ctx: AssignCtx,
  opts: { task: CourierTask; day: string; dossierCode: string | null },
) => {
  const phone = opts.task.contactPhone;
  if (!phone) throw appError('COURIER_NO_RECIPIENT_PHONE');
  // The courier may come at any time of the route day: the code lives until the end of that day.
  const now = new Date();
  const endOfDay = localInstant(opts.day, '23:59');
  const otp = await issueOtp(tx, {
    purpose: 'delivery_handover',
    phone,
    dossierId: opts.task.dossierId,
    secret: ctx.config.SESSION_SECRET,
    now,
    ttlMs: Math.max(OTP_TTL_MS, endOfDay.getTime() - now.getTime()),
  });
  const code = opts.dossierCode ? ` ho so ${opts.dossierCode}` : '';
  // The engine's notification hook already announces the trip ("courier on the way"); this text carries the
  // code only, as a one-time code, so the two never get confused.
  await queueSms(tx, {
    kind: 'otp',
    phone,
    dossierId: opts.task.dossierId,
    key: `delivery_handover:${opts.task.id}:${otp.id}`,
    secret: otp.code,
    body: `PostDesk: Buu ta se giao ket qua${code} ngay ${opts.day.split('-').reverse().join('/')}. Ma xac nhan khi nhan: ${otp.code}. Khong chia se ma nay cho nguoi khac.`,
  });
};

type AssignInput = {
  taskId: string;
  courierId: string;
  day: string;
  version?: number;
  sequence?: number | null;
};

/**
 * Puts one task on a courier's day. The dossier follows: `assign_pickup` for a pickup, `dispatch` for a
 * result (with the 2-working-days rule after a failed attempt, and the recipient's code by SMS). Moving a
 * task to another courier or day bumps its version, so the first courier's queued actions conflict.
 */
export const assignTask = async (ctx: AssignCtx, input: AssignInput) => {
  const officeId = ctx.membership.officeId;
  const [courier] = await ctx.db
    .select({ id: memberships.userId })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, input.courierId),
        eq(memberships.officeId, officeId),
        eq(memberships.role, 'courier'),
      ),
    );
  if (!courier) throw appError('COURIER_NOT_AT_OFFICE');
  const holidays = await loadHolidayTables(ctx.db);
  const [office] = await ctx.db
    .select({ hours: offices.officeHours })
    .from(offices)
    .where(eq(offices.id, officeId));
  let smsQueued = false;
  const result = await ctx.db.transaction(async (raw) => {
    const tx = raw as unknown as Db;
    const [task] = await tx
      .select()
      .from(courierTasks)
      .where(and(eq(courierTasks.id, input.taskId), eq(courierTasks.officeId, officeId)))
      .for('update');
    if (!task) throw appError('COURIER_TASK_NOT_FOUND');
    if (input.version !== undefined && input.version !== task.version) throw appError('COURIER_TASK_CHANGED');
    if (task.state === 'done' || task.state === 'cancelled') throw appError('COURIER_TASK_CLOSED');
    if (task.kind === 'delivery' && task.state === 'failed' && task.attempts >= MAX_DELIVERY_INVITATIONS) {
      throw appError('COURIER_TASK_CLOSED');
    }
    const [dossier] = await tx
      .select({ state: dossiers.state, code: dossiers.code })
      .from(dossiers)
      .where(eq(dossiers.id, task.dossierId));
    if (!dossier || !(DOSSIER_STATES_FOR_KIND[task.kind] as readonly string[]).includes(dossier.state)) {
      throw appError('COURIER_TASK_CLOSED');
    }
    const moved =
      task.courierId !== input.courierId || task.routeDay !== input.day || task.state !== 'assigned';
    const actor = ctx.user
      ? { kind: 'supervisor' as const, userId: ctx.user.id, role: 'supervisor' as const, officeId }
      : { kind: 'planner' as const, officeId };
    if (task.kind === 'pickup' && moved) {
      await recordEvent(tx, {
        dossierId: task.dossierId,
        event: 'assign_pickup',
        actor,
        payload: { taskId: task.id, courierId: input.courierId, day: input.day },
      });
    }
    if (task.kind === 'delivery' && dossier.state !== 'out_for_delivery') {
      const lastAttemptAt = await lastFailedAttempt(tx, task.dossierId);
      const attemptStart = localInstant(input.day, COURIER_DAY.start);
      await recordEvent(tx, {
        dossierId: task.dossierId,
        event: 'dispatch',
        actor,
        guard: {
          lastAttemptAt,
          // The attempt happens on the route day: a retry planned today for Thursday counts from Thursday.
          workingHoursBetween: (a, b) =>
            workingHoursBetween(a, b < attemptStart ? attemptStart : b, {
              holidays,
              hours: office?.hours ?? DEFAULT_OFFICE_HOURS,
            }),
        },
        payload: { taskId: task.id, courierId: input.courierId, day: input.day, attempt: task.attempts + 1 },
      });
      await sendHandoverCode(tx, ctx, { task, day: input.day, dossierCode: dossier.code });
      smsQueued = true;
    }
    const window =
      task.kind === 'delivery'
        ? windowOnDay(input.day, task.windowStart, task.windowEnd)
        : { windowStart: task.windowStart, windowEnd: task.windowEnd };
    const [updated] = await tx
      .update(courierTasks)
      .set({
        courierId: input.courierId,
        routeDay: input.day,
        state: 'assigned',
        version: moved ? task.version + 1 : task.version,
        ...(input.sequence !== undefined ? { sequence: input.sequence } : moved ? { sequence: null } : {}),
        ...window,
        // A new trip has a new code: a code checked on an earlier attempt no longer counts.
        ...(task.kind === 'delivery' && dossier.state !== 'out_for_delivery'
          ? { collect: sql`${courierTasks.collect} - 'otpCheck'` }
          : {}),
        completedAt: null,
      })
      .where(eq(courierTasks.id, task.id))
      .returning();
    return updated!;
  });
  if (smsQueued) {
    ctx.jobs
      .enqueue(SMS_JOB, {})
      .catch((err: Error) => ctx.log.warn({ err: err.message }, 'sms job not queued'));
  }
  return {
    id: result.id,
    version: result.version,
    state: result.state,
    courierId: result.courierId,
    routeDay: result.routeDay,
  };
};

/** Takes a task off its courier (back to open); the version moves, so the courier's queued actions conflict. */
export const unassignTask = async (
  ctx: Pick<AssignCtx, 'db' | 'membership'>,
  input: { taskId: string; version?: number },
) => {
  const officeId = ctx.membership.officeId;
  return ctx.db.transaction(async (raw) => {
    const tx = raw as unknown as Db;
    const [task] = await tx
      .select()
      .from(courierTasks)
      .where(and(eq(courierTasks.id, input.taskId), eq(courierTasks.officeId, officeId)))
      .for('update');
    if (!task) throw appError('COURIER_TASK_NOT_FOUND');
    if (input.version !== undefined && input.version !== task.version) throw appError('COURIER_TASK_CHANGED');
    if (task.state !== 'assigned') throw appError('COURIER_TASK_CLOSED');
    const [updated] = await tx
      .update(courierTasks)
      .set({ state: 'open', courierId: null, routeDay: null, sequence: null, version: task.version + 1 })
      .where(eq(courierTasks.id, task.id))
      .returning();
    return { id: updated!.id, version: updated!.version, state: updated!.state };
  });
};

// ---------------------------------------------------------------------------------------------------------
// Planning
// ---------------------------------------------------------------------------------------------------------

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * A task's legal date as the planner counts it on `day`: the earliest of the result's due date-time (a
 * delivery: the appointment the citizen was given) and the J+n service level (the whole working day).
 * Nothing when both fall after `day`; below the day's start when one has already passed.
 */
const legalOf = (t: TaskDetails, day: string, service: number): Partial<Stop> => {
  const dayStart = minutes(COURIER_DAY.start);
  const dayEnd = minutes(COURIER_DAY.end);
  const dates: { basis: 'result_due' | 'service_level'; date: string; minute: number }[] = [];
  if (t.kind === 'delivery' && t.resultDueAt)
    dates.push({
      basis: 'result_due',
      date: vietnamDate(t.resultDueAt),
      minute: localMinutes(t.resultDueAt),
    });
  if (t.serviceDueDay) dates.push({ basis: 'service_level', date: t.serviceDueDay, minute: dayEnd });
  const first = dates.sort((a, b) => a.date.localeCompare(b.date) || a.minute - b.minute)[0];
  if (!first || first.date > day) return {};
  const legalDue = first.date < day ? dayStart - 1 : Math.min(first.minute, dayEnd) - service;
  return { legalDue, legalBasis: first.basis, legalDate: first.date };
};

/** Whether a task's legal date (result due date, J+n) falls on `day` or has passed by then. */
export const isDueOn = (t: TaskDetails, day: string) =>
  legalOf(t, day, SERVICE_MINUTES[t.kind]).legalDue !== undefined;

/** A task as a planner stop: its window in minutes of the day (the whole working day when it has none). */
const stopOf = (t: TaskDetails, day: string): Stop => {
  const dayStart = minutes(COURIER_DAY.start);
  const dayEnd = minutes(COURIER_DAY.end);
  let ready = dayStart;
  let due = dayEnd;
  if (t.windowStart && t.windowEnd) {
    const sameDay = t.kind === 'delivery' || vietnamDate(t.windowStart) === day;
    if (sameDay) {
      ready = localMinutes(t.windowStart);
      due = localMinutes(t.windowEnd);
    } else {
      // A pickup window on another day cannot be met today: an empty window the planner reports.
      ready = dayEnd;
      due = dayStart;
    }
  }
  const service = SERVICE_MINUTES[t.kind];
  return {
    id: t.id,
    ...(t.lat !== null && t.lng !== null ? { lat: t.lat, lng: t.lng } : {}),
    demand: 1,
    readyTime: ready,
    dueTime: Math.max(ready, due - service),
    serviceTime: service,
    ...legalOf(t, day, service),
  };
};

/** What planning needs besides a request: the database (road cache), the configuration, a logger. */
export type PlanCtx = { db: Db; config: Env; log?: Logger };

type Office = Awaited<ReturnType<typeof officeOf>>;

const depotId = (office: { id: string }) => `office:${office.id}`;

/** Road distances between the office, the tasks with a position and the couriers' positions. */
const roadFor = async (
  pc: PlanCtx,
  office: Office,
  tasks: TaskDetails[],
  extra: { id: string; lat: number; lng: number }[] = [],
) => {
  if (office.lat === null || office.lng === null) throw appError('COURIER_NO_POSITION');
  const points = [
    { id: depotId(office), lat: office.lat, lng: office.lng },
    ...tasks.flatMap((t) => (t.lat !== null && t.lng !== null ? [{ id: t.id, lat: t.lat, lng: t.lng }] : [])),
    ...extra,
  ];
  return buildRoadMatrix(pc.db, pc.config, points, pc.log);
};

const problemFor = (office: Office, stops: Stop[], vehicles: number, matrix: RoadMatrix): Problem => {
  if (office.lat === null || office.lng === null) throw appError('COURIER_NO_POSITION');
  return {
    depot: {
      id: depotId(office),
      lat: office.lat,
      lng: office.lng,
      readyTime: minutes(COURIER_DAY.start),
      dueTime: minutes(COURIER_DAY.end),
    },
    stops,
    vehicles,
    capacity: COURIER_CAPACITY,
    shiftLength: COURIER_DAY.shiftMinutes,
    speedKmh: 25,
    matrix,
  };
};

const etaOf = (day: string, minute: number) => {
  const m = Math.round(minute);
  return localInstant(
    day,
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
  );
};

/** A planner solution in the supervisor's terms: couriers, tasks, ETAs, lines, reasons, legal dates. */
const describePlan = (
  day: string,
  office: { lat: number | null; lng: number | null },
  couriers: { id: string; fullName: string }[],
  byId: Map<string, TaskDetails>,
  solution: Solution,
  solveMs: number,
  source: MatrixSource,
) => {
  const lateIds = new Set((solution.late ?? []).map((l) => l.id));
  const legal = (t: TaskDetails) => legalOf(t, day, SERVICE_MINUTES[t.kind]);
  const planned = solution.routes.map((r: PlannedRoute) => {
    const c = couriers[r.vehicle]!;
    const stops = r.stops.map((id, i) => {
      const t = byId.get(id)!;
      return {
        taskId: id,
        version: t.version,
        sequence: i + 1,
        eta: etaOf(day, r.arrivals[i]!).toISOString(),
        kind: t.kind,
        address: t.address,
        dossierCode: t.dossierCode,
        lat: t.lat,
        lng: t.lng,
        windowStart: t.windowStart,
        windowEnd: t.windowEnd,
        legalDate: legal(t).legalDate ?? null,
        late: lateIds.has(id),
      };
    });
    return {
      courierId: c.id,
      courierName: c.fullName,
      distanceM: Math.round(r.distance),
      load: r.load,
      returnAt: etaOf(day, r.returnTime).toISOString(),
      stops,
      path: pathThrough(office, stops).path,
    };
  });
  return {
    day,
    routes: planned,
    distanceM: Math.round(solution.distance),
    unassigned: solution.unserved.map((u) => {
      const t = byId.get(u.id);
      return {
        taskId: u.id,
        reason: u.reason,
        vi:
          t && t.lat === null && u.reason === 'INVALID_STOP'
            ? 'Địa chỉ chưa có tọa độ trên bản đồ; vui lòng bổ sung vị trí rồi lập lại lộ trình.'
            : u.vi,
        en:
          t && t.lat === null && u.reason === 'INVALID_STOP'
            ? 'The address has no map position; please add it, then plan again.'
            : u.en,
        address: t?.address ?? null,
        dossierCode: t?.dossierCode ?? null,
        kind: t?.kind ?? null,
      };
    }),
    /** Stops that will miss their legal date (result due date, J+n), and why. */
    late: (solution.late ?? []).map((l) => {
      const t = byId.get(l.id);
      return {
        taskId: l.id,
        reason: l.reason,
        basis: l.basis ?? null,
        legalDate: l.legalDate ?? null,
        plannedAt: l.plannedArrival === undefined ? null : etaOf(day, l.plannedArrival).toISOString(),
        vi: l.vi,
        en: l.en,
        address: t?.address ?? null,
        dossierCode: t?.dossierCode ?? null,
        kind: t?.kind ?? null,
      };
    }),
    /** Where distances came from; `estimated` when some are straight lines × the road factor. */
    distances: {
      kind: source.kind,
      estimated: source.estimated > 0,
      estimatedLegs: source.estimated,
      legs: source.pairs,
      note: describeSource(source),
    },
    solveMs: Math.round(solveMs),
  };
};

const dayTasks = async (db: Db, officeId: string, day: string, includeAssigned: boolean) => {
  await reconcileTasks(db, officeId);
  const all = await loadTaskDetails(
    db,
    and(
      eq(courierTasks.officeId, officeId),
      or(
        inArray(courierTasks.state, ['open', 'failed']),
        and(eq(courierTasks.state, 'assigned'), eq(courierTasks.routeDay, day)),
      ),
    ),
  );
  return all.filter(
    (t) => plannable(t, day) || (includeAssigned && t.state === 'assigned' && t.routeDay === day),
  );
};

/** `courier.plan`: the planner's proposal for the day; nothing is saved until `acceptPlan`. */
export const planDay = async (
  ctx: StaffCtx,
  input: { day: string; courierIds?: string[]; includeAssigned: boolean; timeLimitMs: number },
) => {
  const officeId = ctx.membership.officeId;
  const office = await officeOf(ctx.db, officeId);
  const offline = await offlineCouriers(ctx.db, officeId, input.day);
  const all = (await couriersOf(ctx.db, officeId)).filter((c) => !offline.has(c.id));
  const couriers = input.courierIds ? all.filter((c) => input.courierIds!.includes(c.id)) : all;
  if (couriers.length === 0) throw appError('COURIER_NO_COURIERS');
  const tasks = await dayTasks(ctx.db, officeId, input.day, input.includeAssigned);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const road = await roadFor(ctx, office, tasks);
  const problem = problemFor(
    office,
    tasks.map((t) => stopOf(t, input.day)),
    couriers.length,
    road.matrix,
  );
  const started = performance.now();
  // On a CPU thread (the server starts them in every role): a plan is up to the time limit of pure JS.
  const solution = await planOffThread(
    problem,
    { timeLimitMs: input.timeLimitMs, seed: 1 },
    solveWithDeadlines,
  );
  return describePlan(input.day, office, couriers, byId, solution, performance.now() - started, road.source);
};

/** `courier.acceptPlan`: assigns every routed task in order and stores each courier's route. */
export const acceptPlan = async (
  ctx: StaffCtx,
  input: {
    day: string;
    estimated?: boolean;
    routes: {
      courierId: string;
      distanceM: number;
      stops: { taskId: string; version: number; eta: string }[];
    }[];
  },
) => {
  const officeId = ctx.membership.officeId;
  const errors: { taskId: string; code: string; message: string; messageEn: string }[] = [];
  let assigned = 0;
  for (const route of input.routes) {
    const kept: { taskId: string; eta: string }[] = [];
    for (const [i, stop] of route.stops.entries()) {
      try {
        await assignTask(ctx, {
          taskId: stop.taskId,
          courierId: route.courierId,
          day: input.day,
          version: stop.version,
          sequence: i + 1,
        });
        assigned++;
        kept.push({ taskId: stop.taskId, eta: stop.eta });
      } catch (err) {
        if (!isAppError(err)) throw err;
        errors.push({
          taskId: stop.taskId,
          code: err.code,
          message: ERRORS[err.code].vi,
          messageEn: ERRORS[err.code].en,
        });
      }
    }
    if (kept.length > 0) {
      await ctx.db.insert(routes).values({
        officeId,
        courierId: route.courierId,
        day: input.day,
        stops: kept,
        distanceM: Math.round(route.distanceM),
        estimated: input.estimated ?? false,
      });
    }
  }
  return { assigned, errors };
};

/** Minutes of `day` now: 0 before it, the whole day after it. */
const minutesNow = (day: string) => {
  const today = vietnamDate(new Date());
  return today === day ? localMinutes(new Date()) : today < day ? 0 : 24 * 60;
};

/**
 * The rest of the day re-planned (the supervisor's proposal and the automatic re-plan share it). Stops
 * already reached stay; failed ones leave the plan; each courier continues from their last known position
 * (the latest proof with a position today). `added` says which tasks not on the day come in: every
 * plannable one (the supervisor's proposal), or only those due today (the automatic re-plan). The stops of
 * a courier taken off the day go to the others.
 */
export const computeReplan = async (
  pc: PlanCtx,
  input: { officeId: string; day: string; added: 'all' | 'due'; timeLimitMs?: number },
) => {
  const { officeId, day } = input;
  const office = await officeOf(pc.db, officeId);
  const offline = await offlineCouriers(pc.db, officeId, day);
  const couriers = (await couriersOf(pc.db, officeId)).filter((c) => !offline.has(c.id));
  if (couriers.length === 0) throw appError('COURIER_NO_COURIERS');
  await reconcileTasks(pc.db, officeId);
  const tasks = await loadTaskDetails(
    pc.db,
    and(
      eq(courierTasks.officeId, officeId),
      or(eq(courierTasks.routeDay, day), inArray(courierTasks.state, ['open', 'failed'])),
    ),
  );
  const active = new Set(couriers.map((c) => c.id));
  const onDay = tasks.filter(
    (t) => t.routeDay === day && t.state !== 'cancelled' && t.courierId !== null && active.has(t.courierId),
  );
  const orphaned = tasks.filter(
    (t) => t.routeDay === day && t.state === 'assigned' && t.courierId !== null && !active.has(t.courierId),
  );
  const added = [
    ...orphaned,
    ...tasks.filter(
      (t) => t.routeDay !== day && plannable(t, day) && (input.added === 'all' || isDueOn(t, day)),
    ),
  ];
  const byId = new Map([...onDay, ...added].map((t) => [t.id, t]));
  const nowMinutes = minutesNow(day);
  // The current plan as the solver knows it: each courier's tasks in order, with arrival minutes.
  const current: Solution = { routes: [], distance: 0, unserved: [] };
  const positions: Record<number, { id: string; lat: number; lng: number }> = {};
  for (const [v, c] of couriers.entries()) {
    const mine = onDay
      .filter((t) => t.courierId === c.id)
      .sort((a, b) => (a.sequence ?? 999) - (b.sequence ?? 999));
    if (mine.length === 0) continue;
    const stored = await latestRoute(pc.db, { officeId, courierId: c.id, day });
    const eta = new Map((stored?.stops ?? []).map((s) => [s.taskId, localMinutes(new Date(s.eta))]));
    // A finished visit's time is when it ended: the planner counts from its start (minus the door time).
    const arrivals = mine.map((t) =>
      t.completedAt
        ? Math.min(localMinutes(t.completedAt), nowMinutes) - SERVICE_MINUTES[t.kind]
        : Math.max(eta.get(t.id) ?? nowMinutes + 1, nowMinutes + 1),
    );
    current.routes.push({
      vehicle: v,
      stops: mine.map((t) => t.id),
      distance: 0,
      arrivals,
      load: mine.length,
      returnTime: 0,
    });
    const [last] = await pc.db
      .select({ lat: courierProofs.lat, lng: courierProofs.lng })
      .from(courierProofs)
      .where(
        and(
          eq(courierProofs.courierId, c.id),
          sql`${courierProofs.lat} is not null`,
          sql`(${courierProofs.serverAt} at time zone 'Asia/Ho_Chi_Minh')::date = ${day}::date`,
        ),
      )
      .orderBy(desc(courierProofs.serverAt))
      .limit(1);
    if (last?.lat != null && last.lng != null)
      positions[v] = { id: `courier:${c.id}`, lat: last.lat, lng: last.lng };
  }
  const failed = onDay.filter((t) => t.state === 'failed').map((t) => t.id);
  const road = await roadFor(pc, office, [...onDay, ...added], Object.values(positions));
  const morning = problemFor(
    office,
    onDay.map((t) => stopOf(t, day)),
    couriers.length,
    road.matrix,
  );
  const started = performance.now();
  const solution = await replanLegalOffThread(
    {
      problem: morning,
      current,
      change: { added: added.map((t) => stopOf(t, day)), failed, now: nowMinutes, positions },
      ...(input.timeLimitMs ? { options: { timeLimitMs: input.timeLimitMs, seed: 1 } } : {}),
    },
    replanWithDeadlines,
  );
  return {
    office,
    couriers,
    byId,
    solution,
    source: road.source,
    solveMs: performance.now() - started,
    positions,
  };
};

/**
 * `courier.replan`: mid-day. Stops already reached stay; failed ones leave the plan; tasks added since the
 * morning are inserted; each courier continues from their last known position. A proposal, like `plan`.
 */
export const replanDay = async (ctx: StaffCtx, input: { day: string }) => {
  const r = await computeReplan(ctx, { officeId: ctx.membership.officeId, day: input.day, added: 'all' });
  // Done and failed stops are history, not proposals: drop them from what the supervisor accepts.
  const plan = describePlan(input.day, r.office, r.couriers, r.byId, r.solution, r.solveMs, r.source);
  return {
    ...plan,
    routes: plan.routes.map((route) => ({
      ...route,
      stops: route.stops.filter((s) => r.byId.get(s.taskId)?.state !== 'done'),
    })),
  };
};
