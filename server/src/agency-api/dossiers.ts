import { appError, DOSSIER_STATES, type DossierState, portalStatusOf } from '@postdesk/shared';
import { and, asc, eq, gt, inArray, isNotNull, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { applicants, documents, dossiers, procedures } from '../db/schema';

/** States before the dossier reaches the agency (the lifecycle lists them first, in DOSSIER_STATES). */
type BeforeAgencyState = (typeof DOSSIER_STATES)[number] &
  (
    | 'pickup_requested'
    | 'pickup_assigned'
    | 'picked_up'
    | 'draft'
    | 'supplement_requested'
    | 'refused'
    | 'received'
    | 'digitized'
  );
export type AgencyVisibleState = Exclude<DossierState, BeforeAgencyState>;

/** States an agency's system may list: the dossier has reached the agency at least once (from 'forwarded' on). */
export const AGENCY_VISIBLE_STATES = DOSSIER_STATES.slice(
  DOSSIER_STATES.indexOf('forwarded'),
) as unknown as readonly [AgencyVisibleState, ...AgencyVisibleState[]];

type DossierRow = typeof dossiers.$inferSelect;

const base = (apiBase: string, code: string) => `${apiBase}/dossiers/${encodeURIComponent(code)}`;

/** One dossier of the agency by code; another agency's dossier, or one never forwarded, is simply not found. */
export const findAgencyDossier = async (db: Db, agencyId: string, code: string) => {
  const [row] = await db
    .select()
    .from(dossiers)
    .where(and(eq(dossiers.code, code), eq(dossiers.agencyId, agencyId), isNotNull(dossiers.forwardedAt)));
  if (!row) throw appError('DOSSIER_NOT_FOUND');
  return row;
};

/** The files an agency may download for a dossier: its signed components and its result. */
export const dossierFileShas = async (db: Db, row: DossierRow) => {
  const docs = await db
    .select({ sha: documents.signedFileSha256 })
    .from(documents)
    .where(and(eq(documents.dossierId, row.id), isNotNull(documents.signedFileSha256)));
  return new Set([...docs.map((d) => d.sha!), ...(row.resultFileSha256 ? [row.resultFileSha256] : [])]);
};

/** The dossier as the agency's system receives it: its data, the applicant, and links to the signed files. */
export const agencyDossierView = async (db: Db, row: DossierRow, apiBase: string) => {
  const code = row.code!;
  const [procedure] = await db
    .select({ code: procedures.code, name: procedures.name, field: procedures.field })
    .from(procedures)
    .where(eq(procedures.id, row.procedureId));
  const [applicant] = row.applicantId
    ? await db
        .select({
          kind: applicants.kind,
          fullName: applicants.fullName,
          citizenId: applicants.citizenId,
          dateOfBirth: applicants.dateOfBirth,
          phone: applicants.phone,
          email: applicants.email,
          address: applicants.address,
        })
        .from(applicants)
        .where(eq(applicants.id, row.applicantId))
    : [];
  const docs = await db
    .select({
      componentCode: documents.componentCode,
      title: documents.title,
      digitizedCode: documents.digitizedCode,
      source: documents.source,
      signedFileSha256: documents.signedFileSha256,
    })
    .from(documents)
    .where(eq(documents.dossierId, row.id))
    .orderBy(asc(documents.componentCode));
  const fileUrl = (sha: string) => `${base(apiBase, code)}/files/${sha}`;
  const components = (row.intake?.components ?? []).map((c) => {
    const doc = docs.find((d) => d.componentCode === c.code);
    return {
      code: c.code,
      name: c.name,
      required: c.required,
      form: c.form,
      copies: c.copies,
      digitizedCode: doc?.digitizedCode ?? null,
      source: doc?.source ?? null,
      file: doc?.signedFileSha256
        ? { sha256: doc.signedFileSha256, mime: 'application/pdf', url: fileUrl(doc.signedFileSha256) }
        : null,
    };
  });
  return {
    code,
    state: row.state,
    portalStatus: portalStatusOf(row.state, { fromPortal: row.fromPortal }),
    procedure: procedure ?? null,
    channel: row.channel,
    returnMethod: row.returnMethod,
    receivedAt: row.receivedAt,
    dueAt: row.dueAt,
    forwardedAt: row.forwardedAt,
    clockPausedAt: row.clockPausedAt,
    supplementCount: row.supplementCount,
    apologyCount: row.apologyCount,
    decision: row.decision ?? null,
    paperResult: row.paperResult,
    applicant: applicant ?? null,
    fees: row.intake?.fees ?? [],
    components,
    result: row.resultFileSha256
      ? { sha256: row.resultFileSha256, mime: 'application/pdf', url: fileUrl(row.resultFileSha256) }
      : null,
    links: {
      self: base(apiBase, code),
      accept: `${base(apiBase, code)}/accept`,
      supplementRequest: `${base(apiBase, code)}/supplement-request`,
      decision: `${base(apiBase, code)}/decision`,
      result: `${base(apiBase, code)}/result`,
      apology: `${base(apiBase, code)}/apology`,
    },
  };
};

/**
 * The agency's dossiers in the given states, oldest hand-over first, `limit` at a time; `after` is the last
 * code of the previous page (the cursor the answer gives as `next`).
 */
export const listAgencyDossiers = async (
  db: Db,
  opts: { agencyId: string; states: AgencyVisibleState[]; limit: number; after?: string; apiBase: string },
) => {
  let cursor: { forwardedAt: Date; code: string } | null = null;
  if (opts.after) {
    const [c] = await db
      .select({ forwardedAt: dossiers.forwardedAt, code: dossiers.code })
      .from(dossiers)
      .where(and(eq(dossiers.code, opts.after), eq(dossiers.agencyId, opts.agencyId)));
    if (c?.forwardedAt && c.code) cursor = { forwardedAt: c.forwardedAt, code: c.code };
  }
  const rows = await db
    .select()
    .from(dossiers)
    .where(
      and(
        eq(dossiers.agencyId, opts.agencyId),
        isNotNull(dossiers.forwardedAt),
        inArray(dossiers.state, opts.states),
        cursor
          ? or(
              gt(dossiers.forwardedAt, cursor.forwardedAt),
              and(eq(dossiers.forwardedAt, cursor.forwardedAt), gt(dossiers.code, cursor.code)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(dossiers.forwardedAt), asc(dossiers.code))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  return {
    dossiers: await Promise.all(page.map((r) => agencyDossierView(db, r, opts.apiBase))),
    next: rows.length > opts.limit ? (page.at(-1)?.code ?? null) : null,
  };
};
