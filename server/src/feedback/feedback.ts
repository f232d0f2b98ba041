import { addWorkingDays, appError } from '@postdesk/shared';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { checkOtp } from '../citizen/otp-check';
import { sendOtp } from '../citizen/requests';
import { findTrackable, type Holder } from '../citizen/track';
import type { Db } from '../db/client';
import { applicants, desks, dossiers, feedback, offices, procedures } from '../db/schema';
import { loadHolidayTables } from '../intake/holidays';
import { queueSms } from '../notify/notify';
import { WEB_TOKEN } from '../notify/texts';
import type { SmsReservation } from '../otp/budget';

/**
 * What went wrong, as fixed codes the indicators and the supervisors can count. A dissatisfied rating is
 * stored as 1 and a satisfied one as 5: the satisfaction indicator counts `rating <= 2` as the "dislike"
 * (server/src/board/facts.ts), and complaints separately.
 */
export const FEEDBACK_REASONS = [
  'late',
  'extra_documents',
  'many_trips',
  'staff_attitude',
  'unclear_guidance',
  'delivery',
  'fees',
  'other',
] as const;
export type FeedbackReason = (typeof FEEDBACK_REASONS)[number];

export const RATING_SATISFIED = 5;
export const RATING_DISSATISFIED = 1;
/** Decree 61/2018 and the domain brief: a complaint is answered within 5 working days. */
export const COMPLAINT_ANSWER_WORKING_DAYS = 5;

const RATABLE = new Set(['delivered', 'returned']);

/** The desk a QR code names, for the page's heading: public, like the desk's sign. */
export const deskInfo = async (db: Db, deskId: string) => {
  const [row] = await db
    .select({ deskName: desks.name, officeName: offices.name })
    .from(desks)
    .innerJoin(offices, eq(offices.id, desks.officeId))
    .where(eq(desks.id, deskId));
  return row ?? null;
};

/** The desks of an office and the feedback address each desk's QR code opens. */
export const desksOf = async (db: Db, opts: { officeId: string; publicUrl: string }) => {
  const rows = await db
    .select({ id: desks.id, name: desks.name, officeName: offices.name })
    .from(desks)
    .innerJoin(offices, eq(offices.id, desks.officeId))
    .where(eq(desks.officeId, opts.officeId))
    .orderBy(desks.name);
  const base = opts.publicUrl.replace(/\/+$/, '');
  return rows.map((d) => ({ ...d, url: `${base}/feedback?desk=${d.id}` }));
};

/** Proof of holding the dossier, with the server secret the receipt token is checked against. */
type HolderOpts = Holder & { secret: string };

/**
 * What the holder of the code and phone (or the receipt's token) may see: whether they can still rate, and
 * their own complaints.
 */
export const feedbackStatus = async (db: Db, opts: HolderOpts) => {
  const { dossier, via } = await findTrackable(db, opts);
  const rows = await db
    .select()
    .from(feedback)
    .where(eq(feedback.dossierId, dossier.id))
    .orderBy(desc(feedback.createdAt));
  const rating = rows.find((r) => r.kind === 'rating');
  return {
    code: dossier.code!,
    finished: RATABLE.has(dossier.state),
    /** A rating or complaint needs no code by text message: the page was opened with the receipt's token. */
    proofHeld: via === 'receipt',
    canRate: RATABLE.has(dossier.state) && !rating,
    rating: rating ? { satisfied: (rating.rating ?? 0) > 2, at: rating.createdAt } : null,
    complaints: rows
      .filter((r) => r.kind === 'complaint')
      .map((r) => ({
        id: r.id,
        createdAt: r.createdAt,
        reasons: r.reasons,
        text: r.comment,
        answer: r.answer,
        answeredAt: r.answeredAt,
        answerDueAt: r.answerDueAt,
      })),
  };
};

/**
 * The desk a feedback names (from the desk's QR code), kept only when it is one of the desks of the office that
 * received the dossier: a QR code scanned elsewhere says nothing about this dossier's service, and the feedback
 * still counts for the office.
 */
const deskOfDossier = async (db: Db, deskId: string | undefined, officeId: string) => {
  if (!deskId) return null;
  const [desk] = await db
    .select({ id: desks.id })
    .from(desks)
    .where(and(eq(desks.id, deskId), eq(desks.officeId, officeId)));
  return desk?.id ?? null;
};

/**
 * A rating or complaint must come from whoever holds the dossier, never from the office rating itself: the
 * receipt's token (from its QR code), or a code sent to the dossier's phone. Code + phone alone is not proof,
 * since the desk that typed the phone knows it. Returns what proved it, kept with the feedback.
 */
const proveHolder = async (db: Db, opts: HolderOpts & { otp?: string | undefined; now?: Date }) => {
  const found = await findTrackable(db, opts);
  if (found.via === 'receipt') return { ...found, proof: 'receipt' as const };
  if (!opts.otp?.trim() || !found.phone) throw appError('FEEDBACK_PROOF_REQUIRED');
  await checkOtp(db, {
    purpose: 'feedback',
    phone: found.phone,
    code: opts.otp,
    dossierId: found.dossier.id,
    secret: opts.secret,
    now: opts.now,
  });
  return { ...found, proof: 'otp' as const };
};

/** A code to the dossier's phone on file, for a holder without the receipt's QR code. */
export const sendFeedbackCode = async (
  db: Db,
  opts: HolderOpts & { now?: Date; reserve: SmsReservation },
) => {
  const { dossier, phone } = await findTrackable(db, opts);
  if (!phone) throw appError('FEEDBACK_PROOF_REQUIRED');
  return sendOtp(db, {
    purpose: 'feedback',
    phone,
    dossierId: dossier.id,
    secret: opts.secret,
    reserve: opts.reserve,
    now: opts.now,
  });
};

export const rateService = async (
  db: Db,
  opts: HolderOpts & {
    otp?: string | undefined;
    satisfied: boolean;
    reasons: FeedbackReason[];
    comment?: string | undefined;
    deskId?: string | undefined;
  },
) => {
  if (!opts.satisfied && opts.reasons.length === 0) throw appError('FEEDBACK_REASON_REQUIRED');
  const { dossier: found } = await findTrackable(db, opts);
  if (!RATABLE.has(found.state)) throw appError('FEEDBACK_NOT_YET');
  const [rated] = await db
    .select({ id: feedback.id })
    .from(feedback)
    .where(and(eq(feedback.dossierId, found.id), eq(feedback.kind, 'rating')));
  if (rated) throw appError('FEEDBACK_ALREADY_RATED');
  const { dossier, proof } = await proveHolder(db, opts);
  const [row] = await db
    .insert(feedback)
    .values({
      dossierId: dossier.id,
      kind: 'rating',
      deskId: await deskOfDossier(db, opts.deskId, dossier.receivingOfficeId),
      rating: opts.satisfied ? RATING_SATISFIED : RATING_DISSATISFIED,
      proof,
      reasons: opts.satisfied ? [] : [...new Set(opts.reasons)],
      comment: opts.comment?.trim() || null,
    })
    .onConflictDoNothing()
    .returning({ id: feedback.id });
  if (!row) throw appError('FEEDBACK_ALREADY_RATED');
  return { ok: true as const };
};

/** End of the working day `days` working days after `from` (17:00 Vietnam time). */
export const answerDueAt = async (db: Db, from: Date, days = COMPLAINT_ANSWER_WORKING_DAYS) => {
  const holidays = await loadHolidayTables(db);
  const day = addWorkingDays(from, days, { holidays });
  return new Date(`${day}T17:00:00+07:00`);
};

export const fileComplaint = async (
  db: Db,
  opts: HolderOpts & {
    otp?: string | undefined;
    reasons: FeedbackReason[];
    text: string;
    deskId?: string | undefined;
    now?: Date;
  },
) => {
  const now = opts.now ?? new Date();
  const { dossier, proof } = await proveHolder(db, { ...opts, now });
  const due = await answerDueAt(db, now);
  const [row] = await db
    .insert(feedback)
    .values({
      dossierId: dossier.id,
      kind: 'complaint',
      deskId: await deskOfDossier(db, opts.deskId, dossier.receivingOfficeId),
      reasons: [...new Set(opts.reasons)],
      comment: opts.text.trim(),
      proof,
      answerDueAt: due,
      createdAt: now,
    })
    .returning({ id: feedback.id, answerDueAt: feedback.answerDueAt });
  return { id: row!.id, answerDueAt: row!.answerDueAt! };
};

// ───────────────────────────── Supervisors ─────────────────────────────

/** Ratings and complaints about dossiers received by the given offices, newest first. */
export const listFeedback = async (db: Db, opts: { officeIds: string[]; now?: Date; limit?: number }) => {
  const now = opts.now ?? new Date();
  if (opts.officeIds.length === 0)
    return { ratings: [], complaints: [], summary: { satisfied: 0, dissatisfied: 0, open: 0, overdue: 0 } };
  const rows = await db
    .select({
      id: feedback.id,
      kind: feedback.kind,
      rating: feedback.rating,
      reasons: feedback.reasons,
      comment: feedback.comment,
      answer: feedback.answer,
      answeredAt: feedback.answeredAt,
      answerDueAt: feedback.answerDueAt,
      createdAt: feedback.createdAt,
      dossierId: dossiers.id,
      code: dossiers.code,
      procedureName: procedures.name,
      officeName: offices.name,
      deskName: desks.name,
    })
    .from(feedback)
    .innerJoin(dossiers, eq(dossiers.id, feedback.dossierId))
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(offices, eq(offices.id, dossiers.receivingOfficeId))
    .leftJoin(desks, eq(desks.id, feedback.deskId))
    .where(inArray(dossiers.receivingOfficeId, opts.officeIds))
    .orderBy(desc(feedback.createdAt))
    .limit(opts.limit ?? 500);
  const ratings = rows
    .filter((r) => r.kind === 'rating')
    .map((r) => ({
      id: r.id,
      code: r.code,
      procedureName: r.procedureName,
      officeName: r.officeName,
      deskName: r.deskName,
      satisfied: (r.rating ?? 0) > 2,
      reasons: r.reasons,
      comment: r.comment,
      createdAt: r.createdAt,
    }));
  const complaints = rows
    .filter((r) => r.kind === 'complaint')
    .map((r) => ({
      id: r.id,
      code: r.code,
      procedureName: r.procedureName,
      officeName: r.officeName,
      deskName: r.deskName,
      reasons: r.reasons,
      text: r.comment,
      answer: r.answer,
      answeredAt: r.answeredAt,
      answerDueAt: r.answerDueAt,
      createdAt: r.createdAt,
      overdue: !r.answer && r.answerDueAt !== null && r.answerDueAt < now,
      answeredLate: Boolean(r.answer && r.answeredAt && r.answerDueAt && r.answeredAt > r.answerDueAt),
    }));
  // Open complaints first, the most overdue on top; answered ones after, newest first.
  complaints.sort((a, b) =>
    Boolean(a.answer) !== Boolean(b.answer)
      ? a.answer
        ? 1
        : -1
      : !a.answer
        ? (a.answerDueAt?.getTime() ?? 0) - (b.answerDueAt?.getTime() ?? 0)
        : b.createdAt.getTime() - a.createdAt.getTime(),
  );
  return {
    ratings,
    complaints,
    summary: {
      satisfied: ratings.filter((r) => r.satisfied).length,
      dissatisfied: ratings.filter((r) => !r.satisfied).length,
      open: complaints.filter((c) => !c.answer).length,
      overdue: complaints.filter((c) => c.overdue).length,
    },
  };
};

/** Vietnamese without diacritics, so an answer travels in GSM-7 (160 characters a segment). */
export const unaccent = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e\n]/g, '');

/** Records the answer and texts it to the phone on file, in one transaction; a complaint is answered once. */
export const answerComplaint = async (
  db: Db,
  opts: { id: string; answer: string; userId: string; officeIds: string[]; now?: Date },
) => {
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const [row] = await t
      .select({
        id: feedback.id,
        answer: feedback.answer,
        dossierId: dossiers.id,
        code: dossiers.code,
        phone: applicants.phone,
      })
      .from(feedback)
      .innerJoin(dossiers, eq(dossiers.id, feedback.dossierId))
      .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
      .where(
        and(
          eq(feedback.id, opts.id),
          eq(feedback.kind, 'complaint'),
          inArray(dossiers.receivingOfficeId, opts.officeIds),
        ),
      )
      .for('update', { of: feedback });
    if (!row) throw appError('COMPLAINT_NOT_FOUND');
    if (row.answer) throw appError('COMPLAINT_ALREADY_ANSWERED');
    const [updated] = await t
      .update(feedback)
      .set({ answer: opts.answer.trim(), answeredBy: opts.userId, answeredAt: now })
      .where(and(eq(feedback.id, opts.id), isNull(feedback.answer)))
      .returning({ id: feedback.id, answeredAt: feedback.answeredAt });
    if (!updated) throw appError('COMPLAINT_ALREADY_ANSWERED');
    if (row.phone) {
      await queueSms(t, {
        kind: 'complaint_answer',
        phone: row.phone,
        body: `PostDesk tra loi phan anh ho so ${row.code}: ${unaccent(opts.answer.trim())} Xem: ${WEB_TOKEN}/feedback`,
        dossierId: row.dossierId,
        key: `${row.dossierId}:complaint_answer:${row.id}`,
      });
    }
    return { id: updated.id, answeredAt: updated.answeredAt!, texted: Boolean(row.phone) };
  });
};
