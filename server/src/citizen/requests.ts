import { decideAtIntake } from '../agency/competence';
import { addWorkingDays, appError, isWorkingDay, normalizePhone, vietnamDate } from '@postdesk/shared';
import { and, eq, sql } from 'drizzle-orm';
import { getProcedure } from '../catalog/queries';
import type { Db } from '../db/client';
import { applicants, auditLog, communes, dossiers, offices, procedureVersions } from '../db/schema';
import { createDossier } from '../dossiers/engine';
import { resolveAddress } from '../intake/address';
import { loadHolidayTables } from '../intake/holidays';
import { queueSms } from '../notify/notify';
import { createBill } from '../payments';
import { otpText } from '../notify/texts';
import type { SmsReservation } from '../otp/budget';
import { issueOtp, type OtpPurpose } from '../otp/otp';
import { findTrackable, type Holder } from './track';
import { checkOtp } from './otp-check';
import { addDeliveryTask, addPickupTask } from './courier-link';
import { DELIVERY_WINDOWS, localInstant } from '../courier/tasks';

export type TimeWindow = 'morning' | 'afternoon';

/** A pickup window as two instants on the chosen day (the courier module's windows, local time). */
export const windowOf = (day: string, part: TimeWindow) => ({
  start: localInstant(day, DELIVERY_WINDOWS[part][0]),
  end: localInstant(day, DELIVERY_WINDOWS[part][1]),
});

/** Shows the holder which number the code went to without writing the whole number on the page. */
export const maskPhone = (phone: string) =>
  `${phone.slice(0, 3)}${'•'.repeat(Math.max(0, phone.length - 6))}${phone.slice(-3)}`;

/** Codes go to mobile numbers only: a landline cannot read a text message, and no other number is ours to text. */
const mobileOnly = (phone: string) => {
  const national = normalizePhone(phone);
  if (!/^0[35789]\d{8}$/.test(national)) throw appError('OTP_PHONE_NOT_MOBILE');
  return national;
};

/**
 * Spends the request's text-message budgets (`reserve`, atomic and shared by every server process), then
 * issues a code and queues its text message in one transaction: the code exists if and only if it is sent.
 */
export const sendOtp = async (
  db: Db,
  opts: {
    purpose: OtpPurpose;
    phone: string;
    dossierId?: string | null;
    secret: string;
    now?: Date;
    reserve: SmsReservation;
  },
) => {
  const phone = mobileOnly(opts.phone);
  await opts.reserve(phone);
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const otp = await issueOtp(t, {
      purpose: opts.purpose,
      phone,
      dossierId: opts.dossierId ?? null,
      secret: opts.secret,
      ...(opts.now ? { now: opts.now } : {}),
    });
    await queueSms(t, {
      kind: 'otp',
      phone: otp.phone,
      body: otpText(otp.code, opts.purpose),
      secret: otp.code,
      dossierId: opts.dossierId ?? null,
      key: `otp:${otp.id}`,
    });
    return { sentTo: maskPhone(otp.phone), expiresAt: otp.expiresAt };
  });
};

/** The post office that serves a commune: the one in it, else the nearest to the commune's centre. */
export const postOfficeFor = async (db: Db, communeCode: string) => {
  const [commune] = await db.select().from(communes).where(eq(communes.code, communeCode));
  if (!commune) throw appError('COMMUNE_UNKNOWN', { communes: [communeCode] });
  const [office] = await db
    .select({ id: offices.id, name: offices.name, address: offices.address })
    .from(offices)
    .where(eq(offices.kind, 'post_office'))
    .orderBy(
      sql`case when ${offices.communeCode} = ${communeCode} then 0 else 1 end`,
      commune.lat !== null && commune.lng !== null
        ? sql`(coalesce(${offices.lat}, 0) - ${commune.lat})^2 + (coalesce(${offices.lng}, 0) - ${commune.lng})^2`
        : sql`${offices.name}`,
    )
    .limit(1);
  if (!office) throw appError('PICKUP_NO_OFFICE');
  return office;
};

// ───────────────────────────── Home delivery of a result ─────────────────────────────

export type DeliveryRequestInput = Holder & {
  otp: string;
  address: { line: string; communeCode: string };
  lat?: number | undefined;
  lng?: number | undefined;
  window: TimeWindow;
};

const ASKABLE = new Set([
  'received',
  'digitized',
  'forwarded',
  'in_review',
  'agency_supplement_requested',
  'awaiting_payment',
  'decided',
  'result_ready',
]);

const assertDeliveryAskable = async (db: Db, dossier: typeof dossiers.$inferSelect) => {
  const [version] = await db
    .select({
      deliveryAllowed: procedureVersions.deliveryAllowed,
      postalTariff: procedureVersions.postalTariff,
    })
    .from(procedureVersions)
    .where(eq(procedureVersions.id, dossier.procedureVersionId));
  if (!version?.deliveryAllowed) throw appError('DELIVERY_NOT_ALLOWED');
  if (dossier.returnMethod === 1) throw appError('DELIVERY_ALREADY_ASKED');
  if (!ASKABLE.has(dossier.state)) throw appError('DELIVERY_TOO_LATE');
  return version;
};

/** Step 1: the code goes to the phone on file (the holder typed it and it matched, or holds the receipt). */
export const startDeliveryRequest = async (
  db: Db,
  opts: Holder & { secret: string; now?: Date; reserve: SmsReservation },
) => {
  const { dossier, phone } = await findTrackable(db, opts);
  await assertDeliveryAskable(db, dossier);
  if (!phone) throw appError('CONTACT_NO_OLD_PHONE');
  return sendOtp(db, {
    purpose: 'delivery_request',
    phone,
    dossierId: dossier.id,
    secret: opts.secret,
    reserve: opts.reserve,
    ...(opts.now ? { now: opts.now } : {}),
  });
};

/**
 * Step 2: with the code, the result goes home by post: return method 1 and the address are set; when the
 * result is already waiting at the desk, a delivery task is made for the courier at once.
 */
export const confirmDeliveryRequest = async (
  db: Db,
  opts: { input: DeliveryRequestInput; secret: string; now?: Date },
) => {
  const now = opts.now ?? new Date();
  const { dossier, phone } = await findTrackable(db, { ...opts.input, secret: opts.secret });
  const version = await assertDeliveryAskable(db, dossier);
  if (!phone) throw appError('CONTACT_NO_OLD_PHONE');
  await checkOtp(db, {
    purpose: 'delivery_request',
    phone,
    code: opts.input.otp,
    dossierId: dossier.id,
    secret: opts.secret,
    now,
  });
  const address = await resolveAddress(db, opts.input.address);
  if (!address.provinceCode)
    throw appError('COMMUNE_UNKNOWN', { communes: [opts.input.address.communeCode] });
  const deliveryAddress = {
    line: address.line,
    communeCode: address.communeCode,
    provinceCode: address.provinceCode,
    ...(opts.input.lat !== undefined && opts.input.lng !== undefined
      ? { lat: opts.input.lat, lng: opts.input.lng }
      : {}),
    window: opts.input.window,
  };
  const task = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const [updated] = await t
      .update(dossiers)
      .set({ returnMethod: 1, deliveryAddress, updatedAt: now })
      .where(and(eq(dossiers.id, dossier.id), eq(dossiers.returnMethod, 0)))
      .returning();
    if (!updated) throw appError('DELIVERY_ALREADY_ASKED');
    // Who changed what: ids only, never the address or the phone.
    await t.insert(auditLog).values({
      action: 'citizen.delivery_requested',
      target: dossier.id,
      details: { window: opts.input.window, otpVerified: true },
    });
    // The tariff as a bill: the citizen pays it online from the track page, or to the courier at the door.
    if (version.postalTariff > 0) {
      await createBill(t, { dossierId: updated.id, kind: 'postal_tariff', amount: version.postalTariff });
    }
    if (updated.state !== 'result_ready') return null;
    return addDeliveryTask(t, { dossierId: updated.id, now });
  });
  return {
    code: dossier.code!,
    returnMethod: 1 as const,
    window: opts.input.window,
    postalTariff: version.postalTariff,
    taskCreated: Boolean(task),
  };
};

// ───────────────────────────── Home pickup of a new dossier ─────────────────────────────

export type PickupRequestInput = {
  procedureCode: string;
  fullName: string;
  phone: string;
  otp: string;
  address: { line: string; communeCode: string };
  lat?: number | undefined;
  lng?: number | undefined;
  day: string;
  window: TimeWindow;
  /** The result comes home too (when the procedure allows it). */
  deliverResult: boolean;
  clientKey: string;
  /** The id number of the citizen signed in with the e-ID (from the session): the dossier is theirs. */
  citizenId?: string | undefined;
};

/** Pickup days: a working day from tomorrow to 7 working days ahead. */
export const pickupDays = async (db: Db, now = new Date()) => {
  const holidays = await loadHolidayTables(db);
  const today = vietnamDate(now);
  return Array.from({ length: 7 }, (_, i) => addWorkingDays(today, i + 1, { holidays }));
};

/**
 * Step 1 of a home pickup: the dossier does not exist yet, so the phone typed is the one the request will be
 * for; the code proves the person holds it. Only a mobile number gets a code, and only within the budgets.
 */
export const startPickupRequest = async (
  db: Db,
  opts: { procedureCode: string; phone: string; secret: string; now?: Date; reserve: SmsReservation },
) => {
  const procedure = await getProcedure(db, { code: opts.procedureCode });
  if (!procedure.pickupAllowed) throw appError('PICKUP_NOT_ALLOWED');
  return sendOtp(db, {
    purpose: 'pickup_request',
    phone: opts.phone,
    secret: opts.secret,
    reserve: opts.reserve,
    ...(opts.now ? { now: opts.now } : {}),
  });
};

/**
 * With the code: a dossier in `pickup_requested` (actor citizen, channel 3, received by the post office that
 * serves the commune) and the courier's pickup task, in one transaction. A retried request (same clientKey)
 * finds the first one instead of making a second dossier.
 */
export const confirmPickupRequest = async (
  db: Db,
  opts: { input: PickupRequestInput; secret: string; now?: Date },
) => {
  const { input } = opts;
  const now = opts.now ?? new Date();
  const [earlier] = await db
    .select({ id: dossiers.id, state: dossiers.state })
    .from(dossiers)
    .where(eq(dossiers.clientKey, input.clientKey));
  if (earlier) return { dossierId: earlier.id, state: earlier.state, replayed: true };

  const procedure = await getProcedure(db, { code: input.procedureCode });
  if (!procedure.pickupAllowed) throw appError('PICKUP_NOT_ALLOWED');
  if (input.deliverResult && !procedure.deliveryAllowed) throw appError('DELIVERY_NOT_ALLOWED');
  const holidays = await loadHolidayTables(db);
  const allowedDays = await pickupDays(db, now);
  if (!allowedDays.includes(input.day) || !isWorkingDay(input.day, holidays))
    throw appError('PICKUP_DAY_INVALID');
  const phone = normalizePhone(input.phone);
  await checkOtp(db, { purpose: 'pickup_request', phone, code: input.otp, secret: opts.secret, now });

  const address = await resolveAddress(db, input.address);
  if (!address.provinceCode) throw appError('COMMUNE_UNKNOWN', { communes: [input.address.communeCode] });
  const office = await postOfficeFor(db, input.address.communeCode);
  const window = windowOf(input.day, input.window);
  const point = input.lat !== undefined && input.lng !== undefined ? { lat: input.lat, lng: input.lng } : {};
  const addr = {
    line: address.line,
    communeCode: address.communeCode,
    provinceCode: address.provinceCode,
  };

  // The deciding agency for the applicant's commune (Decree 118/2025); the desk confirms it at the hand-over.
  const deciding = await decideAtIntake(db, {
    procedure,
    residence: address.communeCode!,
    day: vietnamDate(now),
  });
  const created = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const [applicant] = await t
      .insert(applicants)
      .values({
        fullName: input.fullName.trim().normalize('NFC'),
        phone,
        address: addr,
        ...(input.citizenId ? { citizenId: input.citizenId } : {}),
      })
      .returning({ id: applicants.id });
    const row = await createDossier(t, {
      event: 'request_pickup',
      actor: { kind: 'citizen' },
      now,
      payload: { window: input.window, day: input.day, procedureCode: procedure.code },
      values: {
        procedureId: procedure.id,
        procedureVersionId: procedure.versionId,
        applicantId: applicant!.id,
        receivingOfficeId: office.id,
        agencyId: deciding.agency.id,
        channel: 3,
        returnMethod: input.deliverResult ? 1 : 0,
        deliveryAddress: input.deliverResult ? { ...addr, ...point, window: input.window } : null,
        clientKey: input.clientKey,
      },
    });
    await addPickupTask(t, {
      dossierId: row.id,
      officeId: office.id,
      address: address.full,
      communeCode: address.communeCode,
      ...point,
      windowStart: window.start,
      windowEnd: window.end,
      contactName: input.fullName.trim().normalize('NFC'),
      contactPhone: phone,
      components: procedure.components.map((c) => ({
        code: c.code,
        name: c.name,
        form: c.form,
        copies: c.copies,
        required: c.required,
      })),
      fees: procedure.fees.map((f) => ({ label: f.label, amount: f.amount })),
      now,
    });
    return row;
  });
  return {
    dossierId: created.id,
    state: created.state,
    replayed: false,
    officeName: office.name,
    windowStart: window.start,
    windowEnd: window.end,
    postalTariff: procedure.postalTariff,
  };
};

export type { OtpPurpose };
