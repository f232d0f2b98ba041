import { appError } from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import sharp from 'sharp';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { applicants, courierProofs, courierTasks, dossiers, offices, procedures, users } from '../db/schema';
import { sniffMime } from '../files/store';
import { jsonError, requireStaff, type StaffVariables } from '../http/staff-session';
import { renderProofPdf } from './proof-pdf';

/** A phone photo: JPEG or PNG only, at most 15 MB and 40 megapixels. */
export const UPLOAD_MAX_BYTES = 15 * 1024 * 1024;
export const UPLOAD_MAX_PIXELS = 40_000_000;
const UPLOAD_TYPES = ['image/jpeg', 'image/png'] as const;

/** `/field/*`: the courier app's uploads (photos, signatures) and proof PDFs. */
export const courierFieldRoutes = (deps: AppDeps) => {
  const app = new Hono<{ Variables: StaffVariables }>();
  app.onError(jsonError);

  app.post(
    '/uploads',
    requireStaff(deps.db, ['courier']),
    bodyLimit({
      maxSize: UPLOAD_MAX_BYTES,
      onError: () => {
        throw appError('COURIER_UPLOAD_TOO_LARGE', { limit: UPLOAD_MAX_BYTES });
      },
    }),
    async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength === 0) {
        throw appError('VALIDATION_FAILED', { fields: [{ path: 'body', message: 'an image is required' }] });
      }
      if (bytes.byteLength > UPLOAD_MAX_BYTES)
        throw appError('COURIER_UPLOAD_TOO_LARGE', { limit: UPLOAD_MAX_BYTES });
      const mime = sniffMime(bytes);
      if (!mime || !(UPLOAD_TYPES as readonly string[]).includes(mime)) throw appError('COURIER_UPLOAD_TYPE');
      let pixels = 0;
      try {
        const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
        pixels = (meta.width ?? 0) * (meta.height ?? 0);
      } catch {
        throw appError('COURIER_UPLOAD_TYPE');
      }
      if (pixels <= 0) throw appError('COURIER_UPLOAD_TYPE');
      if (pixels > UPLOAD_MAX_PIXELS)
        throw appError('COURIER_UPLOAD_PIXELS', { pixels, limit: UPLOAD_MAX_PIXELS });
      // The same bytes twice are one file (content-addressed): a re-sent photo changes nothing.
      const stored = await deps.files.put(deps.db, {
        bytes,
        allowed: UPLOAD_TYPES,
        maxBytes: UPLOAD_MAX_BYTES,
      });
      return c.json({ sha256: stored.sha256, size: stored.size, mime: stored.mime }, 201);
    },
  );

  app.get(
    '/proofs/:file',
    requireStaff(deps.db, ['courier', 'clerk', 'supervisor', 'agency_official', 'admin']),
    async (c) => {
      const m = /^([0-9a-f-]{36})\.pdf$/.exec(c.req.param('file'));
      const id = m ? z.uuid().safeParse(m[1]) : null;
      if (!id?.success) throw appError('NOT_FOUND');
      const user = c.get('user');
      const [row] = await deps.db
        .select({
          proof: courierProofs,
          task: courierTasks,
          dossierCode: dossiers.code,
          receivingOfficeId: dossiers.receivingOfficeId,
          agencyId: dossiers.agencyId,
          procedureName: procedures.name,
          courierName: users.fullName,
        })
        .from(courierProofs)
        .innerJoin(courierTasks, eq(courierTasks.id, courierProofs.taskId))
        .innerJoin(dossiers, eq(dossiers.id, courierProofs.dossierId))
        .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
        .innerJoin(users, eq(users.id, courierProofs.courierId))
        .where(eq(courierProofs.id, id.data));
      if (!row) throw appError('NOT_FOUND');
      // The courier who made it; staff of the receiving office or of the post office; the deciding agency.
      const allowed =
        row.proof.courierId === user.id ||
        user.memberships.some(
          (mb) =>
            (mb.officeId === row.receivingOfficeId && ['clerk', 'supervisor', 'admin'].includes(mb.role)) ||
            (mb.officeId === row.task.officeId && ['supervisor', 'admin'].includes(mb.role)) ||
            (mb.officeId === row.agencyId && mb.role === 'agency_official'),
        );
      if (!allowed) throw appError('NOT_FOUND');

      let pdf: Uint8Array | null = null;
      if (row.proof.pdfSha256) {
        try {
          pdf = await deps.files.get(row.proof.pdfSha256);
        } catch {
          pdf = null;
        }
      }
      if (!pdf) {
        const [office] = await deps.db
          .select({ name: offices.name, code: offices.code, address: offices.address, phone: offices.phone })
          .from(offices)
          .where(eq(offices.id, row.task.officeId));
        const [applicant] = await deps.db
          .select({ fullName: applicants.fullName })
          .from(dossiers)
          .innerJoin(applicants, eq(applicants.id, dossiers.applicantId))
          .where(eq(dossiers.id, row.proof.dossierId));
        const read = async (sha: string) => {
          try {
            return new Uint8Array(await deps.files.get(sha));
          } catch {
            return null;
          }
        };
        const photos = (await Promise.all(row.proof.photoSha256s.map(read))).filter(
          (b) => b !== null,
        ) as Uint8Array[];
        const attempt =
          row.proof.kind === 'failed_delivery' || row.proof.kind === 'failed_pickup'
            ? await attemptNumber(deps, row.proof.id, row.proof.taskId)
            : undefined;
        pdf = await renderProofPdf({
          kind: row.proof.kind,
          proofId: row.proof.id,
          office: {
            name: office?.name ?? '',
            code: office?.code ?? '',
            address: office?.address,
            phone: office?.phone ?? undefined,
          },
          dossierCode: row.dossierCode,
          procedureName: row.procedureName,
          address: row.task.address,
          contactName: row.task.contactName,
          courierName: row.courierName,
          serverAt: row.proof.serverAt,
          deviceAt: row.proof.deviceAt,
          position:
            row.proof.lat !== null && row.proof.lng !== null
              ? { lat: row.proof.lat, lng: row.proof.lng, accuracyM: row.proof.accuracyM }
              : null,
          payload: row.proof.payload,
          otpVerified: row.proof.otpVerified,
          signature: row.proof.signatureSha256 ? await read(row.proof.signatureSha256) : null,
          photos,
          recipientName: applicant?.fullName ?? null,
          ...(attempt !== undefined ? { attempt } : {}),
        });
        const stored = await deps.files.put(deps.db, { bytes: pdf, allowed: ['application/pdf'] });
        await deps.db
          .update(courierProofs)
          .set({ pdfSha256: stored.sha256 })
          .where(eq(courierProofs.id, row.proof.id));
      }
      return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="bien-ban-${row.proof.id}.pdf"`,
        'cache-control': 'private, no-store',
      });
    },
  );

  return app;
};

/** Which failed attempt a failure proof was (1 = first invitation). */
const attemptNumber = async (deps: AppDeps, proofId: string, taskId: string) => {
  const list = await deps.db
    .select({ id: courierProofs.id, kind: courierProofs.kind })
    .from(courierProofs)
    .where(eq(courierProofs.taskId, taskId))
    .orderBy(courierProofs.serverAt);
  const failures = list.filter((p) => p.kind === 'failed_delivery' || p.kind === 'failed_pickup');
  return failures.findIndex((p) => p.id === proofId) + 1;
};
