import { validateCitizenId, vietnamDate } from '@postdesk/shared';
import { and, desc, eq, gte, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { getProcedure } from '../catalog/queries';
import type { Db } from '../db/client';
import { applicants, auditLog, documents, dossiers, procedures } from '../db/schema';

/**
 * What the desk can know from an id number, and no more than the intake form needs (issue 13):
 * - the applicant's name, date of birth, sex and permanent address, as last given at a desk: what the id card
 *   in the clerk's hand already shows, prefilled to save typing;
 * - never a phone number or an email: contact belongs to the dossier it was given for, so the citizen standing
 *   at the desk gives theirs for this dossier, and other dossiers' contact (other offices') stays theirs;
 * - their digitized documents that can stand in for this procedure's components (reuse), by title and
 *   digitized code; the dossier (code, procedure) a document came from only when this office received it;
 * - structure warnings of the id number.
 * Every look-up is audited (who, office, when, which id number) and limited per clerk by the router.
 */
export const lookupApplicant = async (
  db: Db,
  opts: {
    citizenId: string;
    procedureCode: string;
    actor: { userId: string; officeId: string };
    requestId?: string;
    now?: Date;
  },
) => {
  const now = opts.now ?? new Date();
  const check = validateCitizenId(opts.citizenId, { now });
  const procedure = await getProcedure(db, { code: opts.procedureCode, day: vietnamDate(now) });
  const [applicant] = await db
    .select({
      fullName: applicants.fullName,
      dateOfBirth: applicants.dateOfBirth,
      sex: applicants.sex,
      address: applicants.address,
    })
    .from(applicants)
    .where(eq(applicants.citizenId, check.id))
    .orderBy(desc(applicants.createdAt))
    .limit(1);

  const wanted = procedure.components.filter((c) => c.docType);
  const types = [...new Set(wanted.map((c) => c.docType!))];
  const source = alias(dossiers, 'source_dossier');
  const found =
    types.length === 0
      ? []
      : await db
          .select({
            documentId: documents.id,
            docType: documents.docType,
            title: documents.title,
            digitizedCode: documents.digitizedCode,
            createdAt: documents.createdAt,
            validUntil: documents.validUntil,
            fromOfficeId: source.receivingOfficeId,
            fromDossierCode: source.code,
            fromProcedureName: procedures.name,
          })
          .from(documents)
          .leftJoin(source, eq(source.id, documents.dossierId))
          .leftJoin(procedures, eq(procedures.id, source.procedureId))
          .where(
            and(
              eq(documents.ownerCitizenId, check.id),
              inArray(documents.docType, types),
              isNotNull(documents.digitizedCode),
              or(isNull(documents.validUntil), gte(documents.validUntil, vietnamDate(now))),
            ),
          )
          .orderBy(desc(documents.createdAt));

  // The id number is personal data: it goes to the audit table (read by auditors), never to the log.
  await db.insert(auditLog).values({
    userId: opts.actor.userId,
    role: 'clerk',
    officeId: opts.actor.officeId,
    action: 'intake.lookup_applicant',
    target: check.id,
    requestId: opts.requestId ?? null,
    details: { procedureCode: procedure.code, found: Boolean(applicant), reusable: found.length },
  });

  const reusable = wanted.flatMap((component) =>
    found
      .filter((d) => d.docType === component.docType)
      .map((d) => ({
        documentId: d.documentId,
        componentCode: component.code,
        componentName: component.name,
        title: d.title,
        digitizedCode: d.digitizedCode!,
        createdAt: d.createdAt,
        validUntil: d.validUntil,
        ...(d.fromOfficeId === opts.actor.officeId
          ? { fromDossierCode: d.fromDossierCode, fromProcedureName: d.fromProcedureName }
          : { fromDossierCode: null, fromProcedureName: null }),
      })),
  );
  const sex: 'male' | 'female' | null =
    applicant?.sex === 'male' || applicant?.sex === 'female' ? applicant.sex : null;
  return {
    applicant: applicant
      ? {
          fullName: applicant.fullName,
          dateOfBirth: applicant.dateOfBirth,
          sex,
          address: applicant.address
            ? {
                line: applicant.address.line,
                communeCode: applicant.address.communeCode,
                provinceCode: applicant.address.provinceCode,
              }
            : null,
        }
      : null,
    warnings: check.warnings,
    reusable,
  };
};
