import { appError, isTerminal, normalizePhone, validateCitizenId } from '@postdesk/shared';
import { and, eq, inArray } from 'drizzle-orm';
import { maskPhone } from '../citizen/requests';
import { checkOtp } from '../citizen/otp-check';
import type { Db } from '../db/client';
import { applicants, auditLog, contactChanges, courierTasks, dossiers } from '../db/schema';
import { recordEvent } from '../dossiers/engine';
import { resolveAddress } from '../intake/address';
import { queueSms } from '../notify/notify';
import { otpText, WEB_TOKEN } from '../notify/texts';
import { issueOtp } from '../otp/otp';

export type ContactActor = { userId: string; role: 'clerk' | 'supervisor'; officeId: string };

export type ContactChangeInput = {
  dossierId: string;
  /** The new phone; absent = the phone stays. */
  phone?: string | undefined;
  /** The new delivery address; absent = it stays. */
  delivery?:
    | {
        address: { line: string; communeCode: string };
        lat?: number | undefined;
        lng?: number | undefined;
        window?: 'morning' | 'afternoon' | 'any' | undefined;
      }
    | undefined;
  /**
   * How the citizen confirms: a code sent to the phone on file (the old one), or in person with the id card,
   * whose number the clerk scans or types and attests they checked against the person.
   */
  confirmation: { kind: 'otp_old_phone' } | { kind: 'id_card'; citizenId: string; idCardChecked: true };
};

/** Courier tasks still to be done carry a copy of the contact. */
const TASKS_TO_DO = ['open', 'assigned', 'failed'] as const;

const loadDossier = async (db: Db, dossierId: string, officeId: string) => {
  const [row] = await db
    .select({
      id: dossiers.id,
      code: dossiers.code,
      state: dossiers.state,
      receivingOfficeId: dossiers.receivingOfficeId,
      returnMethod: dossiers.returnMethod,
      deliveryAddress: dossiers.deliveryAddress,
      applicantId: dossiers.applicantId,
      phone: applicants.phone,
      citizenId: applicants.citizenId,
    })
    .from(dossiers)
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(eq(dossiers.id, dossierId));
  // Another office's dossier does not exist for this caller: same answer as an unknown id.
  if (!row || row.receivingOfficeId !== officeId) throw appError('DOSSIER_NOT_FOUND');
  if (isTerminal(row.state) || row.state === 'out_for_delivery') throw appError('CONTACT_CHANGE_TOO_LATE');
  return row;
};

type Loaded = Awaited<ReturnType<typeof loadDossier>>;

const sameAddress = (a: Loaded['deliveryAddress'], b: NonNullable<Loaded['deliveryAddress']>) =>
  Boolean(a) &&
  a!.line === b.line &&
  a!.communeCode === b.communeCode &&
  (a!.window ?? 'any') === (b.window ?? 'any') &&
  a!.lat === b.lat &&
  a!.lng === b.lng;

/** What would change, checked before anything is written; nothing to change is an error. */
const planChange = async (db: Db, dossier: Loaded, input: ContactChangeInput) => {
  const phone = input.phone?.trim() ? normalizePhone(input.phone) : null;
  const newPhone = phone && phone !== dossier.phone ? phone : null;
  let newDelivery: NonNullable<Loaded['deliveryAddress']> | null = null;
  if (input.delivery) {
    if (dossier.returnMethod !== 1) throw appError('CONTACT_DELIVERY_NOT_ASKED');
    const address = await resolveAddress(db, input.delivery.address);
    if (!address.provinceCode)
      throw appError('COMMUNE_UNKNOWN', { communes: [input.delivery.address.communeCode] });
    const next = {
      line: address.line,
      communeCode: address.communeCode,
      provinceCode: address.provinceCode,
      ...(input.delivery.lat !== undefined && input.delivery.lng !== undefined
        ? { lat: input.delivery.lat, lng: input.delivery.lng }
        : {}),
      window: input.delivery.window ?? dossier.deliveryAddress?.window ?? 'any',
    };
    if (!sameAddress(dossier.deliveryAddress, next)) newDelivery = next;
  }
  if (!newPhone && !newDelivery) throw appError('CONTACT_UNCHANGED');
  if (newDelivery) {
    // The courier already carries the address: the delivering office changes it with the task, not the desk.
    const [task] = await db
      .select({ id: courierTasks.id })
      .from(courierTasks)
      .where(
        and(
          eq(courierTasks.dossierId, dossier.id),
          eq(courierTasks.kind, 'delivery'),
          inArray(courierTasks.state, [...TASKS_TO_DO]),
        ),
      );
    if (task) throw appError('CONTACT_CHANGE_TOO_LATE');
  }
  return { newPhone, newDelivery };
};

/**
 * Applies a confirmed change in one transaction: the dossier's own contact row and delivery address, the
 * courier's copy of the phone, the `change_contact` event in the dossier's chain (ids only), an audit row, and
 * a text to the OLD phone saying what changed, so a change the citizen did not ask for does not go unseen.
 */
const applyChange = async (
  db: Db,
  opts: { changeId: string; dossier: Loaded; actor: ContactActor; now: Date },
) =>
  db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const [change] = await t
      .update(contactChanges)
      .set({ state: 'applied', appliedAt: opts.now })
      .where(and(eq(contactChanges.id, opts.changeId), eq(contactChanges.state, 'pending')))
      .returning();
    if (!change) throw appError('CONTACT_CHANGE_NOT_FOUND');
    const { dossier } = opts;
    if (change.newPhone) {
      // The row is this dossier's alone (one applicant row per dossier): no other dossier's phone moves.
      await t
        .update(applicants)
        .set({ phone: change.newPhone })
        .where(eq(applicants.id, dossier.applicantId!));
      await t
        .update(courierTasks)
        .set({ contactPhone: change.newPhone })
        .where(and(eq(courierTasks.dossierId, dossier.id), inArray(courierTasks.state, [...TASKS_TO_DO])));
    }
    const changed = [
      ...(change.newPhone ? ['phone'] : []),
      ...(change.newDeliveryAddress ? ['delivery_address'] : []),
    ];
    await recordEvent(t, {
      dossierId: dossier.id,
      event: 'change_contact',
      actor: {
        kind: opts.actor.role,
        userId: opts.actor.userId,
        role: opts.actor.role,
        officeId: opts.actor.officeId,
      },
      now: opts.now,
      payload: { changeId: change.id, changed, confirmation: change.confirmation },
      ...(change.newDeliveryAddress ? { patch: { deliveryAddress: change.newDeliveryAddress } } : {}),
    });
    await t.insert(auditLog).values({
      userId: opts.actor.userId,
      role: opts.actor.role,
      officeId: opts.actor.officeId,
      action: 'dossier.contact_changed',
      target: dossier.id,
      details: { changeId: change.id, changed, confirmation: change.confirmation },
    });
    if (change.oldPhone && dossier.code) {
      const what =
        change.newPhone && change.newDeliveryAddress
          ? 'So dien thoai va dia chi giao'
          : change.newPhone
            ? 'So dien thoai'
            : 'Dia chi giao ket qua';
      await queueSms(t, {
        kind: 'contact_changed',
        phone: change.oldPhone,
        body: `PostDesk: ${what} cua ho so ${dossier.code} vua duoc doi tai buu cuc. Neu khong phai ong/ba yeu cau, bao ngay: ${WEB_TOKEN}/feedback`,
        dossierId: dossier.id,
        key: `contact_change:${change.id}:old_phone`,
      });
    }
    return { changeId: change.id, state: 'applied' as const, changed };
  });

/**
 * Asks to change a dossier's phone or delivery address, at the dossier's own office only. With the id card
 * in person the change is applied at once; otherwise a code goes to the old phone and `confirmContactChange`
 * applies it. The change is stored with its values first, so the code confirms exactly what was asked.
 */
export const requestContactChange = async (
  db: Db,
  opts: { input: ContactChangeInput; actor: ContactActor; secret: string; now?: Date },
) => {
  const now = opts.now ?? new Date();
  const dossier = await loadDossier(db, opts.input.dossierId, opts.actor.officeId);
  const plan = await planChange(db, dossier, opts.input);
  const confirmation = opts.input.confirmation;
  const values = {
    dossierId: dossier.id,
    confirmation: confirmation.kind,
    oldPhone: dossier.phone,
    newPhone: plan.newPhone,
    oldDeliveryAddress: dossier.deliveryAddress,
    newDeliveryAddress: plan.newDelivery,
    requestedBy: opts.actor.userId,
    officeId: opts.actor.officeId,
    requestedAt: now,
  };
  if (confirmation.kind === 'id_card') {
    const card = validateCitizenId(confirmation.citizenId, { now });
    if (!dossier.citizenId || card.id !== dossier.citizenId) throw appError('CONTACT_ID_CARD_MISMATCH');
    const [change] = await db.insert(contactChanges).values(values).returning({ id: contactChanges.id });
    return applyChange(db, { changeId: change!.id, dossier, actor: opts.actor, now });
  }
  if (!dossier.phone) throw appError('CONTACT_NO_OLD_PHONE');
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    // A newer request replaces any earlier one still waiting (its code stops working too).
    await t
      .update(contactChanges)
      .set({ state: 'cancelled' })
      .where(and(eq(contactChanges.dossierId, dossier.id), eq(contactChanges.state, 'pending')));
    const otp = await issueOtp(t, {
      purpose: 'contact_change',
      phone: dossier.phone!,
      dossierId: dossier.id,
      secret: opts.secret,
      now,
    });
    const [change] = await t
      .insert(contactChanges)
      .values({ ...values, otpId: otp.id })
      .returning({ id: contactChanges.id });
    await queueSms(t, {
      kind: 'otp',
      phone: otp.phone,
      body: otpText(otp.code, 'contact_change'),
      dossierId: dossier.id,
      key: `otp:${otp.id}`,
      secret: opts.secret,
    });
    return {
      changeId: change!.id,
      state: 'pending' as const,
      sentTo: maskPhone(otp.phone),
      expiresAt: otp.expiresAt,
    };
  });
};

/** The code the citizen read from the old phone applies the change it was sent for, and no other. */
export const confirmContactChange = async (
  db: Db,
  opts: { changeId: string; otp: string; actor: ContactActor; secret: string; now?: Date },
) => {
  const now = opts.now ?? new Date();
  const [change] = await db
    .select()
    .from(contactChanges)
    .where(and(eq(contactChanges.id, opts.changeId), eq(contactChanges.state, 'pending')));
  if (
    !change ||
    change.officeId !== opts.actor.officeId ||
    change.confirmation !== 'otp_old_phone' ||
    !change.oldPhone
  ) {
    throw appError('CONTACT_CHANGE_NOT_FOUND');
  }
  const dossier = await loadDossier(db, change.dossierId, opts.actor.officeId);
  // The phone moved since the code was sent (another change): this one no longer says what it replaces.
  if (dossier.phone !== change.oldPhone) throw appError('CONTACT_CHANGE_NOT_FOUND');
  const verified = await checkOtp(db, {
    purpose: 'contact_change',
    phone: change.oldPhone,
    code: opts.otp,
    dossierId: dossier.id,
    secret: opts.secret,
    now,
  });
  if (verified.id !== change.otpId) throw appError('OTP_INVALID');
  return applyChange(db, { changeId: change.id, dossier, actor: opts.actor, now });
};
