import { appError } from '@postdesk/shared';
import { and, asc, eq, inArray, max, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { documentPages, documents, dossiers } from '../db/schema';
import type { FileStore } from '../files/store';
import { documentTypeOf } from '../intake/doc-types';
import { enqueuePageJob } from '../jobs/maintenance';
import type { JobRunner } from '../jobs/queue';
import { getDossierToDigitize, getPageToChange } from './access';
import { enqueueOcr } from './job';
import { SCAN_TYPES } from './image-sniff';
import { inspectScan } from './pipeline';

const enqueuePage = (jobs: JobRunner, page: { id: string; revision: number; recoveries?: number }) =>
  enqueuePageJob(jobs, page);

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

/** Defaults of DIGITIZE_MAX_PAGES_PER_UPLOAD and DIGITIZE_MAX_PAGES_PER_DOSSIER. */
export const PAGE_LIMITS = { perUpload: 200, perDossier: 1000 };

/**
 * Pages uploaded for one component: the file is checked (type by its bytes, size, pixel count, not encrypted,
 * pages within the per-upload and per-dossier limits) before anything is stored or queued; each page of a
 * multi-page TIFF or PDF becomes a page row; processing is queued.
 *
 * `uploadKey` is the scanning station's id for this file (one per file it sends): the same key again, for
 * the same component, is the same upload retried (an answer lost, Redis away when its job was queued) and
 * returns the pages made the first time, queued again, instead of a second copy of the page that would be
 * signed into the component's PDF. The same key with other bytes is refused. The dossier's row is locked
 * while pages are added, so two requests at once see each other's pages (and cannot both fit under the limit).
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
    limits?: { perUpload: number; perDossier: number };
    uploadKey?: string;
  },
) => {
  const limits = opts.limits ?? PAGE_LIMITS;
  const dossier = await getDossierToDigitize(db, {
    dossierId: opts.dossierId,
    officeId: opts.officeId,
    forChange: true,
  });
  const scan = await inspectScan(opts.bytes, { maxBytes: opts.files.maxBytes });
  if (scan.pages > limits.perUpload) {
    throw appError('PDF_TOO_MANY_PAGES', { pages: scan.pages, limit: limits.perUpload, per: 'upload' });
  }
  const pagesOfDossier = async (t: Db) => {
    const [{ count } = { count: 0 }] = await t
      .select({ count: sql<number>`count(*)::int` })
      .from(documentPages)
      .innerJoin(documents, eq(documents.id, documentPages.documentId))
      .where(eq(documents.dossierId, dossier.id));
    if (count + scan.pages > limits.perDossier) {
      throw appError('PDF_TOO_MANY_PAGES', {
        pages: scan.pages,
        already: count,
        limit: limits.perDossier,
        per: 'dossier',
      });
    }
  };
  // A retry of an upload already taken is answered below even at the limit; a new one is refused before storing.
  if (!opts.uploadKey) await pagesOfDossier(db);
  const stored = await opts.files.put(db, { bytes: opts.bytes, allowed: SCAN_TYPES });
  const pages = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    // One upload of a dossier at a time: its component's document is made once, its pages numbered in turn,
    // and two uploads at once cannot both fit under the page limit.
    await t.select({ id: dossiers.id }).from(dossiers).where(eq(dossiers.id, dossier.id)).for('update');
    const doc = await documentFor(t, dossier, opts.componentCode);
    if (doc.signedFileSha256) throw appError('CONFLICT', { reason: 'the component is already signed' });
    if (opts.uploadKey) {
      const earlier = await t
        .select({
          id: documentPages.id,
          revision: documentPages.revision,
          state: documentPages.state,
          originalSha256: documentPages.originalSha256,
        })
        .from(documentPages)
        .where(and(eq(documentPages.documentId, doc.id), eq(documentPages.uploadKey, opts.uploadKey)))
        .orderBy(asc(documentPages.sourcePage));
      if (earlier.length > 0) {
        if (earlier.some((p) => p.originalSha256 !== stored.sha256))
          throw appError('IDEMPOTENCY_CONFLICT', { uploadKey: opts.uploadKey });
        return { rows: earlier, replayed: true };
      }
    }
    await pagesOfDossier(t);
    const [{ last } = { last: null }] = await t
      .select({ last: max(documentPages.position) })
      .from(documentPages)
      .where(eq(documentPages.documentId, doc.id));
    const start = (last ?? -1) + 1;
    const rows = await t
      .insert(documentPages)
      .values(
        Array.from({ length: scan.pages }, (_, i) => ({
          documentId: doc.id,
          position: start + i,
          originalSha256: stored.sha256,
          sourcePage: i,
          uploadKey: opts.uploadKey ?? null,
        })),
      )
      .returning({ id: documentPages.id, revision: documentPages.revision, state: documentPages.state });
    return { rows, replayed: false };
  });
  // A replayed upload's pages are queued again: the first time their jobs may not have reached the queue.
  // Under BullMQ the same job id makes this a no-op when they did, and the job re-reads the row.
  for (const page of pages.rows) {
    if (page.state === 'queued' || page.state === 'processing') await enqueuePage(opts.jobs, page);
  }
  return { pageIds: pages.rows.map((p) => p.id), replayed: pages.replayed };
};

/**
 * A change the clerk makes to a page. A turn or a mode re-runs its processing (the revision drops any older
 * result, and OCR asked for is done again on the new image). OCR on asks for the text of the page (now when
 * the page is ready, else as soon as it is); OCR off forgets the text and, when a text layer is already in
 * the page PDF, processes the page again without it.
 */
export const changePage = async (
  db: Db,
  opts: {
    pageId: string;
    officeId: string;
    jobs: JobRunner;
    change: {
      rotation?: 0 | 90 | 180 | 270;
      mode?: 'auto' | 'bilevel' | 'grey' | 'colour';
      ocr?: boolean;
    };
  },
) => {
  const current = await getPageToChange(db, opts);
  const { ocr, ...image } = opts.change;
  const wantsOcr = ocr ?? current.ocrState !== null;
  const reprocess = Object.keys(image).length > 0 || (ocr === false && current.ocrState === 'done');
  if (reprocess) {
    const [page] = await db
      .update(documentPages)
      .set({
        ...image,
        state: 'queued',
        error: null,
        ocrState: wantsOcr ? 'requested' : null,
        ocrText: null,
        revision: sql`${documentPages.revision} + 1`,
      })
      .where(eq(documentPages.id, opts.pageId))
      .returning({ id: documentPages.id, revision: documentPages.revision });
    await enqueuePage(opts.jobs, page!);
    return { ok: true as const };
  }
  if (ocr === undefined || (ocr && current.ocrState === 'done')) return { ok: true as const };
  const [page] = await db
    .update(documentPages)
    .set({ ocrState: ocr ? 'requested' : null, ocrText: null })
    .where(and(eq(documentPages.id, opts.pageId), eq(documentPages.revision, current.revision)))
    .returning({ id: documentPages.id, revision: documentPages.revision, state: documentPages.state });
  // A ready page is read now; a page still in processing is queued for OCR by its own job when it is done.
  if (ocr && page?.state === 'ready') {
    await enqueueOcr(opts.jobs, page, `${Date.now()}`);
  }
  return { ok: true as const };
};

/**
 * The clerk's retry of a page that failed to process (the reconciler gave up on it, or its image could not be
 * read): a new revision, so the job starts over with fresh recoveries; a page that is not failed is left as it is.
 */
export const retryPage = async (db: Db, opts: { pageId: string; officeId: string; jobs: JobRunner }) => {
  const current = await getPageToChange(db, opts);
  if (current.state !== 'failed') return { ok: true as const, retried: false };
  const [page] = await db
    .update(documentPages)
    .set({ state: 'queued', error: null, revision: sql`${documentPages.revision} + 1` })
    .where(
      and(
        eq(documentPages.id, opts.pageId),
        eq(documentPages.revision, current.revision),
        eq(documentPages.state, 'failed'),
      ),
    )
    .returning({ id: documentPages.id, revision: documentPages.revision });
  if (page) await enqueuePage(opts.jobs, page);
  return { ok: true as const, retried: Boolean(page) };
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

/** Lower case without Vietnamese marks, one output character per input UTF-16 unit (indexes line up). */
export const foldText = (text: string) =>
  Array.from(text.normalize('NFC'), (c) =>
    c.length === 1 ? (c.normalize('NFD')[0] ?? c).toLowerCase().replace('đ', 'd') : c,
  ).join('');

const SNIPPET_CHARS = 60;

/** Where `query` occurs in a page's text, ignoring case and marks: a short excerpt around each hit. */
export const findInText = (text: string, query: string, limit = 3) => {
  const haystack = foldText(text.normalize('NFC'));
  const needle = foldText(query.trim()).replace(/\s+/g, ' ');
  const original = text.normalize('NFC');
  const hits: { before: string; match: string; after: string }[] = [];
  if (!needle) return hits;
  const flat = haystack.replace(/\s/g, ' ');
  for (let at = flat.indexOf(needle); at >= 0 && hits.length < limit; at = flat.indexOf(needle, at + 1)) {
    const from = Math.max(0, at - SNIPPET_CHARS);
    const to = Math.min(original.length, at + needle.length + SNIPPET_CHARS);
    hits.push({
      before: `${from > 0 ? '…' : ''}${original.slice(from, at)}`.replace(/\s+/g, ' '),
      match: original.slice(at, at + needle.length).replace(/\s+/g, ' '),
      after: `${original.slice(at + needle.length, to)}${to < original.length ? '…' : ''}`.replace(
        /\s+/g,
        ' ',
      ),
    });
  }
  return hits;
};

/**
 * Every component of the dossier with its pages and their progress, for the scanning station; with
 * `search`, also the pages whose recognised text holds it (case and Vietnamese marks ignored).
 */
export const findDigitization = async (
  db: Db,
  opts: { dossierId: string; officeId: string; search?: string },
) => {
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
            review: p.state === 'ready' ? p.review : [],
            thumbUrl: p.thumbSha256 ? `/desk/files/${p.thumbSha256}` : null,
            ocrState: (p.ocrState ?? null) as 'requested' | 'done' | 'failed' | null,
          })),
      };
    });
  const search = opts.search?.trim() ?? '';
  const matches =
    search.length >= 2
      ? components.flatMap((c) =>
          c.pages.flatMap((view, index) => {
            const text = pages.find((p) => p.id === view.id)?.ocrText;
            const hits = text ? findInText(text, search) : [];
            return hits.length
              ? [{ pageId: view.id, componentCode: c.code, componentName: c.name, number: index + 1, hits }]
              : [];
          }),
        )
      : [];
  return { dossierId: dossier.id, code: dossier.code, state: dossier.state, components, matches };
};

/**
 * At start-up: puts every page still waiting (queued, or left processing by a stopped server) and every
 * OCR still asked for back on the queue. The in-process runner loses its queue on a restart; under BullMQ
 * the same job ids make this a no-op. The page job re-reads the row, so nothing is done twice.
 */
export const resumeUnfinishedPages = async (db: Db, jobs: JobRunner) => {
  const waiting = await db
    .select({
      id: documentPages.id,
      revision: documentPages.revision,
      state: documentPages.state,
      ocr: documentPages.ocrState,
      recoveries: documentPages.recoveries,
    })
    .from(documentPages)
    .where(
      or(inArray(documentPages.state, ['queued', 'processing']), eq(documentPages.ocrState, 'requested')),
    );
  for (const page of waiting) {
    if (page.state === 'queued' || page.state === 'processing') await enqueuePage(jobs, page);
    else if (page.ocr === 'requested') await enqueueOcr(jobs, page);
  }
  return waiting.length;
};
