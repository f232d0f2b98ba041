import { isAppError } from '@postdesk/shared';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { documentPages, documents, dossiers } from '../db/schema';
import type { FileStore } from '../files/store';
import { defineJob } from '../jobs/queue';
import { assembleComponentPdf, saveComponentPdf } from './assemble';
import { processPage } from './pipeline';

/**
 * Cleans one scanned page: re-reads the row and stops when there is nothing to do (already done, changed
 * since, or deleted), so a retry or a re-run after a killed worker never makes a second page. Bad input is
 * recorded on the page and not retried; anything else is thrown for the queue to retry.
 */
export const digitizePageJob = (deps: { db: Db; files: FileStore }) =>
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
        if (isPdf) {
          const doc = await assembleComponentPdf(
            [{ kind: 'pdf', bytes: original, pageIndex: page.sourcePage }],
            meta,
          );
          const pdf = await deps.files.put(deps.db, { bytes: await saveComponentPdf(doc) });
          await deps.db
            .update(documentPages)
            .set({ state: 'ready', chosenMode: page.mode, pagePdfSha256: pdf.sha256 })
            .where(current);
          return;
        }
        const result = await processPage(original, {
          mode: page.mode,
          rotate: page.rotation as 0 | 90 | 180 | 270,
          page: page.sourcePage,
        });
        const doc = await assembleComponentPdf([{ kind: 'processed', result }], meta);
        const [pdf, thumb] = await Promise.all([
          deps.files.put(deps.db, { bytes: await saveComponentPdf(doc) }),
          deps.files.put(deps.db, { bytes: result.thumbnail }),
        ]);
        await deps.db
          .update(documentPages)
          .set({
            state: 'ready',
            chosenMode: result.mode,
            skewDegrees: result.skewDegrees,
            thumbSha256: thumb.sha256,
            pagePdfSha256: pdf.sha256,
          })
          .where(current);
      } catch (err) {
        if (!isAppError(err)) {
          await deps.db.update(documentPages).set({ state: 'queued' }).where(current);
          throw err;
        }
        await deps.db.update(documentPages).set({ state: 'failed', error: err.code }).where(current);
      }
    },
  });
