// Live re-planning (issue 18, part 5): a failed visit synced from the phone, a courier taken off the day and a
// new task due today each re-plan the rest of the day in a worker job; done stops stay, the courier restarts
// from the phone's last position, and `courier.today` (what the courier app syncs) shows the new order.
// Road times come from the OSRM simulator, so the ETAs can be checked against its figures.
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureDeliveryTask } from '../../server/src/courier/tasks';
import type { Db } from '../../server/src/db/client';
import { courierTasks, dossiers, routes } from '../../server/src/db/schema';
import { REPLAN_SWEEP_JOB } from '../../server/src/courier/live-replan';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { until } from '../helpers/processes';
import { type OsrmSim, startOsrmSim } from '../sim/osrm-sim';
import { actionId, addCourier, officeId, resultReadyDossier } from './courier-setup';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let sim: OsrmSim;
let db: Db;
let hue: string;
let hungId: string;
let phuocId: string;
type Caller = Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let supervisor: Caller;
let hung: Caller;
let phuoc: Caller;

/** A point `km` east (negative: west) of the Huế post office's longitude, on its latitude. */
const OFFICE = { lat: 16.4637, lng: 107.5909 };
const east = (km: number) => ({
  lat: OFFICE.lat,
  lng: OFFICE.lng + km / (111.32 * Math.cos((OFFICE.lat * Math.PI) / 180)),
});

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  sim = await startOsrmSim();
  server = createTestServer(db, { env: { ROAD_TABLE_URL: sim.url } });
  hue = await officeId(db);
  hungId = await addCourier(db, 'buuta.hung', hue);
  phuocId = await addCourier(db, 'buuta.phuoc', hue);
  supervisor = await server.callerAs('giamsat.nguyet', { officeHint: hue });
  hung = await server.callerAs('buuta.hung', { officeHint: hue });
  phuoc = await server.callerAs('buuta.phuoc', { officeHint: hue });
});
afterAll(async () => {
  await server?.jobs.close();
  await sim?.close();
  await database?.close();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Fakes only the clock (Date), never timers, so drivers and the job runner keep working. */
const clockAt = (iso: string) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
};

const deliveryAt = async (place: { lat: number; lng: number }) => {
  const d = await resultReadyDossier(server, db, { ...place, window: 'any' });
  const task = await db.transaction((tx) =>
    ensureDeliveryTask(tx as unknown as Db, { dossierId: d.dossierId }),
  );
  await db.update(courierTasks).set(place).where(eq(courierTasks.id, task.id));
  return { ...d, task };
};

const taskRow = async (id: string) =>
  (await db.select().from(courierTasks).where(eq(courierTasks.id, id)))[0]!;

/** The supervisor accepts a route in the order given (ETAs as typed). */
const accept = async (day: string, courierId: string, ids: string[], etas: string[]) => {
  const stops = [];
  for (const [i, id] of ids.entries())
    stops.push({ taskId: id, version: (await taskRow(id)).version, eta: `${day}T${etas[i]}:00+07:00` });
  const accepted = await supervisor.courier.acceptPlan({
    day,
    routes: [{ courierId, distanceM: 1000, stops }],
  });
  expect(accepted.errors).toEqual([]);
};

const failAction = async (taskId: string, position: { lat: number; lng: number }) => ({
  clientActionId: actionId(),
  taskId,
  taskVersion: (await taskRow(taskId)).version,
  type: 'fail' as const,
  deviceAt: new Date(),
  position: { ...position, accuracy: 10 },
  payload: { reason: 'absent' as const },
});

/** Waits for the planner's route row of `courierId` on `day` written for `reason`. */
const replanned = (courierId: string, day: string, reason: string) =>
  until(async () => {
    const rows = await db
      .select({ id: routes.id })
      .from(routes)
      .where(and(eq(routes.courierId, courierId), eq(routes.day, day), eq(routes.replanReason, reason)));
    return rows.length > 0;
  });

const order = (today: Awaited<ReturnType<Caller['courier']['today']>>) =>
  [...today.tasks].sort((a, b) => (a.sequence ?? 999) - (b.sequence ?? 999)).map((t) => t.id);

describe('live re-planning', () => {
  it('after a failed visit: done stops stay, the courier restarts from the phone position, the app gets the new order', async () => {
    const day = '2026-12-09'; // Wednesday
    clockAt(`${day}T07:00:00+07:00`);
    const a = await deliveryAt(east(-1));
    const b = await deliveryAt(east(-2));
    const c = await deliveryAt(east(1));
    const d = await deliveryAt(east(2));
    const e = await deliveryAt(east(-3));
    const ids = [a, b, e, c, d].map((x) => x.task.id);
    await accept(day, hungId, ids, ['08:30', '09:00', '09:30', '11:00', '11:30']);
    const before = await hung.courier.today({ day });
    expect(order(before)).toEqual(ids);
    expect(before.replan).toBeNull();

    // A was delivered at 08:40; at 10:00 the phone syncs B, then E, failed (nobody home), from 2.2 km east.
    await db
      .update(courierTasks)
      .set({ state: 'done', completedAt: new Date(`${day}T08:40:00+07:00`) })
      .where(eq(courierTasks.id, a.task.id));
    clockAt(`${day}T10:00:00+07:00`);
    const here = east(2.2);
    // Two syncs in one burst make one re-plan.
    for (const failed of [b, e]) {
      const { results } = await hung.courier.sync({ actions: [await failAction(failed.task.id, here)] });
      expect(results[0]!.status).toBe('applied');
    }
    await replanned(hungId, day, 'failed');

    const after = await hung.courier.today({ day });
    expect(after.replan?.reason).toBe('failed');
    // A (done) stays first; B and E failed are off the route; from 2.2 km east, D (0.2 km) comes before C.
    const live = order(after).filter((id) => id !== b.task.id && id !== e.task.id);
    expect(live).toEqual([a.task.id, d.task.id, c.task.id]);
    expect((await taskRow(a.task.id)).state).toBe('done');
    // The ETA of D counts from the phone's position at 10:00, with the road service's time.
    const leg = sim.leg(here, east(2));
    const eta = new Date(after.tasks.find((t) => t.id === d.task.id)!.eta!).getTime();
    const expected = new Date(`${day}T10:00:00+07:00`).getTime() + leg.duration * 1000;
    expect(Math.abs(eta - expected)).toBeLessThanOrEqual(60_000);
    // Same courier: the order moved, not the task (the phone's queued actions stay valid).
    expect((await taskRow(c.task.id)).version).toBe(before.tasks.find((t) => t.id === c.task.id)!.version);
    const replans = await db
      .select()
      .from(routes)
      .where(and(eq(routes.courierId, hungId), eq(routes.day, day), isNotNull(routes.replanReason)));
    expect(replans).toHaveLength(1);
    expect(replans[0]!.estimated).toBe(false);
  });

  it('a courier taken off the day: the rest of their route goes to the other courier, done stops stay theirs', async () => {
    const day = '2026-12-10'; // Thursday
    clockAt(`${day}T07:00:00+07:00`);
    const mine = await deliveryAt(east(1));
    const theirs = [await deliveryAt(east(-1)), await deliveryAt(east(-1.5)), await deliveryAt(east(-2))];
    await accept(day, hungId, [mine.task.id], ['09:00']);
    await accept(
      day,
      phuocId,
      theirs.map((t) => t.task.id),
      ['08:30', '09:00', '09:30'],
    );
    await db
      .update(courierTasks)
      .set({ state: 'done', completedAt: new Date(`${day}T08:35:00+07:00`) })
      .where(eq(courierTasks.id, theirs[0]!.task.id));

    clockAt(`${day}T09:00:00+07:00`);
    await supervisor.courier.setAvailability({ courierId: phuocId, day, available: false });
    await replanned(hungId, day, 'offline');

    const hungDay = await hung.courier.today({ day });
    expect(hungDay.replan?.reason).toBe('offline');
    expect(new Set(hungDay.tasks.map((t) => t.id))).toEqual(
      new Set([mine.task.id, theirs[1]!.task.id, theirs[2]!.task.id]),
    );
    const phuocDay = await phuoc.courier.today({ day });
    expect(phuocDay.offline).toBe(true);
    expect(phuocDay.tasks.map((t) => t.id)).toEqual([theirs[0]!.task.id]);
    // The moved tasks' versions changed: a queued action from the first courier's phone conflicts.
    expect((await taskRow(theirs[1]!.task.id)).courierId).toBe(hungId);
  });

  it('a new task due today is put on a route by the sweep, without the supervisor', async () => {
    const day = '2026-12-11'; // Friday
    clockAt(`${day}T07:00:00+07:00`);
    const planned = await deliveryAt(east(1));
    await accept(day, hungId, [planned.task.id], ['09:00']);
    clockAt(`${day}T09:30:00+07:00`);
    // A result whose legal appointment is today at 16:00 becomes ready for delivery.
    const urgent = await deliveryAt(east(1.5));
    await db
      .update(dossiers)
      .set({ dueAt: new Date(`${day}T16:00:00+07:00`) })
      .where(eq(dossiers.id, urgent.dossierId));
    // A task with no legal date today waits for the supervisor.
    const later = await deliveryAt(east(-1));
    await server.jobs.enqueue(REPLAN_SWEEP_JOB, {});
    await replanned(hungId, day, 'urgent');

    const today = await hung.courier.today({ day });
    expect(today.replan?.reason).toBe('urgent');
    expect(order(today)).toContain(urgent.task.id);
    expect(order(today)).not.toContain(later.task.id);
    expect((await taskRow(urgent.task.id)).state).toBe('assigned');
    expect((await taskRow(later.task.id)).state).toBe('open');
  });
});
