import { createHash } from 'node:crypto';
import { appError } from '@postdesk/shared';
import { and, eq, or } from 'drizzle-orm';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AppDeps } from '../app';
import type { Db } from '../db/client';
import { documentPages, documents, dossiers, files } from '../db/schema';
import { addPages } from '../digitize/pages';
import { sniffMime } from '../files/store';
import { longTermVerifyOptions, readTrustRoots, verifyPdf } from '../signing';
import { validationReportPdf } from '../signing/report';
import { jsonError, officeFor, requireStaff, type StaffVariables } from './staff-session';

/** A stored file may be read by staff of the office that received, or the agency that decides, its dossier. */
const fileVisibleTo = async (db: Db, sha256: string, officeIds: string[]) => {
  const [row] = await db
    .select({ receiving: dossiers.receivingOfficeId, agency: dossiers.agencyId, mime: files.mime })
    .from(files)
    .innerJoin(documents, or(eq(documents.signedFileSha256, files.sha256)))
    .innerJoin(dossiers, eq(dossiers.id, documents.dossierId))
    .where(eq(files.sha256, sha256))
    .limit(1);
  const [page] = row
    ? []
    : await db
        .select({ receiving: dossiers.receivingOfficeId, agency: dossiers.agencyId, mime: files.mime })
        .from(files)
        .innerJoin(
          documentPages,
          or(eq(documentPages.thumbSha256, files.sha256), eq(documentPages.pagePdfSha256, files.sha256)),
        )
        .innerJoin(documents, eq(documents.id, documentPages.documentId))
        .innerJoin(dossiers, eq(dossiers.id, documents.dossierId))
        .where(and(eq(files.sha256, sha256)))
        .limit(1);
  const hit = row ?? page;
  if (!hit || !(officeIds.includes(hit.receiving) || officeIds.includes(hit.agency)))
    throw appError('NOT_FOUND');
  return hit.mime;
};

/** `/desk/*`: the scanning station's uploads and the files it shows (thumbnails, signed PDFs). */
export const deskRoutes = (deps: AppDeps) => {
  const app = new Hono<{ Variables: StaffVariables }>();
  app.onError(jsonError);
  app.use('*', requireStaff(deps.db, ['clerk', 'supervisor', 'agency_official', 'admin']));

  app.post(
    '/dossiers/:dossierId/components/:code/pages',
    bodyLimit({
      maxSize: deps.env.MAX_UPLOAD_BYTES + 64 * 1024,
      onError: () => {
        throw appError('FILE_TOO_LARGE', { limit: deps.env.MAX_UPLOAD_BYTES });
      },
    }),
    async (c) => {
      const params = z
        .object({ dossierId: z.uuid(), code: z.string().min(1).max(20) })
        .safeParse(c.req.param());
      if (!params.success) throw appError('NOT_FOUND');
      const officeId = officeFor(c.get('user'), ['clerk'], c.req.query('office'));
      const body = await c.req.parseBody();
      const file = body.file;
      if (!(file instanceof File))
        throw appError('VALIDATION_FAILED', { fields: [{ path: 'file', message: 'a file is required' }] });
      // The station's id for this file (a UUID it made), in the header or the form: a retry sends it again.
      const key = z
        .uuid()
        .optional()
        .safeParse(
          c.req.header('idempotency-key') ??
            (typeof body.uploadKey === 'string' ? body.uploadKey : undefined),
        );
      if (!key.success)
        throw appError('VALIDATION_FAILED', {
          fields: [{ path: 'uploadKey', message: 'must be a UUID made for this file' }],
        });
      const result = await addPages(deps.db, {
        uploadKey: key.data,
        dossierId: params.data.dossierId,
        componentCode: params.data.code,
        bytes: new Uint8Array(await file.arrayBuffer()),
        officeId,
        files: deps.files,
        jobs: deps.jobs,
        limits: {
          perUpload: deps.env.DIGITIZE_MAX_PAGES_PER_UPLOAD,
          perDossier: deps.env.DIGITIZE_MAX_PAGES_PER_DOSSIER,
        },
      });
      return c.json(result, result.replayed ? 200 : 201);
    },
  );

  // Any signed PDF, ours or an agency's: signer, time, integrity and the chain against the trust roots.
  app.post(
    '/verify',
    bodyLimit({
      maxSize: deps.env.MAX_UPLOAD_BYTES + 64 * 1024,
      onError: () => {
        throw appError('FILE_TOO_LARGE', { limit: deps.env.MAX_UPLOAD_BYTES });
      },
    }),
    async (c) => {
      const body = await c.req.parseBody();
      if (!(body.file instanceof File))
        throw appError('VALIDATION_FAILED', { fields: [{ path: 'file', message: 'a file is required' }] });
      const bytes = new Uint8Array(await body.file.arrayBuffer());
      if (sniffMime(bytes) !== 'application/pdf') throw appError('PDF_INVALID');
      const ownChain = await deps.signer.chain();
      const trustRoots = [...readTrustRoots(deps.env.SIGNING_TRUST_ROOTS), ...ownChain.slice(-1)];
      const result = await verifyPdf(bytes, { trustRoots, ...longTermVerifyOptions() });
      // `?format=pdf`: the same validation report as a PDF to keep or print.
      if (c.req.query('format') !== 'pdf') {
        // What this server's own signatures reach: baseline B only when no TSA is configured (development).
        return c.json({ ...result, ownSignatures: { level: deps.signer.longTerm ? 'B-LTA' : 'B-B' } });
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const name = body.file.name.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || 'tep.pdf';
      return new Response(new Uint8Array(await validationReportPdf(result, name, sha256)), {
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': `attachment; filename="kiem-tra-chu-ky.pdf"`,
          'x-content-type-options': 'nosniff',
        },
      });
    },
  );

  app.get('/files/:sha256', async (c) => {
    const sha256 = c.req.param('sha256');
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw appError('NOT_FOUND');
    const user = c.get('user');
    const mime = await fileVisibleTo(deps.db, sha256, [...new Set(user.memberships.map((m) => m.officeId))]);
    const bytes = await deps.files.get(sha256);
    return new Response(new Uint8Array(bytes), {
      headers: {
        'content-type': mime,
        'cache-control': 'private, max-age=86400, immutable',
        'x-content-type-options': 'nosniff',
      },
    });
  });
  return app;
};
