import { appError, vietnamDate } from '@postdesk/shared';
import { and, asc, desc, eq, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, communes, competenceAssignments, offices, procedures } from '../db/schema';

/** Offices that may decide a dossier: state agencies and commune People's Committees, never a post office. */
export const DECIDING_KINDS = ['agency', 'commune_committee'] as const;

type ProcedureRef = {
  id: string;
  level: 'province' | 'commune';
  /** With its code and name when the caller has them (no query is then needed for them). */
  agency: { id: string; code?: string; name?: string };
};

export type DecidingAgency = {
  id: string;
  code: string;
  name: string;
  /** `assignment`: a row of the table; `procedure`: no row for this commune, the procedure's published agency. */
  source: 'assignment' | 'procedure';
  assignmentId: string | null;
  /** The commune competence was resolved for (the applicant's residence or the event's place). */
  communeCode: string;
};

const agencyById = async (db: Db, id: string) => {
  const [row] = await db
    .select({ id: offices.id, code: offices.code, name: offices.name, kind: offices.kind })
    .from(offices)
    .where(eq(offices.id, id));
  return row;
};

/**
 * The agency that decides a dossier of `procedure` whose competence commune is `communeCode`, on `day`
 * (Vietnam date): the procedure's own assignment rows win over level-wide ones; among them the latest
 * `effectiveFrom` on or before `day`. With no row, the procedure's published agency (its catalogue entry).
 */
export const resolveDecidingAgency = async (
  db: Db,
  opts: { procedure: ProcedureRef; communeCode: string; day: string },
): Promise<DecidingAgency> => {
  // The assignment in force with its agency in one statement; without one, the procedure's published agency.
  const [row] = await db
    .select({
      id: competenceAssignments.id,
      agencyId: offices.id,
      code: offices.code,
      name: offices.name,
    })
    .from(competenceAssignments)
    .innerJoin(offices, eq(offices.id, competenceAssignments.agencyId))
    .where(
      and(
        eq(competenceAssignments.communeCode, opts.communeCode),
        eq(competenceAssignments.level, opts.procedure.level),
        or(
          eq(competenceAssignments.procedureId, opts.procedure.id),
          isNull(competenceAssignments.procedureId),
        ),
        lte(competenceAssignments.effectiveFrom, opts.day),
      ),
    )
    // Procedure-specific first (non-null sorts before null descending), then the newest in force.
    .orderBy(
      desc(competenceAssignments.procedureId),
      desc(competenceAssignments.effectiveFrom),
      desc(competenceAssignments.createdAt),
    )
    .limit(1);
  const agency = row
    ? { id: row.agencyId, code: row.code, name: row.name }
    : opts.procedure.agency.code !== undefined && opts.procedure.agency.name !== undefined
      ? (opts.procedure.agency as { id: string; code: string; name: string })
      : await agencyById(db, opts.procedure.agency.id);
  if (!agency) throw appError('AGENCY_UNKNOWN');
  return {
    id: agency.id,
    code: agency.code,
    name: agency.name,
    source: row ? 'assignment' : 'procedure',
    assignmentId: row?.id ?? null,
    communeCode: opts.communeCode,
  };
};

/** An office a clerk or administrator names as the deciding agency: it must exist and be able to decide. */
export const decidingAgencyByCode = async (db: Db, code: string) => {
  const [row] = await db
    .select({ id: offices.id, code: offices.code, name: offices.name })
    .from(offices)
    .where(and(eq(offices.code, code), inArray(offices.kind, [...DECIDING_KINDS])));
  if (!row) throw appError('AGENCY_UNKNOWN', { code });
  return row;
};

export type AssignmentRow = {
  level: 'province' | 'commune';
  procedureCode?: string | undefined;
  communeCode: string;
  agencyCode: string;
  effectiveFrom: string;
  note?: string | undefined;
};

/**
 * Adds assignment rows (the admin page's form, or an import of many). Rows are never edited: a change is a
 * new row from its effective date, so a dossier received earlier is still explained by the row it got. A date
 * before today is refused: it would rewrite what already happened (dossiers keep the agency they were given).
 * Everything is checked before anything is written; the import is audited as one action.
 */
export const addAssignments = async (
  db: Db,
  opts: { rows: AssignmentRow[]; actor: { userId: string; requestId?: string }; now?: Date },
) => {
  const today = vietnamDate(opts.now ?? new Date());
  const problems: { row: number; field: string }[] = [];
  const procedureCodes = [...new Set(opts.rows.flatMap((r) => (r.procedureCode ? [r.procedureCode] : [])))];
  const procs =
    procedureCodes.length > 0
      ? await db
          .select({ id: procedures.id, code: procedures.code, level: procedures.level })
          .from(procedures)
          .where(inArray(procedures.code, procedureCodes))
      : [];
  const communeRows = await db
    .select({ code: communes.code })
    .from(communes)
    .where(inArray(communes.code, [...new Set(opts.rows.map((r) => r.communeCode))]));
  const agencies = await db
    .select({ id: offices.id, code: offices.code })
    .from(offices)
    .where(
      and(
        inArray(offices.code, [...new Set(opts.rows.map((r) => r.agencyCode))]),
        inArray(offices.kind, [...DECIDING_KINDS]),
      ),
    );
  const values = opts.rows.map((r, i) => {
    const procedure = r.procedureCode ? procs.find((p) => p.code === r.procedureCode) : undefined;
    if (r.procedureCode && (!procedure || procedure.level !== r.level))
      problems.push({ row: i, field: 'procedureCode' });
    if (!communeRows.some((c) => c.code === r.communeCode)) problems.push({ row: i, field: 'communeCode' });
    const agency = agencies.find((a) => a.code === r.agencyCode);
    if (!agency) problems.push({ row: i, field: 'agencyCode' });
    if (r.effectiveFrom < today) problems.push({ row: i, field: 'effectiveFrom' });
    return {
      level: r.level,
      procedureId: procedure?.id ?? null,
      communeCode: r.communeCode,
      agencyId: agency?.id ?? '',
      effectiveFrom: r.effectiveFrom,
      note: r.note?.trim() || null,
      createdBy: opts.actor.userId,
    };
  });
  if (problems.length > 0) throw appError('COMPETENCE_ROWS_INVALID', { problems });
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(competenceAssignments)
      .values(values)
      .returning({ id: competenceAssignments.id });
    await tx.insert(auditLog).values({
      userId: opts.actor.userId,
      action: 'competence.assigned',
      target: null,
      details: { rows: opts.rows, ids: inserted.map((r) => r.id) },
      ...(opts.actor.requestId ? { requestId: opts.actor.requestId } : {}),
    });
    return { added: inserted.length };
  });
};

/** Every assignment row with its procedure, commune and agency, newest first within a commune. */
export const findAssignments = (db: Db, opts: { communeCode?: string } = {}) =>
  db
    .select({
      id: competenceAssignments.id,
      level: competenceAssignments.level,
      procedureCode: procedures.code,
      procedureName: procedures.name,
      communeCode: competenceAssignments.communeCode,
      communeName: communes.name,
      agencyCode: offices.code,
      agencyName: offices.name,
      effectiveFrom: competenceAssignments.effectiveFrom,
      note: competenceAssignments.note,
      createdAt: competenceAssignments.createdAt,
    })
    .from(competenceAssignments)
    .innerJoin(communes, eq(communes.code, competenceAssignments.communeCode))
    .innerJoin(offices, eq(offices.id, competenceAssignments.agencyId))
    .leftJoin(procedures, eq(procedures.id, competenceAssignments.procedureId))
    .where(opts.communeCode ? eq(competenceAssignments.communeCode, opts.communeCode) : undefined)
    .orderBy(
      asc(communes.name),
      asc(competenceAssignments.level),
      asc(procedures.code),
      desc(competenceAssignments.effectiveFrom),
    );

/** Which commune decides: the event's place for procedures decided there (when given), else the residence. */
export const competenceCommune = (
  basis: 'residence' | 'event_place',
  opts: { residence: string; eventPlace?: string | undefined },
) => (basis === 'event_place' && opts.eventPlace ? opts.eventPlace : opts.residence);

/**
 * The deciding agency of a dossier at intake: the assignment table's answer, or the clerk's choice with a
 * reason (recorded in the dossier's first event). `record` is that event's `decidingAgency` payload.
 */
export const decideAtIntake = async (
  db: Db,
  opts: {
    procedure: ProcedureRef & { competenceBasis: 'residence' | 'event_place' };
    residence: string;
    eventPlace?: string | undefined;
    choice?: { code: string; reason?: string | undefined } | undefined;
    day: string;
  },
) => {
  const communeCode = competenceCommune(opts.procedure.competenceBasis, opts);
  const assigned = await resolveDecidingAgency(db, { procedure: opts.procedure, communeCode, day: opts.day });
  const base = {
    communeCode,
    basis: opts.procedure.competenceBasis,
    assignmentId: assigned.assignmentId,
  };
  if (!opts.choice || opts.choice.code === assigned.code) {
    return {
      agency: assigned,
      record: { ...base, agencyCode: assigned.code, source: assigned.source },
    };
  }
  const reason = opts.choice.reason?.trim() ?? '';
  if (reason.length < 5) throw appError('AGENCY_CHANGE_REASON_REQUIRED');
  const chosen = await decidingAgencyByCode(db, opts.choice.code);
  return {
    agency: { ...chosen, source: 'clerk' as const, assignmentId: null, communeCode },
    record: { ...base, agencyCode: chosen.code, source: 'clerk', assignedAgencyCode: assigned.code, reason },
  };
};
