import { appError, parseProcedureCode } from '@postdesk/shared';
import { and, asc, eq, gt, ilike, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { communes, offices, procedures, procedureVersions, provinces } from '../db/schema';

const HOURS_PER_DAY = 8;

const inForce = (day: string) =>
  and(
    lte(procedureVersions.effectiveFrom, day),
    or(isNull(procedureVersions.effectiveTo), gt(procedureVersions.effectiveTo, day)),
  );

const summaryColumns = {
  id: procedures.id,
  code: procedures.code,
  name: procedures.name,
  field: procedures.field,
  level: procedures.level,
  agency: { id: offices.id, code: offices.code, name: offices.name },
  versionId: procedureVersions.id,
  version: procedureVersions.version,
  processingHours: procedureVersions.processingHours,
  pickupAllowed: procedureVersions.pickupAllowed,
  deliveryAllowed: procedureVersions.deliveryAllowed,
  fees: procedureVersions.fees,
  postalTariff: procedureVersions.postalTariff,
};

const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

const withDays = <T extends { processingHours: number }>(row: T) => ({
  ...row,
  processingWorkingDays: row.processingHours / HOURS_PER_DAY,
});

/** Procedures in force on `day` (Vietnam date), optionally filtered by a code or name fragment and an agency. */
export const findProcedures = async (db: Db, opts: { q?: string; agencyCode?: string; day?: string } = {}) => {
  const filters: (SQL | undefined)[] = [inForce(opts.day ?? today())];
  if (opts.q) filters.push(or(ilike(procedures.code, `${opts.q}%`), ilike(procedures.name, `%${opts.q}%`)));
  if (opts.agencyCode) filters.push(eq(offices.code, opts.agencyCode));
  const list = await db
    .select(summaryColumns)
    .from(procedures)
    .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
    .innerJoin(offices, eq(offices.id, procedures.agencyId))
    .where(and(...filters))
    .orderBy(asc(procedures.name));
  return list.map(withDays);
};

/** One procedure with the version in force on `day`; PROCEDURE_NOT_FOUND when there is none. */
export const getProcedure = async (db: Db, opts: { code: string; day?: string }) => {
  const { procedureCode: code } = parseProcedureCode(opts.code);
  const [row] = await db
    .select({
      ...summaryColumns,
      components: procedureVersions.components,
      legalBasis: procedureVersions.legalBasis,
      resultName: procedureVersions.resultName,
      resultIsPaper: procedureVersions.resultIsPaper,
      effectiveFrom: procedureVersions.effectiveFrom,
    })
    .from(procedures)
    .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
    .innerJoin(offices, eq(offices.id, procedures.agencyId))
    .where(and(eq(procedures.code, code), inForce(opts.day ?? today())));
  if (!row) throw appError('PROCEDURE_NOT_FOUND', { code: opts.code });
  return withDays(row);
};

export const findOffices = (db: Db) =>
  db
    .select({
      id: offices.id,
      code: offices.code,
      scheme: offices.scheme,
      name: offices.name,
      kind: offices.kind,
      address: offices.address,
      communeCode: offices.communeCode,
      lat: offices.lat,
      lng: offices.lng,
    })
    .from(offices)
    .orderBy(asc(offices.kind), asc(offices.name));

export const findCommunes = (db: Db) =>
  db
    .select({
      code: communes.code,
      name: communes.name,
      kind: communes.kind,
      provinceCode: communes.provinceCode,
      provinceName: provinces.name,
    })
    .from(communes)
    .innerJoin(provinces, eq(provinces.code, communes.provinceCode))
    .orderBy(asc(communes.name));
