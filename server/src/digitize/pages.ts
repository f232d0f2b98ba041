import { appError } from '@postdesk/shared';
import { and, asc, eq, inArray, max, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { documentPages, documents } from '../db/schema';
import type { FileStore } from '../files/store';
import { documentTypeOf } from '../intake/doc-types';
import type { JobRunner } from '../jobs/queue';
import { getDossierToDigitize, getPageToChange } from './access';
import { inspectScan } from './pipeline';

export const SCAN_TYPES = ['image/jpeg', 'image/png', 'image/tiff', 'application/pdf'] as const;

const enqueuePage = (jobs: JobRunner, page: { id: string; revision: number }) =>
  jobs.enqueue(
    'digitize_page',
    { pageId: page.id, revision: page.revision },
    { jobId: `${page.id}-${page.revision}` },
  );

/** The component's scan document, made on the first page. */
const documentFor = async (
  db: Db,
  dossier: Awaited<ReturnType<typeof getDossierToDigitize>>,
  componentCode: string,
) => {
  const component = dossier.intake?.components.find((c) => c.code === componentCode);
  if (!component)
    throw appError('VALIDATION_FAILED', {
      fields: [{ path: 'componentCode', message: 'not a component of this dossier' }],
    });
  const [existing] = await db
    .select()
    .from(documents)
    .where(
      and(
        eq(documents.dossierId, dossier.id),
        eq(documents.componentCode, componentCode),
        eq(documents.source, 'scan'),
      ),
    );
  if (existing) return existing;
  const [created] = await db
    .insert(documents)
    .values({
      dossierId: dossier.id,
      componentCode,
      source: 'scan',
      title: component.name,
      docType: documentTypeOf(component.name) ?? null,
      ownerCitizenId: dossier.citizenId,
    })
    .returning();
  return created!;
};

/**
 * Pages uploaded for one component: the file is checked (type by its bytes, size, pixel count, not encrypted)
 * before anything is stored; each page of a multi-page TIFF or PDF becomes a page row; processing is queued.
 */
export const addPages = async (
  db: Db,
  opts: {
    dossierId: string;
    componentCode: string;
    bytes: Uint8Array;
    officeId: string;
    files: FileStore;
    jobs: JobRunner;
  },
) => {
  const dossier = await getDossierToDigitize(db, {
    dossierId: opts.dossierId,
    officeId: opts.officeId,
    forChange: true,
  });
  const scan = await inspectScan(opts.bytes, { maxBytes: opts.files.maxBytes });
  const stored = await opts.files.put(db, { bytes: opts.bytes, allowed: SCAN_TYPES });
  const pages = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const doc = await documentFor(t, dossier, opts.componentCode);
    if (doc.signedFileSha256) throw appError('CONFLICT', { reason: 'the component is already signed' });
    const [{ last } = { last: null }] = await t
      .select({ last: max(documentPages.position) })
      .from(documentPages)
      .where(eq(documentPages.documentId, doc.id));
    const start = (last ?? -1) + 1;
    return t
      .insert(documentPages)
      .values(
        Array.from({ length: scan.pages }, (_, i) => ({
          documentId: doc.id,
          position: start + i,
          originalSha256: stored.sha256,
          sourcePage: i,
        })),
      )
      .returning({ id: documentPages.id, revision: documentPages.revision });
  });
  for (const page of pages) await enqueuePage(opts.jobs, page);
  return { pageIds: pages.map((p) => p.id) };
};

/** A change the clerk makes to a page re-runs its processing; the revision drops any older result. */
export const changePage = async (
  db: Db,
  opts: {
    pageId: string;
    officeId: string;
    jobs: JobRunner;
    change: { rotation?: 0 | 90 | 180 | 270; mode?: 'auto' | 'bilevel' | 'grey' | 'colour' };
  },
) => {
  await getPageToChange(db, opts);
  const [page] = await db
    .update(documentPages)
    .set({ ...opts.change, state: 'queued', error: null, revision: sql`${documentPages.revision} + 1` })
    .where(eq(documentPages.id, opts.pageId))
    .returning({ id: documentPages.id, revision: documentPages.revision });
  await enqueuePage(opts.jobs, page!);
  return { ok: true as const };
};

export const deletePage = async (db: Db, opts: { pageId: string; officeId: string }) => {
  await getPageToChange(db, opts);
  await db.delete(documentPages).where(eq(documentPages.id, opts.pageId));
  return { ok: true as const };
};

/** The clerk's new order of a component's pages; every page must be named once. */
export const reorderPages = async (
  db: Db,
  opts: { documentId: string; pageIds: string[]; officeId: string },
) => {
  const current = await db
    .select({ id: documentPages.id })
    .from(documentPages)
    .where(eq(documentPages.documentId, opts.documentId));
  const same = current.length === opts.pageIds.length && current.every((p) => opts.pageIds.includes(p.id));
  if (!same || current.length === 0)
    throw appError('VALIDATION_FAILED', {
      fields: [{ path: 'pageIds', message: 'must list every page once' }],
    });
  await getPageToChange(db, { pageId: current[0]!.id, officeId: opts.officeId });
  await db.transaction(async (tx) => {
    for (const [position, id] of opts.pageIds.entries()) {
      await tx.update(documentPages).set({ position }).where(eq(documentPages.id, id));
    }
  });
  return { ok: true as const };
};

/** Every component of the dossier with its pages and their progress, for the scanning station. */
export const findDigitization = async (db: Db, opts: { dossierId: string; officeId: string }) => {
  const dossier = await getDossierToDigitize(db, { ...opts, forChange: false });
  const docs = await db.select().from(documents).where(eq(documents.dossierId, dossier.id));
  const pages = docs.length
    ? await db
        .select()
        .from(documentPages)
        .where(
          inArray(
            documentPages.documentId,
            docs.map((d) => d.id),
          ),
        )
        .orderBy(asc(documentPages.position))
    : [];
  const components = (dossier.intake?.components ?? [])
    .filter((c) => c.present)
    .map((c) => {
      const reused = docs.find((d) => d.componentCode === c.code && d.source === 'reuse');
      const scan = docs.find((d) => d.componentCode === c.code && d.source === 'scan');
      return {
        code: c.code,
        name: c.name,
        required: c.required,
        reused: Boolean(reused),
        documentId: scan?.id ?? null,
        digitizedCode: scan?.digitizedCode ?? null,
        signedUrl: scan?.signedFileSha256 ? `/desk/files/${scan.signedFileSha256}` : null,
        pages: pages
          .filter((p) => p.documentId === scan?.id)
          .map((p) => ({
            id: p.id,
            position: p.position,
            state: p.state,
            mode: p.mode,
            chosenMode: p.chosenMode,
            rotation: p.rotation,
            error: p.error,
            thumbUrl: p.thumbSha256 ? `/desk/files/${p.thumbSha256}` : null,
          })),
      };
    });
  return { dossierId: dossier.id, code: dossier.code, state: dossier.state, components };
};
