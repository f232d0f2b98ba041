import { appError, isAppError, vietnamDate } from '@postdesk/shared';
import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { courierOffline, courierTasks, memberships, routes } from '../db/schema';
import type { Env } from '../env';
import { defineJob, type JobRunner } from '../jobs/queue';
import type { Logger } from '../logger';
import type { StaffCtx } from './context';
import { assignTask, computeReplan, isDueOn, unassignTask } from './dispatch';
import { localInstant } from './tasks';
import { loadTaskDetails } from './today';

/**
 * Live re-planning. A failed visit (courier.sync), a new task due today (the sweep below) or a courier taken
 * off the day asks for a re-plan of the office's day; the job runs on a worker (BullMQ, or in-process
 * without Redis) and the solver on a CPU thread, never on the API's event loop. Done stops stay; each
 * courier restarts from their last known position; the new order is written to the tasks and a new route
 * row, which `courier.today` returns to the phone at its next sync.
 *
 * Debounce: every request in the same window of REPLAN_DEBOUNCE_MS is one job (same job id), run at the end
 * of the window, reading the state then; one re-plan per office and day runs at a time (advisory lock).
 */
export const REPLAN_JOB = 'courier_replan';
export const REPLAN_SWEEP_JOB = 'courier_replan_sweep';
export const REPLAN_DEBOUNCE_MS = 3_000;

export const REPLAN_REASONS = ['failed', 'urgent', 'offline'] as const;
export type ReplanReason = (typeof REPLAN_REASONS)[number];

const payload = z.object({ officeId: z.uuid(), day: z.iso.date(), reason: z.enum(REPLAN_REASONS) });

/** Asks for a re-plan of `day` at the office; bursts inside one debounce window make one job. */
export const requestReplan = async (
  jobs: JobRunner,
  input: { officeId: string; day: string; reason: ReplanReason },
  now = Date.now(),
) => {
  const window = Math.floor(now / REPLAN_DEBOUNCE_MS);
  await jobs.enqueue(REPLAN_JOB, input, {
    jobId: `replan-${input.officeId}-${input.day}-${window}`,
    delayMs: (window + 1) * REPLAN_DEBOUNCE_MS - now,
  });
};

/** Re-plans the rest of `day` and applies it: new order, new couriers for moved stops, a new route row. */
export const runReplan = async (
  deps: { db: Db; env: Env; jobs: JobRunner; log: Logger },
  input: z.infer<typeof payload>,
) => {
  const { officeId, day, reason } = input;
  // Only today (Vietnam) is re-planned live: another day is the supervisor's proposal.
  if (day !== vietnamDate(new Date())) return { applied: false as const };
  return deps.db.transaction(async (raw) => {
    const tx = raw as unknown as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`replan:${officeId}:${day}`}))`);
    const r = await computeReplan(
      { db: tx, config: deps.env, log: deps.log },
      {
        officeId,
        day,
        added: 'due',
      },
    );
    const ctx = {
      db: tx,
      config: deps.env,
      jobs: deps.jobs,
      log: deps.log,
      membership: { officeId },
      user: null,
    };
    const placed = new Set<string>();
    let moved = 0;
    for (const route of r.solution.routes) {
      const courier = r.couriers[route.vehicle]!;
      const kept: { taskId: string; eta: string }[] = [];
      for (const [i, id] of route.stops.entries()) {
        const t = r.byId.get(id)!;
        const eta = localEta(day, route.arrivals[i]!);
        placed.add(id);
        if (t.state === 'done' || t.state === 'failed') {
          kept.push({ taskId: id, eta: t.completedAt?.toISOString() ?? eta });
          continue;
        }
        if (t.state === 'assigned' && t.courierId === courier.id && t.routeDay === day) {
          // Same courier: only the order changes, the version stays (queued actions remain valid).
          if (t.sequence !== i + 1)
            await tx
              .update(courierTasks)
              .set({ sequence: i + 1 })
              .where(and(eq(courierTasks.id, id), eq(courierTasks.version, t.version)));
          kept.push({ taskId: id, eta });
          continue;
        }
        try {
          await assignTask(ctx, {
            taskId: id,
            courierId: courier.id,
            day,
            version: t.version,
            sequence: i + 1,
          });
          moved++;
          kept.push({ taskId: id, eta });
        } catch (err) {
          if (!isAppError(err)) throw err;
          deps.log.warn({ taskId: id, code: err.code }, 'live re-plan: task not assigned');
        }
      }
      await tx.insert(routes).values({
        officeId,
        courierId: courier.id,
        day,
        stops: kept,
        distanceM: Math.round(route.distance),
        replanReason: reason,
        estimated: r.source.estimated > 0,
      });
    }
    // Stops of a courier taken off the day that nobody can take go back to the supervisor's open list.
    for (const t of r.byId.values()) {
      if (placed.has(t.id) || t.state !== 'assigned' || t.routeDay !== day) continue;
      if (r.couriers.some((c) => c.id === t.courierId)) continue;
      await unassignTask(ctx, { taskId: t.id, version: t.version });
    }
    deps.log.info(
      { officeId, day, reason, routes: r.solution.routes.length, moved, late: r.solution.late?.length ?? 0 },
      'live re-plan applied',
    );
    return { applied: true as const, routes: r.solution.routes.length, moved, late: r.solution.late ?? [] };
  });
};

const localEta = (day: string, minute: number) => {
  const m = Math.max(0, Math.min(24 * 60 - 1, Math.round(minute)));
  return localInstant(
    day,
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
  ).toISOString();
};

/**
 * Offices whose day is planned (a route row today) and that received a task due today since their latest
 * route: each gets a re-plan. A task the planner could not place is older than the route row it wrote, so
 * it does not ask again every minute.
 */
export const sweepUrgentTasks = async (deps: { db: Db; jobs: JobRunner }) => {
  const day = vietnamDate(new Date());
  const latest = await deps.db
    .select({
      officeId: routes.officeId,
      at: sql<Date>`max(${routes.createdAt})`.mapWith((v) => new Date(v)),
    })
    .from(routes)
    .where(eq(routes.day, day))
    .groupBy(routes.officeId);
  let asked = 0;
  for (const office of latest) {
    const fresh = await loadTaskDetails(
      deps.db,
      and(
        eq(courierTasks.officeId, office.officeId),
        eq(courierTasks.state, 'open'),
        isNull(courierTasks.routeDay),
        gt(courierTasks.createdAt, office.at),
      ),
    );
    if (!fresh.some((t) => isDueOn(t, day))) continue;
    await requestReplan(deps.jobs, { officeId: office.officeId, day, reason: 'urgent' });
    asked++;
  }
  return { asked };
};

export const liveReplanJobs = (deps: { db: Db; env: Env; jobs: () => JobRunner; log: Logger }) => [
  defineJob({
    name: REPLAN_JOB,
    payload,
    // One at a time per worker process; the advisory lock keeps it one per office and day across processes.
    concurrency: 1,
    attempts: 3,
    backoffMs: 2_000,
    handler: async (p) => {
      await runReplan({ db: deps.db, env: deps.env, jobs: deps.jobs(), log: deps.log }, p);
    },
  }),
  defineJob({
    name: REPLAN_SWEEP_JOB,
    payload: z.object({}),
    concurrency: 1,
    attempts: 1,
    backoffMs: 5_000,
    handler: async () => {
      await sweepUrgentTasks({ db: deps.db, jobs: deps.jobs() });
    },
  }),
];

/**
 * `courier.setAvailability`: a courier taken off the day (or back on it), by their supervisor, or by the
 * courier from the app; off = the rest of their route is re-planned onto the others.
 */
export const setAvailability = async (
  ctx: StaffCtx,
  input: { courierId: string; day: string; available: boolean },
) => {
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
  if (input.available) {
    await ctx.db
      .delete(courierOffline)
      .where(and(eq(courierOffline.courierId, input.courierId), eq(courierOffline.day, input.day)));
  } else {
    await ctx.db
      .insert(courierOffline)
      .values({ courierId: input.courierId, day: input.day, officeId, byUserId: ctx.user.id })
      .onConflictDoNothing();
    await requestReplan(ctx.jobs, { officeId, day: input.day, reason: 'offline' });
  }
  return { courierId: input.courierId, day: input.day, available: input.available };
};

/** The latest automatic re-plan of a courier's day, for the phone: when and why. */
export const lastReplan = async (db: Db, opts: { officeId: string; courierId: string; day: string }) => {
  const [row] = await db
    .select({ at: routes.createdAt, reason: routes.replanReason })
    .from(routes)
    .where(
      and(eq(routes.officeId, opts.officeId), eq(routes.courierId, opts.courierId), eq(routes.day, opts.day)),
    )
    .orderBy(desc(routes.createdAt))
    .limit(1);
  return row?.reason ? { at: row.at, reason: row.reason as ReplanReason } : null;
};

/** After a courier's sync: a failed visit today asks for a re-plan (never fails the sync itself). */
export const replanAfterFailures = async (ctx: StaffCtx, taskIds: string[]) => {
  if (taskIds.length === 0) return;
  const day = vietnamDate(new Date());
  try {
    const rows = await ctx.db
      .select({ officeId: courierTasks.officeId, day: courierTasks.routeDay })
      .from(courierTasks)
      .where(and(inArray(courierTasks.id, taskIds), eq(courierTasks.routeDay, day)));
    for (const office of new Set(rows.map((r) => r.officeId)))
      await requestReplan(ctx.jobs, { officeId: office, day, reason: 'failed' });
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message }, 'live re-plan not requested');
  }
};
