import { availableParallelism } from 'node:os';
import { isAppError } from '@postdesk/shared';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { documentPages, documents, dossiers } from '../db/schema';
import type { FileStore } from '../files/store';
import { defineJob, type JobRunner } from '../jobs/queue';
import { processPageOffThread } from '../jobs/threads';
import { assembleComponentPdf, saveComponentPdf } from './assemble';
import { recognisePage } from './ocr';
import { isImageOnlyPage, rasterisePdfPage } from './pdf-raster';
import { processPage } from './pipeline';

/**
 * One OCR job per page and revision (a re-run of the page job after a crash finds the same id and is
 * dropped), plus a `request` suffix when the clerk asks again after a failure. The handler is idempotent.
 */
export const enqueueOcr = (jobs: JobRunner, page: { id: string; revision: number }, request = '') =>
  jobs.enqueue(
    'ocr_page',
    { pageId: page.id, revision: page.revision },
    { jobId: `ocr-${page.id}-${page.revision}${request ? `-${request}` : ''}` },
  );

/**
 * Cleans one scanned page: re-reads the row and stops when there is nothing to do (already done, changed
 * since, or deleted), so a retry or a re-run after a killed worker never makes a second page. Bad input is
 * recorded on the page and not retried; anything else is thrown for the queue to retry.
 */
export const digitizePageJob = (deps: { db: Db; files: FileStore; jobs?: () => JobRunner }) =>
  defineJob({
    name: 'digitize_page',
    payload: z.object({ pageId: z.uuid(), revision: z.number().int().min(0) }),
    concurrency: 2,
    attempts: 3,
    backoffMs: 2_000,
    handler: async ({ pageId, revision }) => {
      const [row] = await deps.db
        .select({ page: documentPages, dossierCode: dossiers.code, componentCode: documents.componentCode })
        .from(documentPages)
        .innerJoin(documents, eq(documents.id, documentPages.documentId))
        .innerJoin(dossiers, eq(dossiers.id, documents.dossierId))
        .where(eq(documentPages.id, pageId));
      if (!row || row.page.revision !== revision || row.page.state === 'ready') return;
      const page = row.page;
      const current = and(eq(documentPages.id, pageId), eq(documentPages.revision, revision));
      await deps.db.update(documentPages).set({ state: 'processing' }).where(current);
      try {
        const original = await deps.files.get(page.originalSha256);
        const isPdf = original.subarray(0, 5).toString('latin1') === '%PDF-';
        const meta = {
          title: `Trang ${page.position + 1}`,
          dossierCode: row.dossierCode ?? '',
          componentCode: row.componentCode,
          digitizedCode: '',
          author: 'PostDesk',
          createdAt: new Date(),
        };
        // A scanner's PDF page is cleaned like any scan; a page made on a computer is kept as it is.
        const scanned = isPdf && (await isImageOnlyPage(original, page.sourcePage));
        if (isPdf && !scanned) {
          const doc = await assembleComponentPdf(
            [{ kind: 'pdf', bytes: original, pageIndex: page.sourcePage }],
            meta,
          );
          const pdf = await deps.files.put(deps.db, { bytes: await saveComponentPdf(doc) });
          const [done] = await deps.db
            .update(documentPages)
            .set({ state: 'ready', chosenMode: page.mode, pagePdfSha256: pdf.sha256 })
            .where(current)
            .returning({ ocrState: documentPages.ocrState });
          if (done?.ocrState === 'requested' && deps.jobs) await enqueueOcr(deps.jobs(), page);
          return;
        }
        // On a CPU thread when the server started them: deskew and G4 coding would hold the event loop ~1 s.
        const result = await processPageOffThread(
          scanned ? await rasterisePdfPage(original, page.sourcePage) : original,
          {
            mode: page.mode,
            rotate: page.rotation as 0 | 90 | 180 | 270,
            page: scanned ? 0 : page.sourcePage,
          },
          processPage,
        );
        const doc = await assembleComponentPdf([{ kind: 'processed', result }], meta);
        const [pdf, thumb] = await Promise.all([
          deps.files.put(deps.db, { bytes: await saveComponentPdf(doc) }),
          deps.files.put(deps.db, { bytes: result.thumbnail }),
        ]);
        const [done] = await deps.db
          .update(documentPages)
          .set({
            state: 'ready',
            chosenMode: result.mode,
            skewDegrees: result.skewDegrees,
            review: result.review,
            thumbSha256: thumb.sha256,
            pagePdfSha256: pdf.sha256,
          })
          .where(current)
          .returning({ ocrState: documentPages.ocrState });
        // OCR asked for before the page was ready (read back from this very update, so a request that came in
        // while the page was processing is seen) starts now, in its own queue: the clerk never waits for it.
        if (done?.ocrState === 'requested' && deps.jobs) await enqueueOcr(deps.jobs(), page);
      } catch (err) {
        // The file store briefly away is retried like any other outage; only bad input fails the page.
        if (!isAppError(err) || err.code === 'STORAGE_UNAVAILABLE') {
          await deps.db.update(documentPages).set({ state: 'queued' }).where(current);
          throw err;
        }
        await deps.db.update(documentPages).set({ state: 'failed', error: err.code }).where(current);
      }
    },
  });

/**
 * OCR of one cleaned page (optional, asked for by the clerk): the text goes into `ocrText` for search and
 * the page PDF is replaced by the same page with an invisible text layer. One page per core, each tesseract
 * single-threaded at a lower priority. Nothing waits for it: a component finished before its OCR is done is
 * signed without the text layer (the text is still stored for search when it arrives). The result is kept
 * only if the page is unchanged since (same revision, same page PDF, OCR still asked for); any failure marks
 * the page `failed` once, without retries, since the clerk can ask again and the scan itself is unharmed.
 */
export const ocrPageJob = (deps: { db: Db; files: FileStore }) =>
  defineJob({
    name: 'ocr_page',
    payload: z.object({ pageId: z.uuid(), revision: z.number().int().min(0) }),
    concurrency: Math.max(1, availableParallelism()),
    attempts: 1,
    backoffMs: 5_000,
    handler: async ({ pageId, revision }) => {
      const [page] = await deps.db.select().from(documentPages).where(eq(documentPages.id, pageId));
      if (
        !page ||
        page.revision !== revision ||
        page.ocrState !== 'requested' ||
        page.state !== 'ready' ||
        !page.pagePdfSha256
      )
        return;
      const unchanged = and(
        eq(documentPages.id, pageId),
        eq(documentPages.revision, revision),
        eq(documentPages.ocrState, 'requested'),
        eq(documentPages.pagePdfSha256, page.pagePdfSha256),
      );
      try {
        const result = await recognisePage(await deps.files.get(page.pagePdfSha256));
        const pdf = await deps.files.put(deps.db, { bytes: result.pdf, allowed: ['application/pdf'] });
        await deps.db
          .update(documentPages)
          .set({ ocrState: 'done', ocrText: result.text, pagePdfSha256: pdf.sha256 })
          .where(unchanged);
      } catch {
        await deps.db.update(documentPages).set({ ocrState: 'failed' }).where(unchanged);
      }
    },
  });
