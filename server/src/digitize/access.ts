import { appError } from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { applicants, documentPages, documents, dossiers, procedures } from '../db/schema';

/** States in which the desk may still add or change scanned pages (the agency's supplement adds documents). */
const OPEN_FOR_SCANNING = new Set(['received', 'agency_supplement_requested']);

/** The dossier a clerk digitizes: only at the office that received it, and only while it is being digitized. */
export const getDossierToDigitize = async (
  db: Db,
  opts: { dossierId: string; officeId: string; forChange: boolean },
) => {
  const [row] = await db
    .select({
      id: dossiers.id,
      code: dossiers.code,
      state: dossiers.state,
      receivingOfficeId: dossiers.receivingOfficeId,
      intake: dossiers.intake,
      procedureCode: procedures.code,
      procedureName: procedures.name,
      citizenId: applicants.citizenId,
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(eq(dossiers.id, opts.dossierId));
  if (!row || row.receivingOfficeId !== opts.officeId) throw appError('DOSSIER_NOT_FOUND');
  if (opts.forChange && !OPEN_FOR_SCANNING.has(row.state)) {
    throw appError('TRANSITION_NOT_ALLOWED', {
      state: row.state,
      reason: 'digitization is closed for this dossier',
    });
  }
  return row;
};

/** A page with the dossier it belongs to, checked against the caller's office. */
export const getPageToChange = async (db: Db, opts: { pageId: string; officeId: string }) => {
  const [row] = await db
    .select({ page: documentPages, dossierId: documents.dossierId, signed: documents.signedFileSha256 })
    .from(documentPages)
    .innerJoin(documents, eq(documents.id, documentPages.documentId))
    .where(eq(documentPages.id, opts.pageId));
  if (!row?.dossierId) throw appError('NOT_FOUND');
  await getDossierToDigitize(db, { dossierId: row.dossierId, officeId: opts.officeId, forChange: true });
  if (row.signed) throw appError('CONFLICT', { reason: 'the component is already signed' });
  return row.page;
};
