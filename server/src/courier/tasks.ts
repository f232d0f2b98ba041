import { addWorkingDays, appError, type HolidayTable, vietnamDate } from '@postdesk/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { applicants, communes, courierTasks, dossiers, offices, payments } from '../db/schema';

export type CourierTask = typeof courierTasks.$inferSelect;

/**
 * A dossier has at most one live task per kind: open, assigned, failed (waiting for the next attempt) or
 * done. Only a cancelled task leaves room for a new one.
 */
export const LIVE_TASK_STATES = ['open', 'assigned', 'failed', 'done'] as const;

// ---------------------------------------------------------------------------------------------------------
// Where Vietnam is: a coarse outline of the mainland (generous by a few km at the borders, so a GPS fix a
// little off at a border post is not refused) plus the island groups. Good enough to refuse a phone whose
// GPS says Bangkok, Vientiane, Phnom Penh, Guangzhou, (0, 0) or Paris; not a border survey.
// ---------------------------------------------------------------------------------------------------------
const MAINLAND: readonly [number, number][] = [
  [23.45, 105.2],
  [23.2, 105.9],
  [22.95, 106.9],
  [22.0, 107.5],
  [21.65, 108.25],
  [20.3, 107.9],
  [19.0, 106.6],
  [17.6, 107.3],
  [16.6, 108.35],
  [15.4, 109.35],
  [12.8, 109.6],
  [11.3, 109.4],
  [10.3, 109.1],
  [8.3, 106.9],
  [8.2, 104.6],
  [9.1, 103.3],
  [10.0, 103.6],
  [10.5, 103.8],
  [10.5, 104.35],
  [10.95, 104.85],
  [11.1, 105.8],
  [11.7, 106.1],
  [11.85, 106.5],
  [12.25, 107.4],
  [12.6, 107.45],
  [13.9, 107.35],
  [14.75, 107.45],
  [15.55, 107.3],
  [16.25, 106.9],
  [16.6, 106.45],
  [17.3, 105.95],
  [18.0, 105.45],
  [18.45, 105.0],
  [19.1, 104.2],
  [19.6, 103.95],
  [20.15, 104.4],
  [20.7, 104.2],
  [21.05, 103.2],
  [21.5, 102.75],
  [22.45, 102.05],
  [22.85, 102.45],
  [22.55, 103.6],
  [22.85, 104.35],
  [23.2, 104.75],
];

/** [south, west, north, east]: Hoàng Sa, Trường Sa, and the far islands outside the outline's sea margin. */
const ISLANDS: readonly [number, number, number, number][] = [
  [15.6, 111.0, 17.3, 113.0],
  [6.0, 111.0, 12.2, 117.9],
  [8.4, 106.3, 8.9, 106.8],
  [10.3, 108.7, 10.7, 109.1],
];

const insidePolygon = (lat: number, lng: number, ring: readonly [number, number][]) => {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [yi, xi] = ring[i]!;
    const [yj, xj] = ring[j]!;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};

/** True when (lat, lng) is in Vietnam: the mainland outline or one of its island groups. */
export const inVietnam = (lat: number, lng: number) =>
  Number.isFinite(lat) &&
  Number.isFinite(lng) &&
  (insidePolygon(lat, lng, MAINLAND) ||
    ISLANDS.some(([s, w, n, e]) => lat >= s && lat <= n && lng >= w && lng <= e));

/** Refuses a position outside Vietnam with COURIER_OUTSIDE_VIETNAM; a missing position passes. */
export const assertInVietnam = (lat: number | null | undefined, lng: number | null | undefined) => {
  if (lat === null || lat === undefined || lng === null || lng === undefined) return;
  if (!inVietnam(lat, lng)) throw appError('COURIER_OUTSIDE_VIETNAM');
};

// ---------------------------------------------------------------------------------------------------------
// Service levels (Circular 17/2017 Art. 7): J + n working days, J = pickup day, or the day the result was
// collected from the agency. Districts were abolished on 1 July 2025; until a newer text says otherwise we
// read "within a district" as "within one commune", "between districts of a province" as "within the
// province". Versioned here as data so a later rule gets a new row, not an edit.
// ---------------------------------------------------------------------------------------------------------
export type ServiceLevelRule = {
  effectiveFrom: string;
  sameCommune: number;
  sameProvince: number;
  betweenCities: number;
  otherProvinces: number;
  /** Province codes of special / class-I centrally run cities. */
  cities: readonly string[];
  /** Multiplier when an appointment slip is delivered with the item (the citizen's Mẫu 01 after a pickup). */
  withAppointmentSlip: number;
};

export const SERVICE_LEVEL_RULES: readonly ServiceLevelRule[] = [
  {
    effectiveFrom: '2017-07-01',
    sameCommune: 1,
    sameProvince: 2,
    betweenCities: 3,
    otherProvinces: 4,
    // Hà Nội, Hải Phòng, Huế, Đà Nẵng, TP Hồ Chí Minh, Cần Thơ.
    cities: ['01', '31', '46', '48', '79', '92'],
    withAppointmentSlip: 2,
  },
];

const ruleOn = (day: string) =>
  [...SERVICE_LEVEL_RULES].reverse().find((r) => r.effectiveFrom <= day) ?? SERVICE_LEVEL_RULES[0]!;

/** The `n` of J+n between two places given as commune and province codes (unknown parts count as farther). */
export const serviceDays = (opts: {
  day: string;
  from: { communeCode: string | null; provinceCode: string | null };
  to: { communeCode: string | null; provinceCode: string | null };
  appointmentSlip?: boolean;
}) => {
  const rule = ruleOn(opts.day);
  const { from, to } = opts;
  let n: number;
  if (from.communeCode && from.communeCode === to.communeCode) n = rule.sameCommune;
  else if (from.provinceCode && from.provinceCode === to.provinceCode) n = rule.sameProvince;
  else if (
    from.provinceCode &&
    to.provinceCode &&
    rule.cities.includes(from.provinceCode) &&
    rule.cities.includes(to.provinceCode)
  )
    n = rule.betweenCities;
  else n = rule.otherProvinces;
  return opts.appointmentSlip ? n * rule.withAppointmentSlip : n;
};

export const formatServiceLevel = (n: number) => `J+${n}`;

/** The last day the service level allows: J + n working days. */
export const serviceDueDay = (
  j: Date | string,
  serviceLevel: string | null,
  holidays: readonly HolidayTable[],
) => {
  const n = Number(/^J\+(\d+)$/.exec(serviceLevel ?? '')?.[1] ?? Number.NaN);
  if (!Number.isFinite(n)) return null;
  try {
    return addWorkingDays(typeof j === 'string' ? j : vietnamDate(j), n, { holidays });
  } catch {
    return null;
  }
};

type Place = { communeCode: string | null; provinceCode: string | null };

const officePlace = async (
  tx: Db,
  officeId: string,
): Promise<Place & { lat: number | null; lng: number | null }> => {
  const [office] = await tx
    .select({
      communeCode: offices.communeCode,
      provinceCode: communes.provinceCode,
      lat: offices.lat,
      lng: offices.lng,
    })
    .from(offices)
    .leftJoin(communes, eq(communes.code, offices.communeCode))
    .where(eq(offices.id, officeId));
  if (!office) throw appError('NOT_FOUND');
  return office;
};

/** The commune (and province) of an address: its code when known, else the commune nearest to its position. */
const placeOf = async (
  tx: Db,
  opts: { communeCode?: string | null; lat?: number | null; lng?: number | null },
): Promise<Place> => {
  if (opts.communeCode) {
    const [c] = await tx
      .select({ provinceCode: communes.provinceCode })
      .from(communes)
      .where(eq(communes.code, opts.communeCode));
    return { communeCode: opts.communeCode, provinceCode: c?.provinceCode ?? null };
  }
  if (typeof opts.lat === 'number' && typeof opts.lng === 'number') {
    const [c] = await tx
      .select({ code: communes.code, provinceCode: communes.provinceCode })
      .from(communes)
      .where(sql`${communes.lat} is not null`)
      .orderBy(
        sql`(${communes.lat} - ${opts.lat}) ^ 2 + ((${communes.lng} - ${opts.lng}) * cos(radians(${opts.lat}))) ^ 2`,
      )
      .limit(1);
    if (c) return { communeCode: c.code, provinceCode: c.provinceCode };
  }
  return { communeCode: null, provinceCode: null };
};

// ---------------------------------------------------------------------------------------------------------
// Time windows. A pickup carries the citizen's chosen window as two instants. A delivery carries a part of
// the day (`deliveryAddress.window`: morning / afternoon / any); it becomes instants on the route day.
// ---------------------------------------------------------------------------------------------------------
export const DELIVERY_WINDOWS = {
  morning: ['07:30', '11:30'],
  afternoon: ['13:30', '17:00'],
  any: ['07:30', '17:00'],
} as const;
export type DeliveryWindow = keyof typeof DELIVERY_WINDOWS;

/** `HH:MM` local (UTC+7) on `day` (`YYYY-MM-DD`) as an instant. */
export const localInstant = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+07:00`);

/** Minutes since local midnight (UTC+7) of an instant: what the planner counts in. */
export const localMinutes = (d: Date) => {
  const ms = d.getTime() + 7 * 3_600_000;
  return Math.floor((ms % 86_400_000) / 60_000);
};

/** A window moved to another day, keeping its local clock times (a delivery re-planned for a later day). */
export const windowOnDay = (day: string, start: Date | null, end: Date | null) => {
  const hhmm = (d: Date) => {
    const m = localMinutes(d);
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  return {
    windowStart: start ? localInstant(day, hhmm(start)) : null,
    windowEnd: end ? localInstant(day, hhmm(end)) : null,
  };
};

// ---------------------------------------------------------------------------------------------------------
// What to collect at the door (`courier_tasks.collect`).
// ---------------------------------------------------------------------------------------------------------
export type CollectSpec = {
  /** Pickup: the documents to check against the procedure's component list. */
  documents?: { code: string; name: string; form: string; copies: number; required: boolean }[];
  /** Fees to collect at the door (VND). */
  fees?: { label: string; amount: number }[];
  /** Delivery: documents the agency recovers (e.g. an old licence). */
  recovered?: string[];
  /** The appointment slip (Mẫu 01) travels with the item: the service level doubles. */
  appointmentSlip?: boolean;
  /** Free note from whoever created the task. */
  note?: string;
};

export type PickupTaskInput = {
  dossierId: string;
  /** The post office whose couriers go (the receiving office). */
  officeId: string;
  address: string;
  /** The commune of the address when known (service level); else found from the position. */
  communeCode?: string | null;
  lat: number | null;
  lng: number | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  contactName: string | null;
  contactPhone: string | null;
  collect?: CollectSpec;
  now?: Date;
};

/**
 * A pickup task for a dossier in `pickup_requested` (call it in the transaction that records
 * `request_pickup`). Idempotent: a dossier has at most one live pickup task; calling again returns it.
 * Refuses a position outside Vietnam (COURIER_OUTSIDE_VIETNAM) and a window that ends before it starts.
 */
export const createPickupTask = async (tx: Db, input: PickupTaskInput): Promise<CourierTask> => {
  assertInVietnam(input.lat, input.lng);
  if (input.windowStart && input.windowEnd && input.windowEnd < input.windowStart) {
    throw appError('VALIDATION_FAILED', {
      fields: [{ path: 'windowEnd', message: 'ends before it starts' }],
    });
  }
  // Serialise on the dossier row so two concurrent calls cannot both insert.
  await tx.execute(sql`select 1 from dossiers where id = ${input.dossierId} for update`);
  const [existing] = await tx
    .select()
    .from(courierTasks)
    .where(
      and(
        eq(courierTasks.dossierId, input.dossierId),
        eq(courierTasks.kind, 'pickup'),
        inArray(courierTasks.state, [...LIVE_TASK_STATES]),
      ),
    );
  if (existing) return existing;
  const now = input.now ?? new Date();
  const from = await placeOf(tx, { communeCode: input.communeCode, lat: input.lat, lng: input.lng });
  const to = await officePlace(tx, input.officeId);
  const collect: CollectSpec = { appointmentSlip: true, ...(input.collect ?? {}) };
  const n = serviceDays({ day: vietnamDate(now), from, to, appointmentSlip: collect.appointmentSlip });
  const [task] = await tx
    .insert(courierTasks)
    .values({
      dossierId: input.dossierId,
      officeId: input.officeId,
      kind: 'pickup',
      state: 'open',
      address: input.address.normalize('NFC'),
      lat: input.lat,
      lng: input.lng,
      windowStart: input.windowStart,
      windowEnd: input.windowEnd,
      contactName: input.contactName?.normalize('NFC') ?? null,
      contactPhone: input.contactPhone,
      serviceLevel: formatServiceLevel(n),
      collect,
      createdAt: now,
    })
    .returning();
  return task!;
};

/**
 * The delivery task of a dossier whose result goes home by post (returnMethod 1): address, position and
 * part of the day from `dossiers.deliveryAddress`, the applicant as contact, the receiving office's
 * couriers, J+n from the office to the address. Idempotent: returns the live one (open, assigned, failed
 * awaiting another attempt, or done) when it exists.
 * Call it when the result is ready (or let the dispatch list create missing ones).
 */
export const ensureDeliveryTask = async (
  tx: Db,
  opts: { dossierId: string; now?: Date; recovered?: string[] },
): Promise<CourierTask> => {
  const [dossier] = await tx
    .select({
      id: dossiers.id,
      receivingOfficeId: dossiers.receivingOfficeId,
      deliveryAddress: dossiers.deliveryAddress,
      applicantAddress: applicants.address,
      fullName: applicants.fullName,
      phone: applicants.phone,
    })
    .from(dossiers)
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(eq(dossiers.id, opts.dossierId))
    .for('update', { of: dossiers });
  if (!dossier) throw appError('DOSSIER_NOT_FOUND');
  const [existing] = await tx
    .select()
    .from(courierTasks)
    .where(
      and(
        eq(courierTasks.dossierId, opts.dossierId),
        eq(courierTasks.kind, 'delivery'),
        inArray(courierTasks.state, [...LIVE_TASK_STATES]),
      ),
    );
  if (existing) return existing;
  const now = opts.now ?? new Date();
  const day = vietnamDate(now);
  const address = dossier.deliveryAddress ?? dossier.applicantAddress;
  if (!address) {
    throw appError('VALIDATION_FAILED', { fields: [{ path: 'deliveryAddress', message: 'missing' }] });
  }
  const lat = dossier.deliveryAddress?.lat ?? null;
  const lng = dossier.deliveryAddress?.lng ?? null;
  const windowKey: DeliveryWindow =
    (dossier.deliveryAddress?.window as DeliveryWindow | undefined) &&
    dossier.deliveryAddress!.window! in DELIVERY_WINDOWS
      ? (dossier.deliveryAddress!.window as DeliveryWindow)
      : 'any';
  const [start, end] = DELIVERY_WINDOWS[windowKey];
  const from = await officePlace(tx, dossier.receivingOfficeId);
  const to = await placeOf(tx, { communeCode: address.communeCode, lat, lng });
  const n = serviceDays({ day, from, to: { ...to, provinceCode: to.provinceCode ?? address.provinceCode } });
  const [task] = await tx
    .insert(courierTasks)
    .values({
      dossierId: opts.dossierId,
      officeId: dossier.receivingOfficeId,
      kind: 'delivery',
      state: 'open',
      address: address.line,
      lat: lat !== null && lng !== null && inVietnam(lat, lng) ? lat : null,
      lng: lat !== null && lng !== null && inVietnam(lat, lng) ? lng : null,
      windowStart: localInstant(day, start),
      windowEnd: localInstant(day, end),
      contactName: dossier.fullName,
      contactPhone: dossier.phone,
      serviceLevel: formatServiceLevel(n),
      collect: { recovered: opts.recovered ?? [] } satisfies CollectSpec,
      createdAt: now,
    })
    .returning();
  return task!;
};

/** Fees still due on a dossier (pending bills), to collect at the door. */
export const feesDue = async (db: Db, dossierIds: string[]) => {
  if (dossierIds.length === 0) return new Map<string, number>();
  const list = await db
    .select({ dossierId: payments.dossierId, total: sql<number>`sum(${payments.amount})::int` })
    .from(payments)
    .where(and(inArray(payments.dossierId, dossierIds), eq(payments.state, 'pending')))
    .groupBy(payments.dossierId);
  return new Map(list.map((r) => [r.dossierId, Number(r.total)]));
};
