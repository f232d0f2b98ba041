import { validateCitizenId, vietnamDate } from '@postdesk/shared';
import { and, desc, eq, gte, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { getProcedure } from '../catalog/queries';
import type { Db } from '../db/client';
import { applicants, documents, dossiers, procedures } from '../db/schema';

/**
 * What the desk can know from an id number: the applicant's details from earlier dossiers, structure
 * warnings, and their digitized documents that can stand in for this procedure's components (reuse).
 */
export const lookupApplicant = async (
  db: Db,
  opts: { citizenId: string; procedureCode: string; now?: Date },
) => {
  const now = opts.now ?? new Date();
  const check = validateCitizenId(opts.citizenId, { now });
  const procedure = await getProcedure(db, { code: opts.procedureCode, day: vietnamDate(now) });
  const [applicant] = await db
    .select({
      fullName: applicants.fullName,
      dateOfBirth: applicants.dateOfBirth,
      sex: applicants.sex,
      phone: applicants.phone,
      email: applicants.email,
      address: applicants.address,
    })
    .from(applicants)
    .where(eq(applicants.citizenId, check.id));

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

  const reusable = wanted.flatMap((component) =>
    found
      .filter((d) => d.docType === component.docType)
      .map((d) => ({
        documentId: d.documentId,
        componentCode: component.code,
        componentName: component.name,
        title: d.title,
        digitizedCode: d.digitizedCode!,
        fromDossierCode: d.fromDossierCode,
        fromProcedureName: d.fromProcedureName,
        createdAt: d.createdAt,
        validUntil: d.validUntil,
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
          phone: applicant.phone,
          email: applicant.email,
          address: applicant.address,
        }
      : null,
    warnings: check.warnings,
    reusable,
  };
};
