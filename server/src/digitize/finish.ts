import { appError, formatDigitizedCode, isAppError } from '@postdesk/shared';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import type { Db } from '../db/client';
import { documentPages, documents, offices, users } from '../db/schema';
import { recordEvent } from '../dossiers/engine';
import type { FileStore } from '../files/store';
import { type Signer, signPdfDocument } from '../signing';
import { NO_SIGNING_KEY } from '../signing/signer';
import type { PinHolder } from '../signing/token';
import { getDossierToDigitize } from './access';
import { stripActiveContent } from './active-content';

/** How long a digitized copy may be reused by later procedures (electronic records: ≥ 5 years). */
const REUSE_YEARS = 5;

/**
 * One component's pages merged into one A4 PDF in the clerk's order, with the dossier, component and
 * digitized-document codes in its metadata, signed by the clerk (PAdES), stored, and offered for reuse.
 *
 * Signed once: the document's row is locked from the check to the stored signature, so a second "finish &
 * sign" (a double click, a retry after a lost answer, another clerk at the same moment) waits for the first
 * and gets its result back (`replayed`), never a second signature replacing the first.
 */
export const finishComponent = (db: Db, opts: FinishOptions) =>
  db.transaction((tx) => finishLocked(tx as unknown as Db, opts));

type FinishOptions = {
  documentId: string;
  officeId: string;
  /** The clerk who signs, with their own key (users.signingKeyLabel). */
  userId: string;
  clerkName: string;
  files: FileStore;
  signer: Signer;
  pin?: string;
  /** The clerk's login session: a PIN typed there unlocks signing for that session only, for a while. */
  session?: PinHolder;
  now?: Date;
};

const finishLocked = async (db: Db, opts: FinishOptions) => {
  const [doc] = await db.select().from(documents).where(eq(documents.id, opts.documentId)).for('update');
  if (!doc?.dossierId) throw appError('NOT_FOUND');
  const dossier = await getDossierToDigitize(db, {
    dossierId: doc.dossierId,
    officeId: opts.officeId,
    forChange: true,
  });
  if (doc.signedFileSha256) return { documentId: doc.id, digitizedCode: doc.digitizedCode, replayed: true };
  const pages = await db
    .select()
    .from(documentPages)
    .where(eq(documentPages.documentId, doc.id))
    .orderBy(asc(documentPages.position));
  const notReady = pages.filter((p) => p.state !== 'ready' || !p.pagePdfSha256);
  if (pages.length === 0 || notReady.length > 0) {
    throw appError('PAGES_NOT_READY', {
      pages: notReady.map((p) => ({ id: p.id, state: p.state, error: p.error })),
    });
  }
  const [office] = await db.select({ name: offices.name }).from(offices).where(eq(offices.id, opts.officeId));
  // Each clerk signs with their own key: no key of one's own is a clear error (ask the administrator), not
  // a signature with someone else's.
  const [clerk] = await db
    .select({ label: users.signingKeyLabel, fullName: users.fullName })
    .from(users)
    .where(eq(users.id, opts.userId));
  // The embedded demo's software keys are made on first use, so a demo clerk without a label (a database
  // seeded before labels existed, a user the admin added) gets one of their own; production has none.
  const label = clerk?.label ?? (opts.signer.kind === 'software' && clerk ? `user:${opts.userId}` : null);
  if (!clerk || !label) throw appError('TOKEN_NOT_FOUND', { reason: NO_SIGNING_KEY });
  const own = opts.signer.forKey(label, {
    commonName: clerk.fullName,
    organization: office?.name ?? 'PostDesk',
  });
  const signer = opts.session ? own.forSession(opts.session) : own;
  const now = opts.now ?? new Date();
  const earlier = await db
    .select({ id: documents.id })
    .from(documents)
    .where(
      and(
        eq(documents.ownerCitizenId, dossier.citizenId ?? ''),
        eq(documents.componentCode, doc.componentCode),
      ),
    );
  const digitizedCode = formatDigitizedCode({
    ownerId: dossier.citizenId ?? '000000000000',
    procedureCode: dossier.procedureCode,
    componentCode: doc.componentCode,
    seq: Math.min(99, earlier.length),
  });

  const merged = await PDFDocument.create();
  for (const page of pages) {
    const source = await PDFDocument.load(await opts.files.get(page.pagePdfSha256!));
    const [copied] = await merged.copyPages(source, [0]);
    merged.addPage(copied!);
  }
  // Page PDFs stored before active content was stripped at processing time are cleaned here too: the clerk
  // never signs a script, an action or an attachment.
  stripActiveContent(merged);
  const signed = await signPdfDocument(merged, signer, {
    reason: `Số hóa hồ sơ ${dossier.code}`,
    location: office?.name ?? '',
    name: opts.clerkName,
    signingTime: now,
    ...(opts.pin ? { pin: opts.pin } : {}),
    // PDF/A-2b before the signature: the archival form is what the clerk signs and what is reused for years.
    archival: {
      title: `${doc.title ?? doc.componentCode} — ${dossier.code}`,
      subject: `Bản điện tử thành phần hồ sơ ${doc.componentCode} của hồ sơ ${dossier.code}`,
      author: office?.name ?? 'PostDesk',
      keywords: [dossier.procedureCode],
      createdAt: now,
      dossierCode: dossier.code ?? '',
      componentCode: doc.componentCode,
      digitizedCode,
      kind: 'digitized-copy',
      language: 'vi-VN',
    },
  }).catch((err: unknown) => {
    // A label with no key behind it on the token: the same "ask the administrator" as no label at all.
    if (isAppError(err) && err.code === 'TOKEN_NOT_FOUND' && err.details?.key === label) {
      throw appError('TOKEN_NOT_FOUND', { ...err.details, reason: NO_SIGNING_KEY });
    }
    throw err;
  });
  const stored = await opts.files.put(db, { bytes: signed, allowed: ['application/pdf'] });
  const validUntil = new Date(now.getTime() + REUSE_YEARS * 365.25 * 86_400_000).toISOString().slice(0, 10);
  await db
    .update(documents)
    .set({ signedFileSha256: stored.sha256, digitizedCode, validUntil })
    .where(and(eq(documents.id, doc.id), isNull(documents.signedFileSha256)));
  return { documentId: doc.id, digitizedCode, replayed: false };
};

/** The dossier is digitized when every component handed in has a signed copy or a reused document. */
export const completeDigitization = async (
  db: Db,
  opts: { dossierId: string; officeId: string; actor: { userId: string } },
) => {
  const dossier = await getDossierToDigitize(db, {
    dossierId: opts.dossierId,
    officeId: opts.officeId,
    forChange: true,
  });
  const present = (dossier.intake?.components ?? []).filter((c) => c.present).map((c) => c.code);
  const docs = present.length
    ? await db
        .select({
          componentCode: documents.componentCode,
          source: documents.source,
          signed: documents.signedFileSha256,
        })
        .from(documents)
        .where(and(eq(documents.dossierId, dossier.id), inArray(documents.componentCode, present)))
    : [];
  const missing = present.filter(
    (code) => !docs.some((d) => d.componentCode === code && (d.source === 'reuse' || d.signed)),
  );
  if (missing.length > 0)
    throw appError('COMPONENTS_INCOMPLETE', { missing: missing.map((code) => ({ code })) });
  const row = await recordEvent(db, {
    dossierId: dossier.id,
    event: 'complete_digitization',
    actor: { kind: 'clerk', userId: opts.actor.userId, role: 'clerk', officeId: opts.officeId },
    payload: {
      digitized: docs.filter((d) => d.signed).map((d) => d.componentCode),
      reused: docs.filter((d) => d.source === 'reuse').map((d) => d.componentCode),
    },
  });
  return { state: row.state };
};
