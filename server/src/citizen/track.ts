import {
  appError,
  EVENT_WORDS,
  isTerminal,
  normalizePhone,
  parseDossierCode,
  STATE_WORDS,
} from '@postdesk/shared';
import { and, asc, desc, eq, inArray, lt, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { receiptTokenMatches } from './receipt-token';
import {
  applicants,
  courierTasks,
  dossierEvents,
  dossiers,
  feedback,
  offices,
  payments,
  procedures,
  procedureVersions,
} from '../db/schema';

/** States from which the citizen may still ask for the result to come home instead of to the desk. */
const DELIVERY_ASKABLE = new Set<string>([
  'received',
  'digitized',
  'forwarded',
  'in_review',
  'agency_supplement_requested',
  'awaiting_payment',
  'decided',
  'result_ready',
]);

/**
 * How a holder proves they hold a dossier: its code with the phone on file, or its code with the token of the
 * receipt's QR code (no phone needed). `secret` is the server secret the token is derived from.
 */
export type Holder = {
  code: string;
  phone?: string | undefined;
  token?: string | undefined;
  /** The id number of the citizen signed in with the e-ID: set by the server from their session, never typed. */
  eid?: string | undefined;
};

/**
 * Finds a dossier by code and the phone on file, by code and receipt token, or by code for the citizen signed
 * in with the e-ID whose id number the dossier's applicant carries. With a phone, a wrong code, a
 * wrong phone and a dossier without a phone all get TRACK_NOT_FOUND, so neither half can be probed on its own;
 * with a token, an unknown code and a wrong token both get TRACK_LINK_INVALID. `phone` is the one on file.
 */
export const findTrackable = async (db: Db, opts: Holder & { secret?: string }) => {
  const { code } = parseDossierCode(opts.code);
  const token = opts.token?.trim();
  // Signed in with the e-ID and no phone or token given: the dossier must be the person's own.
  const byEid = !token && !opts.phone?.trim() && Boolean(opts.eid);
  const phone = token || byEid ? null : normalizePhone(opts.phone ?? '');
  const [row] = await db
    .select({ dossier: dossiers, phone: applicants.phone, citizenId: applicants.citizenId })
    .from(dossiers)
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(eq(dossiers.code, code));
  if (byEid) {
    if (!row?.citizenId || row.citizenId !== opts.eid) throw appError('TRACK_NOT_FOUND');
    return { dossier: row.dossier, phone: row.phone, via: 'eid' as const };
  }
  if (token) {
    if (!row || !opts.secret || !receiptTokenMatches(opts.secret, row.dossier.id, token)) {
      throw appError('TRACK_LINK_INVALID');
    }
    return { dossier: row.dossier, phone: row.phone, via: 'receipt' as const };
  }
  if (!row?.phone || row.phone !== phone) throw appError('TRACK_NOT_FOUND');
  return { dossier: row.dossier, phone: row.phone, via: 'phone' as const };
};

/**
 * The courier's progress towards this citizen, never their position: how many stops on the same courier's
 * route that day come before this one and are not done yet, and the time window promised.
 */
const deliveryProgress = async (db: Db, dossierId: string) => {
  const [task] = await db
    .select()
    .from(courierTasks)
    .where(
      and(
        eq(courierTasks.dossierId, dossierId),
        eq(courierTasks.kind, 'delivery'),
        ne(courierTasks.state, 'cancelled'),
      ),
    )
    .orderBy(desc(courierTasks.createdAt))
    .limit(1);
  if (!task) return null;
  let stopsBefore: number | null = null;
  if (task.courierId && task.routeDay && task.sequence !== null && task.state === 'assigned') {
    const before = await db
      .select({ id: courierTasks.id })
      .from(courierTasks)
      .where(
        and(
          eq(courierTasks.courierId, task.courierId),
          eq(courierTasks.routeDay, task.routeDay),
          lt(courierTasks.sequence, task.sequence),
          inArray(courierTasks.state, ['open', 'assigned']),
        ),
      );
    stopsBefore = before.length;
  }
  return {
    state: task.state,
    routeDay: task.routeDay,
    windowStart: task.windowStart,
    windowEnd: task.windowEnd,
    stopsBefore,
  };
};

/**
 * What the holder of a receipt may know: the dossier's progress in plain words, its due time and what is
 * asked of them. Code and phone, or code and the receipt's token, must match (see findTrackable), and nothing
 * about the applicant is returned.
 */
export const trackDossier = async (db: Db, opts: Holder & { secret?: string; now?: Date }) => {
  const found = await findTrackable(db, opts);
  const [row] = await db
    .select({
      id: dossiers.id,
      code: dossiers.code,
      state: dossiers.state,
      receivedAt: dossiers.receivedAt,
      dueAt: dossiers.dueAt,
      returnMethod: dossiers.returnMethod,
      deliveryAddress: dossiers.deliveryAddress,
      intake: dossiers.intake,
      procedureName: procedures.name,
      officeName: offices.name,
      deliveryAllowed: procedureVersions.deliveryAllowed,
      postalTariff: procedureVersions.postalTariff,
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(procedureVersions, eq(procedureVersions.id, dossiers.procedureVersionId))
    .innerJoin(offices, eq(offices.id, dossiers.receivingOfficeId))
    .where(eq(dossiers.id, found.dossier.id));
  if (!row) throw appError('TRACK_NOT_FOUND');

  const events = await db
    .select({ event: dossierEvents.event, at: dossierEvents.at, payload: dossierEvents.payload })
    .from(dossierEvents)
    .where(eq(dossierEvents.dossierId, row.id))
    .orderBy(asc(dossierEvents.seq));
  const timeline = events.flatMap((e) => {
    const words = EVENT_WORDS[e.event as keyof typeof EVENT_WORDS];
    return words ? [{ at: e.at, vi: words.vi, en: words.en }] : [];
  });
  const now = opts.now ?? new Date();
  const progress = isTerminal(row.state)
    ? ('finished' as const)
    : row.dueAt && now > row.dueAt
      ? ('late' as const)
      : ('on_time' as const);
  const lastOf = (event: string) => [...events].reverse().find((e) => e.event === event)?.payload ?? {};
  const asks =
    row.state === 'supplement_requested'
      ? { kind: 'supplement' as const, items: row.intake?.missing ?? [] }
      : row.state === 'agency_supplement_requested'
        ? {
            kind: 'supplement' as const,
            items: (lastOf('request_supplement').missing as { item: string }[] | undefined) ?? [],
          }
        : row.state === 'awaiting_payment'
          ? {
              kind: 'payment' as const,
              amount: Number(lastOf('request_payment').amount ?? 0),
              reason: String(lastOf('request_payment').reason ?? ''),
            }
          : null;
  // Bills waiting to be paid online (the fee, the postal tariff, a financial obligation): the pay page's links.
  const bills = (
    await db
      .select({ billCode: payments.billCode, kind: payments.kind, amount: payments.amount })
      .from(payments)
      .where(and(eq(payments.dossierId, row.id), eq(payments.state, 'pending')))
      .orderBy(asc(payments.createdAt))
  ).flatMap((b) =>
    b.billCode ? [{ kind: b.kind, amount: b.amount, payPath: `/pay/${encodeURIComponent(b.billCode)}` }] : [],
  );
  const [rating] = await db
    .select({ id: feedback.id })
    .from(feedback)
    .where(and(eq(feedback.dossierId, row.id), eq(feedback.kind, 'rating')));
  const finishedWithResult = row.state === 'delivered' || row.state === 'returned';
  return {
    code: row.code!,
    procedureName: row.procedureName,
    officeName: row.officeName,
    state: row.state,
    stateWords: STATE_WORDS[row.state],
    receivedAt: row.receivedAt,
    dueAt: row.dueAt,
    progress,
    asks,
    /** Why the agency stopped processing, in its own words (only for a stopped dossier). */
    stopReason: row.state === 'stopped' ? String(lastOf('stop').reason ?? '') : null,
    delivery:
      row.returnMethod === 1
        ? { window: row.deliveryAddress?.window ?? 'any', progress: await deliveryProgress(db, row.id) }
        : null,
    bills,
    /** What the citizen can do from here. */
    actions: {
      askDelivery: row.returnMethod === 0 && row.deliveryAllowed && DELIVERY_ASKABLE.has(row.state),
      postalTariff: row.postalTariff,
      rate: finishedWithResult && !rating,
      rated: Boolean(rating),
      complain: finishedWithResult || !isTerminal(row.state),
    },
    timeline,
  };
};
