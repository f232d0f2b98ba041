import { appError, parseDossierCode } from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { dossiers, offices, procedures } from '../db/schema';
import type { Membership } from '../trpc/init';

/** Staff see a dossier only from the office that received it or the agency that decides it. */
export const getDossierForStaff = async (db: Db, opts: { idOrCode: string; membership: Membership }) => {
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(opts.idOrCode);
  // A typed code that cannot be one gets DOSSIER_CODE_INVALID, so the clerk knows to re-read the receipt.
  const code = byId ? null : parseDossierCode(opts.idOrCode).code;
  const [row] = await db
    .select({
      id: dossiers.id,
      code: dossiers.code,
      state: dossiers.state,
      channel: dossiers.channel,
      returnMethod: dossiers.returnMethod,
      receivedAt: dossiers.receivedAt,
      dueAt: dossiers.dueAt,
      supplementCount: dossiers.supplementCount,
      receivingOfficeId: dossiers.receivingOfficeId,
      agencyId: dossiers.agencyId,
      procedure: { code: procedures.code, name: procedures.name },
      agencyName: offices.name,
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(offices, eq(offices.id, dossiers.agencyId))
    .where(code ? eq(dossiers.code, code) : eq(dossiers.id, opts.idOrCode));
  const visible =
    row &&
    (opts.membership.role === 'admin' ||
      row.receivingOfficeId === opts.membership.officeId ||
      row.agencyId === opts.membership.officeId);
  // Not found and not yours look the same, so codes cannot be probed.
  if (!visible) throw appError('DOSSIER_NOT_FOUND');
  return row;
};
