import { appError } from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type AddressJson, type applicants, type dossiers, offices } from '../db/schema';
import type { FormOffice } from '../forms';

/** An office as the printed forms name it (the desk, or the agency). */
export const formOffice = async (db: Db, officeId: string): Promise<FormOffice> => {
  const [row] = await db
    .select({ name: offices.name, code: offices.code, address: offices.address, phone: offices.phone })
    .from(offices)
    .where(eq(offices.id, officeId));
  if (!row) throw appError('NOT_FOUND');
  return { name: row.name, code: row.code, address: row.address, ...(row.phone ? { phone: row.phone } : {}) };
};

/** Staff see a dossier's forms only from the office that received it or the agency that decides it. */
export function assertFormVisible<T extends { dossier: typeof dossiers.$inferSelect }>(
  row: T | undefined,
  opts: { officeIds: string[]; isAdmin: boolean },
): asserts row is T {
  const visible =
    row &&
    (opts.isAdmin ||
      opts.officeIds.includes(row.dossier.receivingOfficeId) ||
      opts.officeIds.includes(row.dossier.agencyId));
  if (!visible) throw appError('DOSSIER_NOT_FOUND');
}

type ApplicantRow = Pick<
  typeof applicants.$inferSelect,
  'fullName' | 'citizenId' | 'phone' | 'email' | 'address'
> | null;

/** The applicant as the forms print it; `address` turns the stored address into one line. */
export const formApplicant = async (
  applicant: ApplicantRow,
  address: (stored: AddressJson) => Promise<string | null>,
) => ({
  fullName: applicant?.fullName ?? '',
  citizenId: applicant?.citizenId ?? null,
  phone: applicant?.phone ?? null,
  email: applicant?.email ?? null,
  address: applicant?.address ? await address(applicant.address) : null,
});
