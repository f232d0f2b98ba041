import { appError, processingTimeOf, processingTimeText } from '@postdesk/shared';
import { and, asc, eq, gte, isNotNull, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { getProcedure } from '../catalog/queries';
import { receiptTrackingUrl } from '../citizen/receipt-token';
import type { Db } from '../db/client';
import {
  type AddressJson,
  applicants,
  auditLog,
  communes,
  dossiers,
  offices,
  procedures,
  procedureVersions,
  provinces,
} from '../db/schema';
import {
  renderGuidance,
  renderReceipt,
  renderRefusal,
  renderSupplementRequest,
  renderTrackingBook,
} from '../forms';
import { joinAddress, resolveAddress } from './address';
import { assertFormVisible, formApplicant, formOffice } from './form-parties';
import { vietnamDayRange } from './desk';
import { receivingPartyOf } from './departments';

export type DeskForm = 'mau01' | 'mau02' | 'mau03';

const fullAddress = async (db: Db, address: AddressJson | null) =>
  address ? (await resolveAddress(db, { line: address.line, communeCode: address.communeCode })).full : null;

/**
 * Mẫu 01/02/03 of a dossier, rendered from what was recorded at the desk, so a reprint is the same form.
 * Staff see it only from the office that received the dossier or the agency that decides it.
 */
export const renderDossierForm = async (
  db: Db,
  opts: {
    dossierId: string;
    form: DeskForm;
    officeIds: string[];
    isAdmin: boolean;
    publicUrl: string;
    /** The server secret the receipt's QR token is derived from. */
    secret: string;
    /** Who prints it: a Mẫu 01 carries the dossier's receipt token, so every print is audited. */
    userId?: string;
  },
) => {
  const agency = alias(offices, 'agency');
  const [row] = await db
    .select({
      dossier: dossiers,
      procedure: { code: procedures.code, name: procedures.name },
      processingHours: procedureVersions.processingHours,
      processingUnit: procedureVersions.processingUnit,
      processingAmount: procedureVersions.processingAmount,
      applicant: {
        fullName: applicants.fullName,
        citizenId: applicants.citizenId,
        phone: applicants.phone,
        email: applicants.email,
        address: applicants.address,
      },
      agencyName: agency.name,
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(procedureVersions, eq(procedureVersions.id, dossiers.procedureVersionId))
    .innerJoin(agency, eq(agency.id, dossiers.agencyId))
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(eq(dossiers.id, opts.dossierId));
  assertFormVisible(row, opts);
  const d = row.dossier;
  const intake = d.intake;
  if (!intake) throw appError('NOT_FOUND');
  // Issued in the name of the department received for; the post office is named as the service provider.
  const party = await receivingPartyOf(db, d);
  const office = await formOffice(db, party.department.id);
  const applicant = await formApplicant(row.applicant, (address) => fullAddress(db, address));
  const issuedAt = d.receivedAt ?? d.updatedAt;
  if (opts.form === 'mau01') {
    if (!d.code || !d.receivedAt || !d.dueAt) throw appError('NOT_FOUND');
    const post = d.returnMethod === 1;
    if (opts.userId) {
      await db.insert(auditLog).values({
        userId: opts.userId,
        action: 'form.receipt_printed',
        target: d.id,
        details: { form: 'mau01' },
      });
    }
    return renderReceipt({
      office,
      ...(party.provider ? { provider: { name: party.provider.name, code: party.provider.code } } : {}),
      dossierCode: d.code,
      applicant,
      procedure: row.procedure,
      components: intake.components
        .filter((c) => c.present)
        .map((c) => ({ name: c.name, form: c.form, copies: c.copies, reused: Boolean(c.reusedDocumentId) })),
      sets: 1,
      processingWorkingDays: row.processingHours / 8,
      processingTime: processingTimeText(processingTimeOf(row)),
      receivedAt: d.receivedAt,
      dueAt: d.dueAt,
      channel: d.channel === 3 ? 'postal' : 'direct',
      returnMethod: post
        ? { kind: 'post', address: (await fullAddress(db, d.deliveryAddress ?? null)) ?? '' }
        : { kind: 'desk' },
      fees: intake.fees,
      postalTariff: post ? intake.postalTariff : null,
      book: { volume: String(d.bookVolume ?? ''), entry: d.bookEntry ?? 0 },
      clerkName: intake.clerkName,
      trackingUrl: receiptTrackingUrl({
        publicUrl: opts.publicUrl,
        secret: opts.secret,
        dossierId: d.id,
        code: d.code,
      }),
    });
  }
  if (opts.form === 'mau02') {
    if (intake.missing.length === 0) throw appError('NOT_FOUND');
    return renderSupplementRequest({
      office,
      applicant,
      procedure: row.procedure,
      missing: intake.missing,
      issuedAt,
      clerkName: intake.clerkName,
      ...(office.phone ? { helpPhone: office.phone } : {}),
    });
  }
  if (intake.reasons.length === 0) throw appError('NOT_FOUND');
  return renderRefusal({
    office,
    applicant,
    procedure: row.procedure,
    reasons: intake.reasons,
    issuedAt,
    clerkName: intake.clerkName,
  });
};

/** Mẫu 06 for one office and a date range (Vietnam dates, inclusive): every dossier received there. */
export const renderTrackingBookFor = async (
  db: Db,
  opts: { officeId: string; from: string; to: string; now?: Date },
) => {
  const { start, end } = vietnamDayRange(opts.from, opts.to);
  if (end.getTime() - start.getTime() > 366 * 86_400_000)
    throw appError('VALIDATION_FAILED', { fields: [{ path: 'to', message: 'at most one year' }] });
  const agency = alias(offices, 'agency');
  const list = await db
    .select({
      code: dossiers.code,
      procedureName: procedures.name,
      applicantName: applicants.fullName,
      phone: applicants.phone,
      address: applicants.address,
      commune: communes.name,
      province: provinces.name,
      agencyName: agency.name,
      receivedAt: dossiers.receivedAt,
      dueAt: dossiers.dueAt,
      bookEntry: dossiers.bookEntry,
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(agency, eq(agency.id, dossiers.agencyId))
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    // The address's commune and province in the same query: a year's book has thousands of rows.
    .leftJoin(communes, eq(communes.code, sql`${applicants.address}->>'communeCode'`))
    .leftJoin(provinces, eq(provinces.code, communes.provinceCode))
    .where(
      and(
        eq(dossiers.receivingOfficeId, opts.officeId),
        isNotNull(dossiers.receivedAt),
        gte(dossiers.receivedAt, start),
        lt(dossiers.receivedAt, end),
      ),
    )
    .orderBy(asc(dossiers.receivedAt));
  const rows = list.map((r) => {
    const address = r.address ? joinAddress(r.address.line, r.commune, r.province) : null;
    return {
      dossierCode: r.code ?? '',
      procedureName: r.procedureName,
      sets: 1,
      applicantName: r.applicantName ?? '',
      applicantContact: [address, r.phone].filter(Boolean).join(' — '),
      agencyName: r.agencyName,
      receivedAt: r.receivedAt!,
      dueAt: r.dueAt,
      forwardedAt: null,
      resultReceivedAt: null,
      returnedAt: null,
      note: r.bookEntry ? `Số ${r.bookEntry}` : '',
    };
  });
  return renderTrackingBook({
    office: await formOffice(db, opts.officeId),
    from: opts.from,
    to: opts.to,
    volume: opts.from.slice(0, 4),
    rows,
    printedAt: opts.now ?? new Date(),
  });
};

/** The one-page guidance sheet a clerk hands a citizen who is not submitting yet. */
export const renderGuidanceFor = async (
  db: Db,
  opts: { procedureCode: string; officeId: string; publicUrl: string; now?: Date },
) => {
  const p = await getProcedure(db, { code: opts.procedureCode });
  return renderGuidance({
    office: await formOffice(db, opts.officeId),
    procedure: {
      code: p.code,
      name: p.name,
      field: p.field,
      agencyName: p.agency.name,
      processingWorkingDays: p.processingWorkingDays,
      components: p.components.map((c) => ({
        name: c.name,
        form: c.form,
        copies: c.copies,
        required: c.required,
        ...(c.note ? { note: c.note } : {}),
      })),
      fees: p.fees.map((f) => ({ label: f.label, amount: f.amount })),
      postalTariff: p.postalTariff,
      pickupAllowed: p.pickupAllowed,
      deliveryAllowed: p.deliveryAllowed,
      legalBasis: p.legalBasis,
      resultName: p.resultName,
    },
    catalogUrl: `${opts.publicUrl}/?q=${encodeURIComponent(p.code)}`,
    printedAt: opts.now ?? new Date(),
  });
};

export const officeIdsOf = (memberships: { officeId: string }[]) => [
  ...new Set(memberships.map((m) => m.officeId)),
];
