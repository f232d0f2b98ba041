import {
  type Actor,
  allowedEvents,
  appError,
  type CalendarOptions,
  DEFAULT_OFFICE_HOURS,
  type DossierEvent,
  type DossierState,
  workingHoursBetween,
} from '@postdesk/shared';
import { and, asc, desc, eq, ilike, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import {
  applicants,
  documentPages,
  documents,
  dossierEvents,
  dossiers,
  offices,
  procedures,
  procedureVersions,
  users,
} from '../db/schema';
import { joinAddressOf } from './address';
import { boundWorkingHours, calendarFor } from './clock';

/** What the agency's inbox shows: dossiers with the agency, from forwarding until the result leaves. */
export const AGENCY_INBOX_STATES = [
  'forwarded',
  'in_review',
  'agency_supplement_requested',
  'awaiting_payment',
  'decided',
] as const satisfies readonly DossierState[];
export type AgencyInboxState = (typeof AGENCY_INBOX_STATES)[number];

export type DueFilter = 'all' | 'overdue' | 'due_soon';

/** Working hours left until the due time; while the clock is paused, what was left when it stopped. */
const hoursLeft = (
  row: { dueAt: Date | null; clockPausedAt: Date | null },
  now: Date,
  cal: CalendarOptions,
) => {
  if (!row.dueAt) return null;
  const from = row.clockPausedAt ?? now;
  try {
    return Math.round(workingHoursBetween(from, row.dueAt, cal) * 10) / 10;
  } catch {
    return null;
  }
};

/** The official's inbox: their agency's dossiers waiting for them, most urgent first. */
export const listAgencyInbox = async (
  db: Db,
  opts: {
    agencyId: string;
    states?: AgencyInboxState[];
    q?: string;
    due?: DueFilter;
    now?: Date;
    limit?: number;
  },
) => {
  const now = opts.now ?? new Date();
  const receiving = alias(offices, 'receiving');
  const states = opts.states?.length ? opts.states : [...AGENCY_INBOX_STATES];
  const q = opts.q?.trim();
  const rows = await db
    .select({
      id: dossiers.id,
      code: dossiers.code,
      state: dossiers.state,
      procedureCode: procedures.code,
      procedureName: procedures.name,
      applicantName: applicants.fullName,
      receivingOfficeId: dossiers.receivingOfficeId,
      receivingOfficeName: receiving.name,
      officeHours: receiving.officeHours,
      forwardedAt: dossiers.forwardedAt,
      dueAt: dossiers.dueAt,
      clockPausedAt: dossiers.clockPausedAt,
      supplementCount: dossiers.supplementCount,
      apologyCount: dossiers.apologyCount,
      channel: dossiers.channel,
      returnMethod: dossiers.returnMethod,
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(receiving, eq(receiving.id, dossiers.receivingOfficeId))
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(
      and(
        eq(dossiers.agencyId, opts.agencyId),
        inArray(dossiers.state, states),
        q
          ? or(
              ilike(dossiers.code, `%${q}%`),
              ilike(procedures.name, `%${q}%`),
              ilike(applicants.fullName, `%${q}%`),
            )
          : undefined,
      ),
    )
    .orderBy(sql`${dossiers.dueAt} asc nulls last`, asc(dossiers.forwardedAt))
    .limit(Math.min(opts.limit ?? 200, 500));
  const holidays = (await calendarFor(db, opts.agencyId)).holidays;
  const items = rows.map(({ officeHours, ...r }) => {
    const processing = r.state !== 'decided';
    const left = processing
      ? hoursLeft(r, now, { holidays, hours: officeHours ?? DEFAULT_OFFICE_HOURS })
      : null;
    return {
      ...r,
      hoursLeft: left,
      overdue:
        processing && r.dueAt !== null && r.clockPausedAt === null && r.dueAt.getTime() < now.getTime(),
    };
  });
  const due = opts.due ?? 'all';
  const filtered = items.filter((i) =>
    due === 'overdue'
      ? i.overdue
      : due === 'due_soon'
        ? !i.overdue && i.hoursLeft !== null && i.hoursLeft <= 8
        : true,
  );
  const counts = Object.fromEntries(AGENCY_INBOX_STATES.map((s) => [s, 0])) as Record<
    AgencyInboxState,
    number
  >;
  for (const i of items) counts[i.state as AgencyInboxState] += 1;
  return { items: filtered, counts, now };
};

/** The URL a staff page uses for one of the dossier's PDFs (checked against the dossier on every request). */
export const dossierFileUrl = (dossierId: string, sha256: string) =>
  `/agency-desk/dossiers/${dossierId}/files/${sha256}`;

const EVENT_ORDER = desc(dossierEvents.seq);

/** States after processing ended (decided, result out, returned, or closed). */
const FINISHED: readonly DossierState[] = [
  'decided',
  'result_ready',
  'out_for_delivery',
  'delivery_failed',
  'returned_to_agency',
  'delivered',
  'returned',
  'refused',
  'withdrawn',
  'stopped',
];

/**
 * One dossier as staff on either side of the hand-off see it: data, components with their signed PDFs, the
 * agency's supplement requests, the apology, the timeline with names, and the events this actor may cause
 * now (guards checked, so the apology button shows only while it is allowed).
 */
const dossierView = async (
  db: Db,
  opts: { dossierId: string; scope: { agencyId: string } | { officeId: string }; actor: Actor; now?: Date },
) => {
  const now = opts.now ?? new Date();
  const agency = alias(offices, 'agency');
  const receiving = alias(offices, 'receiving');
  const [row] = await db
    .select({
      dossier: dossiers,
      procedure: { code: procedures.code, name: procedures.name },
      processingHours: procedureVersions.processingHours,
      agencyName: agency.name,
      receivingName: receiving.name,
      receivingPhone: receiving.phone,
      applicant: {
        fullName: applicants.fullName,
        citizenId: applicants.citizenId,
        phone: applicants.phone,
        email: applicants.email,
        address: applicants.address,
        kind: applicants.kind,
      },
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(procedureVersions, eq(procedureVersions.id, dossiers.procedureVersionId))
    .innerJoin(agency, eq(agency.id, dossiers.agencyId))
    .innerJoin(receiving, eq(receiving.id, dossiers.receivingOfficeId))
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(eq(dossiers.id, opts.dossierId));
  const inScope =
    row &&
    ('agencyId' in opts.scope
      ? row.dossier.agencyId === opts.scope.agencyId
      : row.dossier.receivingOfficeId === opts.scope.officeId);
  if (!inScope) throw appError('DOSSIER_NOT_FOUND');
  const d = row.dossier;

  const docs = await db.select().from(documents).where(eq(documents.dossierId, d.id));
  const reusedIds = docs.map((x) => x.reusedFromId).filter((x): x is string => Boolean(x));
  const originals = reusedIds.length
    ? await db.select().from(documents).where(inArray(documents.id, reusedIds))
    : [];
  const pageCounts = new Map<string, number>();
  const allDocIds = [...docs.map((x) => x.id), ...originals.map((x) => x.id)];
  if (allDocIds.length) {
    const counts = await db
      .select({ documentId: documentPages.documentId, n: sql<number>`count(*)::int` })
      .from(documentPages)
      .where(inArray(documentPages.documentId, allDocIds))
      .groupBy(documentPages.documentId);
    for (const c of counts) pageCounts.set(c.documentId, Number(c.n));
  }
  const components = (d.intake?.components ?? [])
    .filter((c) => c.present)
    .map((c) => {
      const scan = docs.find((x) => x.componentCode === c.code && x.source === 'scan' && x.signedFileSha256);
      const reuse = docs.find((x) => x.componentCode === c.code && x.source === 'reuse');
      const original = reuse ? originals.find((o) => o.id === reuse.reusedFromId) : undefined;
      const file = scan ?? original;
      const sha = file?.signedFileSha256 ?? null;
      const round = /^BS(\d+)_/.exec(c.code)?.[1];
      return {
        code: c.code,
        name: c.name,
        form: c.form,
        copies: c.copies,
        supplementRound: round ? Number(round) : null,
        source: scan ? ('scan' as const) : original ? ('reuse' as const) : null,
        digitizedCode: file?.digitizedCode ?? null,
        fileUrl: sha ? dossierFileUrl(d.id, sha) : null,
        pages: file ? Math.max(1, pageCounts.get(file.id) ?? 1) : 0,
      };
    });

  const actorUser = alias(users, 'actor_user');
  const actorOffice = alias(offices, 'actor_office');
  const events = await db
    .select({
      seq: dossierEvents.seq,
      event: dossierEvents.event,
      fromState: dossierEvents.fromState,
      toState: dossierEvents.toState,
      at: dossierEvents.at,
      role: dossierEvents.role,
      actorKind: dossierEvents.actorKind,
      actorName: actorUser.fullName,
      officeName: actorOffice.name,
      payload: dossierEvents.payload,
    })
    .from(dossierEvents)
    .leftJoin(actorUser, eq(actorUser.id, dossierEvents.actorUserId))
    .leftJoin(actorOffice, eq(actorOffice.id, dossierEvents.officeId))
    .where(eq(dossierEvents.dossierId, d.id))
    .orderBy(EVENT_ORDER);

  const supplements = events
    .filter((e) => e.event === 'request_supplement')
    .map((e) => {
      const p = e.payload as {
        round?: number;
        items?: { item: string; note?: string }[];
        countsLate?: boolean;
      };
      return {
        round: p.round ?? 1,
        items: p.items ?? [],
        countsLate: Boolean(p.countsLate),
        at: e.at,
        by: e.actorName,
      };
    })
    .reverse();
  const lastForward = events.find((e) => e.event === 'forward');
  const paperHandOverBy =
    typeof lastForward?.payload.paperHandOverBy === 'string'
      ? new Date(lastForward.payload.paperHandOverBy)
      : null;
  const apologyEvent = events.find((e) => e.event === 'apologize_and_extend');
  const apology = apologyEvent
    ? (() => {
        const p = apologyEvent.payload as { reason?: string; newDueAt?: string; previousDueAt?: string };
        return {
          reason: p.reason ?? '',
          newDueAt: p.newDueAt ? new Date(p.newDueAt) : null,
          previousDueAt: p.previousDueAt ? new Date(p.previousDueAt) : null,
          at: apologyEvent.at,
        };
      })()
    : null;

  const cal = await calendarFor(db, d.receivingOfficeId);
  let allowed: DossierEvent[] = [];
  try {
    allowed = allowedEvents(d.state, opts.actor, {
      now,
      dueAt: d.dueAt,
      apologyCount: d.apologyCount,
      workingHoursBetween: boundWorkingHours(cal),
    });
  } catch {
    allowed = allowedEvents(d.state, opts.actor).filter((e) => e !== 'apologize_and_extend');
  }
  const processing = !FINISHED.includes(d.state);
  const address = row.applicant?.address ? await joinAddressOf(db, row.applicant.address) : null;
  const delivery = d.deliveryAddress ? await joinAddressOf(db, d.deliveryAddress) : null;
  return {
    id: d.id,
    code: d.code,
    state: d.state,
    procedure: row.procedure,
    processingDays: row.processingHours / 8,
    agency: { id: d.agencyId, name: row.agencyName },
    receivingOffice: { id: d.receivingOfficeId, name: row.receivingName, phone: row.receivingPhone },
    applicant: row.applicant
      ? {
          fullName: row.applicant.fullName,
          citizenId: row.applicant.citizenId,
          phone: row.applicant.phone,
          email: row.applicant.email,
          address,
          kind: row.applicant.kind,
        }
      : null,
    channel: d.channel,
    returnMethod: d.returnMethod,
    deliveryAddress: delivery,
    receivedAt: d.receivedAt,
    dueAt: d.dueAt,
    forwardedAt: d.forwardedAt,
    /** When the paper dossier is due at the agency (15:00 rule), from the forward. */
    paperHandOverBy,
    clockPausedAt: d.clockPausedAt,
    // Once the agency has decided, the processing clock has stopped: no time left to show.
    hoursLeft: processing ? hoursLeft(d, now, cal) : null,
    overdue: processing && d.dueAt !== null && d.clockPausedAt === null && d.dueAt.getTime() < now.getTime(),
    supplementCount: d.supplementCount,
    apologyCount: d.apologyCount,
    paperResult: d.paperResult,
    decision: d.decision,
    resultFileUrl: d.resultFileSha256 ? dossierFileUrl(d.id, d.resultFileSha256) : null,
    fees: d.intake?.fees ?? [],
    components,
    supplements,
    apology,
    allowed,
    timeline: events.map(({ payload: _p, ...e }) => e),
  };
};

export type DossierView = Awaited<ReturnType<typeof dossierView>>;

/** The dossier as the deciding agency's official sees it. */
export const getAgencyDossier = (db: Db, opts: { dossierId: string; agencyId: string; now?: Date }) =>
  dossierView(db, {
    dossierId: opts.dossierId,
    scope: { agencyId: opts.agencyId },
    actor: 'agency_official',
    ...(opts.now ? { now: opts.now } : {}),
  });

/** The dossier as the receiving desk's clerk sees it. */
export const getDeskDossier = (db: Db, opts: { dossierId: string; officeId: string; now?: Date }) =>
  dossierView(db, {
    dossierId: opts.dossierId,
    scope: { officeId: opts.officeId },
    actor: 'clerk',
    ...(opts.now ? { now: opts.now } : {}),
  });

/** Whether a stored file is one of this dossier's PDFs (a component's signed copy, a reused one, or the result). */
export const dossierOwnsFile = async (
  db: Db,
  opts: { dossierId: string; sha256: string },
): Promise<{ agencyId: string; receivingOfficeId: string } | null> => {
  const [d] = await db
    .select({
      agencyId: dossiers.agencyId,
      receivingOfficeId: dossiers.receivingOfficeId,
      result: dossiers.resultFileSha256,
    })
    .from(dossiers)
    .where(eq(dossiers.id, opts.dossierId));
  if (!d) return null;
  if (d.result === opts.sha256) return d;
  const [own] = await db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.dossierId, opts.dossierId), eq(documents.signedFileSha256, opts.sha256)))
    .limit(1);
  if (own) return d;
  const original = alias(documents, 'original');
  const [reused] = await db
    .select({ id: original.id })
    .from(documents)
    .innerJoin(original, eq(original.id, documents.reusedFromId))
    .where(
      and(
        eq(documents.dossierId, opts.dossierId),
        isNotNull(documents.reusedFromId),
        eq(original.signedFileSha256, opts.sha256),
      ),
    )
    .limit(1);
  return reused ? d : null;
};
