import { replanAfterFailures } from './live-replan';
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type AppError,
  appError,
  DEFAULT_OFFICE_HOURS,
  dueAt,
  ERRORS,
  type ErrorCode,
  isAppError,
  parseIdCardQr,
  validateCitizenId,
} from '@postdesk/shared';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { ZodType } from 'zod';
import { checkOtp } from '../citizen/otp-check';
import type { Db } from '../db/client';
import {
  applicants,
  courierProofs,
  courierTasks,
  dossiers,
  files,
  offices,
  otpCodes,
  payments,
} from '../db/schema';
import { recordEvent } from '../dossiers/engine';
import { loadHolidayTables } from '../intake/holidays';
import { recordCashPayment } from '../payments';
import type { StaffCtx } from './context';
import { deliverPayload, failPayload, pickupPayload, type SyncAction } from './schemas';
import { assertInVietnam, type CourierTask } from './tasks';

export type SyncStatus = 'applied' | 'duplicate' | 'conflict' | 'rejected';
export type SyncResult = {
  clientActionId: string;
  status: SyncStatus;
  code?: string;
  message?: string;
  messageEn?: string;
  details?: unknown;
  proofId?: string;
  nextAttemptAfter?: Date | null;
  returnedToAgency?: boolean;
};

/** Failed delivery attempts (invitations) before the result goes back to the agency (Circular 17/2017 Art. 5.2.h). */
export const MAX_DELIVERY_INVITATIONS = 2;
/** Working days between two invitations. */
export const INVITATION_GAP_WORKING_DAYS = 2;

class Outcome extends Error {
  constructor(
    readonly status: 'conflict' | 'rejected',
    readonly code: ErrorCode,
    readonly details?: unknown,
  ) {
    super(code);
  }
}

const conflict = (code: ErrorCode) => new Outcome('conflict', code);
const rejected = (code: ErrorCode, details?: unknown) => new Outcome('rejected', code, details);

const describe = (clientActionId: string, o: Outcome): SyncResult => ({
  clientActionId,
  status: o.status,
  code: o.code,
  message: ERRORS[o.code].vi,
  messageEn: ERRORS[o.code].en,
  ...(o.details !== undefined ? { details: o.details } : {}),
});

const parse = <T>(schema: ZodType<T>, payload: unknown): T => {
  const result = schema.safeParse(payload);
  if (!result.success) {
    throw rejected('VALIDATION_FAILED', {
      fields: result.error.issues.map((i) => ({ path: `payload.${i.path.join('.')}`, message: i.message })),
    });
  }
  return result.data;
};

/** Which conflict, if any, a courier's action for `version` meets on the task as it is now. */
const conflictOf = (task: CourierTask, courierId: string, version: number): Outcome | null => {
  if (task.state === 'cancelled') return conflict('COURIER_TASK_CANCELLED');
  if (task.courierId !== courierId) return conflict('COURIER_TASK_REASSIGNED');
  if (task.version !== version) return conflict('COURIER_TASK_CHANGED');
  if (task.state !== 'assigned') return conflict('COURIER_TASK_CLOSED');
  return null;
};

const DOSSIER_STATES_OF: Record<CourierTask['kind'], string[]> = {
  pickup: ['pickup_assigned'],
  delivery: ['out_for_delivery'],
};

/** Every photo and signature named by an action must already be uploaded (and be an image). */
const assertUploaded = async (db: Db, shas: string[]) => {
  const wanted = [...new Set(shas)];
  if (wanted.length === 0) return;
  const found = await db
    .select({ sha256: files.sha256, mime: files.mime })
    .from(files)
    .where(inArray(files.sha256, wanted));
  const ok = new Set(found.filter((f) => f.mime.startsWith('image/')).map((f) => f.sha256));
  const missing = wanted.filter((s) => !ok.has(s));
  if (missing.length > 0) throw rejected('COURIER_UPLOAD_MISSING', { missing });
};

const hmac = (secret: string, id: string, code: string) =>
  createHmac('sha256', secret).update(`${id}:${code}`).digest('hex');

type OtpCheck = { otpId: string; at: string };

/**
 * The recipient's code: already checked online (courier.checkDeliveryCode) — then the code typed must be
 * that one, or none — or checked now against the live code (a wrong try counts; 5 kill the code).
 */
const verifyDeliveryOtp = async (
  ctx: StaffCtx,
  task: CourierTask,
  phone: string | null,
  code: string | undefined,
): Promise<OtpCheck> => {
  const checked = (task.collect as { otpCheck?: OtpCheck }).otpCheck;
  if (checked) {
    if (!code) return checked;
    const [row] = await ctx.db.select().from(otpCodes).where(eq(otpCodes.id, checked.otpId));
    const expected = row ? Buffer.from(row.codeHash, 'hex') : null;
    const given = Buffer.from(hmac(ctx.config.SESSION_SECRET, checked.otpId, code.trim()), 'hex');
    if (expected && expected.length === given.length && timingSafeEqual(expected, given)) return checked;
    // A different code than the one already confirmed: fall through to the live code, if any.
  }
  if (!code) throw rejected('COURIER_OTP_REQUIRED');
  if (!phone) throw rejected('COURIER_NO_RECIPIENT_PHONE');
  try {
    const ok = await checkOtp(ctx.db, {
      purpose: 'delivery_handover',
      phone,
      code,
      dossierId: task.dossierId,
      secret: ctx.config.SESSION_SECRET,
    });
    const check = { otpId: ok.id, at: new Date().toISOString() };
    // Remember at once: the code is spent, and a resend of this action must not need it again.
    await ctx.db
      .update(courierTasks)
      .set({ collect: sql`${courierTasks.collect} || ${JSON.stringify({ otpCheck: check })}::jsonb` })
      .where(eq(courierTasks.id, task.id));
    return check;
  } catch (err) {
    if (isAppError(err)) throw rejected(err.code as ErrorCode);
    throw err;
  }
};

/** Cash at the door pays the dossier's pending bills, oldest first, as far as it goes. */
const payBillsInCash = async (
  tx: Db,
  ctx: StaffCtx,
  opts: { dossierId: string; amount: number; method: 'cash' | 'vietqr'; now: Date },
) => {
  const bills = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.dossierId, opts.dossierId), eq(payments.state, 'pending')))
    .orderBy(asc(payments.createdAt));
  let left = opts.amount;
  const paid: string[] = [];
  for (const bill of bills) {
    if (bill.amount > left) continue;
    try {
      await recordCashPayment(tx, {
        paymentId: bill.id,
        staffUserId: ctx.user.id,
        officeId: ctx.membership.officeId,
        role: 'courier',
        method: opts.method,
        now: opts.now,
      });
    } catch (err) {
      // The money is in the courier's hand either way: the proof keeps the amount for reconciliation.
      if (!isAppError(err)) throw err;
      ctx.log.warn({ code: err.code, paymentId: bill.id }, 'cash at the door not matched to a bill');
      continue;
    }
    left -= bill.amount;
    paid.push(bill.billCode ?? bill.id);
  }
  return { paidBills: paid, unmatched: left };
};

/** When the next attempt may be: 2 working days after this one, on the office's calendar. */
const nextAttemptTime = async (db: Db, officeId: string, at: Date) => {
  const holidays = await loadHolidayTables(db);
  const [office] = await db
    .select({ hours: offices.officeHours })
    .from(offices)
    .where(eq(offices.id, officeId));
  return dueAt(at, INVITATION_GAP_WORKING_DAYS * 8, {
    holidays,
    hours: office?.hours ?? DEFAULT_OFFICE_HOURS,
  });
};

const applyOne = async (ctx: StaffCtx, action: SyncAction): Promise<SyncResult> => {
  const me = ctx.user.id;
  const officeId = ctx.membership.officeId;
  const [earlier] = await ctx.db
    .select()
    .from(courierProofs)
    .where(eq(courierProofs.clientActionId, action.clientActionId));
  if (earlier) {
    if (earlier.courierId !== me || earlier.taskId !== action.taskId) throw rejected('IDEMPOTENCY_CONFLICT');
    return { clientActionId: action.clientActionId, status: 'duplicate', proofId: earlier.id };
  }
  const [task] = await ctx.db
    .select()
    .from(courierTasks)
    .where(and(eq(courierTasks.id, action.taskId), eq(courierTasks.officeId, officeId)));
  if (!task) throw rejected('COURIER_TASK_NOT_FOUND');
  const clash = conflictOf(task, me, action.taskVersion);
  if (clash) throw clash;
  if (action.type === 'pickup' && task.kind !== 'pickup')
    throw rejected('VALIDATION_FAILED', { type: 'pickup' });
  if (action.type === 'deliver' && task.kind !== 'delivery')
    throw rejected('VALIDATION_FAILED', { type: 'deliver' });
  if (action.position) {
    try {
      assertInVietnam(action.position.lat, action.position.lng);
    } catch {
      throw rejected('COURIER_OUTSIDE_VIETNAM');
    }
  }
  const [dossier] = await ctx.db
    .select({
      id: dossiers.id,
      state: dossiers.state,
      intake: dossiers.intake,
      citizenId: applicants.citizenId,
      phone: applicants.phone,
      fullName: applicants.fullName,
    })
    .from(dossiers)
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(eq(dossiers.id, task.dossierId));
  if (!dossier || !DOSSIER_STATES_OF[task.kind].includes(dossier.state))
    throw conflict('COURIER_TASK_CANCELLED');

  const now = new Date();
  let kind: (typeof courierProofs.$inferInsert)['kind'];
  let proofPayload: Record<string, unknown>;
  let photos: string[] = [];
  let signature: string | null = null;
  let otp: OtpCheck | null = null;
  let cash: { amount: number; method: 'cash' | 'vietqr' } | null = null;

  if (action.type === 'pickup') {
    const p = parse(pickupPayload, action.payload);
    const { components } = await componentsOfDossier(ctx.db, task.dossierId);
    const given = new Set(p.checklist.map((c) => c.code));
    const unchecked = components.filter((c) => !given.has(c.code));
    if (unchecked.length > 0)
      throw rejected('COURIER_CHECKLIST_REQUIRED', { unchecked: unchecked.map((c) => c.code) });
    if (!p.signatureSha256) throw rejected('COURIER_SIGNATURE_REQUIRED');
    if (!p.sealNumber) throw rejected('COURIER_SEAL_REQUIRED');
    photos = p.photoSha256s;
    signature = p.signatureSha256;
    await assertUploaded(ctx.db, [
      ...photos,
      signature,
      ...(p.courierSignatureSha256 ? [p.courierSignatureSha256] : []),
    ]);
    kind = 'pickup';
    const names = new Map(components.map((c) => [c.code, c.name]));
    proofPayload = {
      checklist: p.checklist.map((c) => ({ ...c, name: names.get(c.code) ?? c.code })),
      sealNumber: p.sealNumber,
      fees: p.fees ?? null,
      courierSignatureSha256: p.courierSignatureSha256 ?? null,
      note: p.note ?? null,
    };
    if (p.fees && p.fees.method !== 'none' && p.fees.amount > 0) {
      cash = { amount: p.fees.amount, method: p.fees.method };
    }
  } else if (action.type === 'deliver') {
    const p = parse(deliverPayload, action.payload);
    const id = p.identity;
    if (!id) throw rejected('COURIER_IDENTITY_REQUIRED');
    let idNumber: string;
    try {
      idNumber = validateCitizenId(id.idNumber).id;
    } catch {
      throw rejected('CITIZEN_ID_INVALID');
    }
    if (id.qr) {
      let scanned: string;
      try {
        scanned = parseIdCardQr(id.qr).id;
      } catch {
        throw rejected('QR_INVALID');
      }
      if (scanned !== idNumber) throw rejected(id.mode === 'self' ? 'COURIER_ID_MISMATCH' : 'QR_INVALID');
    }
    if (id.mode === 'self') {
      if (!dossier.citizenId || dossier.citizenId !== idNumber) throw rejected('COURIER_ID_MISMATCH');
    } else if (!id.letterPhotoSha256 || !id.proxyName?.trim()) {
      throw rejected('COURIER_PROXY_LETTER_REQUIRED');
    }
    if (!p.signatureSha256) throw rejected('COURIER_SIGNATURE_REQUIRED');
    photos = p.photoSha256s;
    signature = p.signatureSha256;
    await assertUploaded(ctx.db, [
      ...photos,
      signature,
      ...(id.letterPhotoSha256 ? [id.letterPhotoSha256] : []),
    ]);
    // Last, because a wrong code counts against the recipient's code.
    otp = await verifyDeliveryOtp(ctx, task, dossier.phone, p.otpCode);
    kind = 'delivery';
    proofPayload = {
      identity: {
        mode: id.mode,
        source: id.source,
        // The recipient's own number is on the dossier; a proxy's is kept here for the record.
        idNumber: id.mode === 'proxy' ? idNumber : undefined,
        idLast4: idNumber.slice(-4),
        proxyName: id.mode === 'proxy' ? id.proxyName?.normalize('NFC') : undefined,
        letterPhotoSha256: id.letterPhotoSha256 ?? undefined,
        recipientName: dossier.fullName ?? undefined,
      },
      recovered: p.recovered,
      cash: p.cash ?? null,
      note: p.note ?? null,
    };
    if (p.cash && p.cash.amount > 0) cash = { amount: p.cash.amount, method: 'cash' };
  } else {
    const p = parse(failPayload, action.payload);
    photos = p.photoSha256s;
    await assertUploaded(ctx.db, photos);
    kind = task.kind === 'pickup' ? 'failed_pickup' : 'failed_delivery';
    proofPayload = { reason: p.reason, note: p.note ?? null, invitationLeft: p.invitationLeft ?? null };
  }

  // After a failed delivery the next invitation waits 2 working days; a failed pickup may be retried any day.
  const nextAttemptAfter =
    action.type === 'fail' && task.kind === 'delivery' && task.attempts + 1 < MAX_DELIVERY_INVITATIONS
      ? await nextAttemptTime(ctx.db, officeId, now)
      : null;

  try {
    return await ctx.db.transaction(async (raw) => {
      const tx = raw as unknown as Db;
      const [locked] = await tx.select().from(courierTasks).where(eq(courierTasks.id, task.id)).for('update');
      const late = locked ? conflictOf(locked, me, action.taskVersion) : conflict('COURIER_TASK_CANCELLED');
      if (late) throw late;
      const [proof] = await tx
        .insert(courierProofs)
        .values({
          clientActionId: action.clientActionId,
          taskId: task.id,
          dossierId: task.dossierId,
          courierId: me,
          kind,
          payload: proofPayload,
          photoSha256s: photos,
          signatureSha256: signature,
          otpVerified: otp !== null,
          lat: action.position?.lat ?? null,
          lng: action.position?.lng ?? null,
          accuracyM: action.position?.accuracyM ?? action.position?.accuracy ?? null,
          deviceAt: action.deviceAt,
          serverAt: now,
        })
        .onConflictDoNothing({ target: courierProofs.clientActionId })
        .returning({ id: courierProofs.id });
      if (!proof) throw new Outcome('rejected', 'IDEMPOTENCY_CONFLICT');
      const actor = { kind: 'courier' as const, userId: me, role: 'courier' as const, officeId };
      const common = {
        taskId: task.id,
        proofId: proof.id,
        position: action.position
          ? {
              lat: action.position.lat,
              lng: action.position.lng,
              accuracyM: action.position.accuracyM ?? action.position.accuracy ?? null,
            }
          : null,
      };
      let cashResult: { paidBills: string[]; unmatched: number } | null = null;
      if (cash) {
        cashResult = await payBillsInCash(tx, ctx, { dossierId: task.dossierId, ...cash, now });
      }
      let returnedToAgency = false;
      if (action.type === 'pickup') {
        await recordEvent(tx, {
          dossierId: task.dossierId,
          event: 'pick_up',
          actor,
          deviceAt: action.deviceAt,
          now,
          payload: {
            ...common,
            checklist: proofPayload.checklist,
            sealNumber: proofPayload.sealNumber,
            photos: photos.length,
            signatureSha256: signature,
            fees: proofPayload.fees,
            ...(cashResult ? { paidBills: cashResult.paidBills } : {}),
          },
        });
        await tx
          .update(courierTasks)
          .set({ state: 'done', completedAt: now })
          .where(eq(courierTasks.id, task.id));
      } else if (action.type === 'deliver') {
        const identity = proofPayload.identity as Record<string, unknown>;
        await recordEvent(tx, {
          dossierId: task.dossierId,
          event: 'deliver',
          actor,
          deviceAt: action.deviceAt,
          now,
          payload: {
            ...common,
            identity: { mode: identity.mode, source: identity.source, idLast4: identity.idLast4 },
            otpVerified: true,
            signatureSha256: signature,
            photos: photos.length,
            recovered: proofPayload.recovered,
            ...(cashResult ? { paidBills: cashResult.paidBills, cash: proofPayload.cash } : {}),
          },
        });
        await tx
          .update(courierTasks)
          .set({ state: 'done', completedAt: now })
          .where(eq(courierTasks.id, task.id));
      } else {
        const attempts = task.attempts + 1;
        const reason = (proofPayload as { reason: string }).reason;
        if (task.kind === 'pickup') {
          await recordEvent(tx, {
            dossierId: task.dossierId,
            event: 'fail_pickup',
            actor,
            deviceAt: action.deviceAt,
            now,
            payload: { ...common, reason, attempt: attempts },
          });
        } else {
          await recordEvent(tx, {
            dossierId: task.dossierId,
            event: 'fail_delivery',
            actor,
            deviceAt: action.deviceAt,
            now,
            payload: {
              ...common,
              reason,
              invitation: attempts,
              nextAttemptAfter: nextAttemptAfter?.toISOString() ?? null,
            },
          });
          if (attempts >= MAX_DELIVERY_INVITATIONS) {
            // The second invitation failed too: the result goes back to the agency (system, same moment).
            await recordEvent(tx, {
              dossierId: task.dossierId,
              event: 'return_to_agency',
              actor: { kind: 'system', officeId },
              now,
              guard: { failedDeliveryCount: attempts },
              payload: { taskId: task.id, invitations: attempts, reason },
            });
            returnedToAgency = true;
          }
        }
        await tx
          .update(courierTasks)
          .set({
            state: 'failed',
            attempts,
            failReason: reason,
            nextAttemptAfter,
            completedAt: now,
          })
          .where(eq(courierTasks.id, task.id));
      }
      return {
        clientActionId: action.clientActionId,
        status: 'applied' as const,
        proofId: proof.id,
        ...(action.type === 'fail' ? { nextAttemptAfter, returnedToAgency } : {}),
      };
    });
  } catch (err) {
    if (err instanceof Outcome) throw err;
    if (isAppError(err)) {
      const code = (err as AppError).code as ErrorCode;
      if (code === 'TRANSITION_NOT_ALLOWED') throw conflict('COURIER_TASK_CANCELLED');
      throw rejected(code, (err as AppError).details);
    }
    // A concurrent resend of the same action: the first one won.
    const [first] = await ctx.db
      .select()
      .from(courierProofs)
      .where(eq(courierProofs.clientActionId, action.clientActionId));
    if (first && first.courierId === me) {
      return { clientActionId: action.clientActionId, status: 'duplicate', proofId: first.id };
    }
    throw err;
  }
};

/** The procedure's component list of a dossier (as received under its version). */
export const componentsOfDossier = async (db: Db, dossierId: string) => {
  const list = await db.execute(
    sql`select pv.components from dossiers d join procedure_versions pv on pv.id = d.procedure_version_id where d.id = ${dossierId}`,
  );
  const rowsOf = (Array.isArray(list) ? list : (list as unknown as { rows: unknown[] }).rows) as {
    components: { code: string; name: string; form: string; copies: number; required: boolean }[];
  }[];
  return { components: rowsOf[0]?.components ?? [] };
};

/** `courier.sync`: the phone's queued actions, in order; each one applied, a duplicate, a conflict, or rejected. */
export const syncActions = async (ctx: StaffCtx, actions: SyncAction[]) => {
  const results: SyncResult[] = [];
  for (const action of actions) {
    try {
      results.push(await applyOne(ctx, action));
    } catch (err) {
      if (err instanceof Outcome) {
        results.push(describe(action.clientActionId, err));
        continue;
      }
      ctx.log.error({ err: (err as Error).message, taskId: action.taskId }, 'courier sync action failed');
      results.push(describe(action.clientActionId, new Outcome('rejected', 'INTERNAL')));
    }
  }
  // A failed visit today re-plans the rest of the day on a worker (debounced; never fails the sync).
  const failed = new Set(results.filter((r) => r.status === 'applied').map((r) => r.clientActionId));
  await replanAfterFailures(
    ctx,
    actions.filter((a) => a.type === 'fail' && failed.has(a.clientActionId)).map((a) => a.taskId),
  );
  const counts = results.reduce<Record<string, number>>((acc, r) => {
    acc[r.status] = (acc[r.status] ?? 0) + 1;
    return acc;
  }, {});
  ctx.log.info({ actions: actions.length, ...counts }, 'courier sync');
  return { results };
};

/** `courier.checkDeliveryCode`: the recipient's code, checked at the door while online. */
export const checkDeliveryCode = async (ctx: StaffCtx, input: { taskId: string; code: string }) => {
  const [task] = await ctx.db
    .select()
    .from(courierTasks)
    .where(and(eq(courierTasks.id, input.taskId), eq(courierTasks.officeId, ctx.membership.officeId)));
  if (task?.kind !== 'delivery' || task.courierId !== ctx.user.id) throw appError('COURIER_TASK_NOT_FOUND');
  if (task.state !== 'assigned') throw appError('COURIER_TASK_CLOSED');
  const [dossier] = await ctx.db
    .select({ phone: applicants.phone })
    .from(dossiers)
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(eq(dossiers.id, task.dossierId));
  try {
    await verifyDeliveryOtp(ctx, task, dossier?.phone ?? null, input.code);
  } catch (err) {
    if (err instanceof Outcome) throw appError(err.code, err.details as Record<string, unknown> | undefined);
    throw err;
  }
  return { ok: true as const };
};
