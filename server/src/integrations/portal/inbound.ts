import { decideAtIntake } from '../../agency/competence';
import { appError, normalizeEmail, normalizePhone, parseDossierCode, vietnamDate } from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../agency-api/webhooks';
import type { AppDeps } from '../../app';
import { getProcedure } from '../../catalog/queries';
import { postOfficeFor, windowOf } from '../../citizen/requests';
import { createPickupTask } from '../../courier/tasks';
import type { Db } from '../../db/client';
import { applicants, courierTasks, dossiers } from '../../db/schema';
import { createDossier } from '../../dossiers/engine';
import type { AppVariables } from '../../http/middleware';
import { jsonError } from '../../http/staff-session';
import { resolveAddress } from '../../intake/address';

/**
 * An online dossier the portal forwards because the citizen asked for postal pickup of the paper documents
 * (and, with `YeuCauTraKetQua`, delivery of the result). Field names as the portal's dossier record.
 */
export const portalInboundBody = z.object({
  /** The portal's dossier code; PostDesk keeps it as the dossier's code and as the idempotency key. */
  MaHoSo: z.string().trim().min(1).max(50),
  MaTTHC: z.string().trim().min(1).max(20),
  ChuHoSo: z.string().trim().min(1).max(200),
  SoGiayToChuHoSo: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  SoDienThoai: z.string().min(1).max(20),
  Email: z.string().max(200).optional(),
  /** The citizen asked the post to collect the paper documents (always true for now: pickup makes the task). */
  YeuCauThuGom: z.literal(true),
  /** The result is delivered by post too (HinhThuc = 1). */
  YeuCauTraKetQua: z.boolean().default(false),
  DiaChiThuGom: z.object({
    DiaChi: z.string().trim().min(1).max(300),
    MaXa: z.string().regex(/^\d{5}$/),
    ViDo: z.number().optional(),
    KinhDo: z.number().optional(),
  }),
  /** The pickup day (yyyy-MM-dd, Vietnam) and half-day the citizen chose on the portal. */
  NgayThuGom: z.iso.date(),
  BuoiThuGom: z.enum(['morning', 'afternoon']),
});
export type PortalInboundBody = z.infer<typeof portalInboundBody>;

/**
 * Creates the dossier (`request_pickup` by the portal, channel 2, fromPortal) with its pickup courier task in one
 * transaction. The portal's code is the idempotency key: sending the same dossier again returns the first
 * answer, nothing is created twice.
 */
export const receivePortalDossier = async (db: Db, body: PortalInboundBody, now = new Date()) => {
  const code = parseDossierCode(body.MaHoSo).code;
  const clientKey = `portal:${code}`.slice(0, 64);
  const existing = async () => {
    const [row] = await db
      .select({ id: dossiers.id, code: dossiers.code, state: dossiers.state })
      .from(dossiers)
      .where(eq(dossiers.clientKey, clientKey));
    if (!row) return null;
    const [task] = await db
      .select({ id: courierTasks.id })
      .from(courierTasks)
      .where(eq(courierTasks.dossierId, row.id));
    return { ...row, taskId: task?.id ?? null };
  };
  const earlier = await existing();
  if (earlier) return { ...earlier, replayed: true };

  const procedure = await getProcedure(db, { code: body.MaTTHC }).catch(() => {
    throw appError('PORTAL_PROCEDURE_UNKNOWN', { code: body.MaTTHC });
  });
  if (!procedure.pickupAllowed) throw appError('PORTAL_PROCEDURE_UNKNOWN', { code: body.MaTTHC });
  if (body.YeuCauTraKetQua && !procedure.deliveryAllowed) throw appError('DELIVERY_NOT_ALLOWED');
  const phone = normalizePhone(body.SoDienThoai);
  const email = normalizeEmail(body.Email);
  const address = await resolveAddress(db, {
    line: body.DiaChiThuGom.DiaChi,
    communeCode: body.DiaChiThuGom.MaXa,
  });
  if (!address.provinceCode) throw appError('COMMUNE_UNKNOWN', { communes: [body.DiaChiThuGom.MaXa] });
  const office = await postOfficeFor(db, body.DiaChiThuGom.MaXa);
  const window = windowOf(body.NgayThuGom, body.BuoiThuGom);
  const point =
    body.DiaChiThuGom.ViDo !== undefined && body.DiaChiThuGom.KinhDo !== undefined
      ? { lat: body.DiaChiThuGom.ViDo, lng: body.DiaChiThuGom.KinhDo }
      : null;
  const addr = { line: address.line, communeCode: address.communeCode, provinceCode: address.provinceCode };
  const name = body.ChuHoSo.normalize('NFC');

  // The deciding agency for the applicant's commune (Decree 118/2025); the desk confirms it at the hand-over.
  const deciding = await decideAtIntake(db, {
    procedure,
    residence: address.communeCode!,
    day: vietnamDate(now),
  });
  try {
    return await db.transaction(async (tx) => {
      const t = tx as unknown as Db;
      const applicantValues = {
        fullName: name,
        phone,
        email,
        address: addr,
        ...(body.SoGiayToChuHoSo ? { citizenId: body.SoGiayToChuHoSo } : {}),
      };
      // The dossier's own contact row: an online dossier never rewrites the phone of the citizen's others.
      const [applicant] = await t.insert(applicants).values(applicantValues).returning({ id: applicants.id });
      const row = await createDossier(t, {
        event: 'request_pickup',
        actor: { kind: 'portal' },
        now,
        payload: {
          via: 'portal',
          portalCode: code,
          procedureCode: procedure.code,
          day: body.NgayThuGom,
          window: body.BuoiThuGom,
          deliverResult: body.YeuCauTraKetQua,
        },
        values: {
          code,
          procedureId: procedure.id,
          procedureVersionId: procedure.versionId,
          applicantId: applicant!.id,
          receivingOfficeId: office.id,
          agencyId: deciding.agency.id,
          channel: 2,
          fromPortal: true,
          returnMethod: body.YeuCauTraKetQua ? 1 : 0,
          deliveryAddress: body.YeuCauTraKetQua
            ? { ...addr, ...(point ?? {}), window: body.BuoiThuGom }
            : null,
          clientKey,
        },
      });
      const task = await createPickupTask(t, {
        dossierId: row.id,
        officeId: office.id,
        address: address.full,
        communeCode: address.communeCode,
        lat: point?.lat ?? null,
        lng: point?.lng ?? null,
        windowStart: window.start,
        windowEnd: window.end,
        contactName: name,
        contactPhone: phone,
        collect: {
          documents: procedure.components.map((c) => ({
            code: c.code,
            name: c.name,
            form: c.form,
            copies: c.copies,
            required: c.required,
          })),
          note: 'Hồ sơ trực tuyến từ Cổng DVC: thu gom bản giấy',
        },
        now,
      });
      return { id: row.id, code: row.code, state: row.state, taskId: task.id, replayed: false };
    });
  } catch (err) {
    // The same dossier sent twice at once: the second insert hits the unique client key; answer as a repeat.
    const again = await existing();
    if (again) return { ...again, replayed: true };
    throw err;
  }
};

/** OpenAPI paths of `/api/portal/*`, merged into the API's document. */
export const PORTAL_INBOUND_OPENAPI_PATHS: Record<string, unknown> = {
  '/api/portal/dossiers': {
    post: {
      summary: 'An online dossier from the portal asking for postal pickup (and delivery of the result)',
      description:
        'Signed like PostDesk’s webhooks: X-PostDesk-Timestamp (unix seconds) and X-PostDesk-Signature: ' +
        'v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with PORTAL_INBOUND_SECRET>, within 5 minutes. ' +
        'Idempotent by MaHoSo: the same dossier sent again returns the first answer (200, replayed).',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: [
                'MaHoSo',
                'MaTTHC',
                'ChuHoSo',
                'SoDienThoai',
                'YeuCauThuGom',
                'DiaChiThuGom',
                'NgayThuGom',
                'BuoiThuGom',
              ],
              properties: {
                MaHoSo: { type: 'string', examples: ['H42.01-261123-0001'] },
                MaTTHC: { type: 'string', examples: ['1.000894'] },
                ChuHoSo: { type: 'string' },
                SoGiayToChuHoSo: { type: 'string', pattern: '^\\d{12}$' },
                SoDienThoai: { type: 'string' },
                Email: { type: 'string' },
                YeuCauThuGom: { const: true },
                YeuCauTraKetQua: { type: 'boolean' },
                DiaChiThuGom: {
                  type: 'object',
                  properties: {
                    DiaChi: { type: 'string' },
                    MaXa: { type: 'string' },
                    ViDo: { type: 'number' },
                    KinhDo: { type: 'number' },
                  },
                },
                NgayThuGom: { type: 'string', format: 'date' },
                BuoiThuGom: { enum: ['morning', 'afternoon'] },
              },
            },
          },
        },
      },
      responses: {
        '201': {
          description: 'Created: the dossier and its pickup task',
          content: { 'application/json': {} },
        },
        '200': { description: 'Already received: the first answer', content: { 'application/json': {} } },
        '400': { description: 'VALIDATION_FAILED, DOSSIER_CODE_INVALID, PHONE_INVALID, COMMUNE_UNKNOWN' },
        '401': { description: 'PORTAL_SIGNATURE_INVALID: bad signature or timestamp outside 5 minutes' },
        '422': { description: 'PORTAL_PROCEDURE_UNKNOWN' },
        '503': { description: 'PORTAL_INBOUND_DISABLED: PORTAL_INBOUND_SECRET not set' },
      },
    },
  },
};

/** `/api/portal/*`: online dossiers the portal sends us (postal pickup or delivery requests). */
export const portalInboundRoutes = (deps: AppDeps) => {
  const api = new Hono<{ Variables: AppVariables }>();
  api.post('/dossiers', async (c) => {
    const secret = deps.env.PORTAL_INBOUND_SECRET;
    if (!secret) throw appError('PORTAL_INBOUND_DISABLED');
    const raw = await c.req.text();
    const check = verifySignature({
      secret,
      body: raw,
      timestamp: c.req.header(TIMESTAMP_HEADER),
      signature: c.req.header(SIGNATURE_HEADER),
    });
    if (!check.ok) throw appError('PORTAL_SIGNATURE_INVALID', { reason: check.reason });
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw appError('VALIDATION_FAILED', { fields: [{ path: '', message: 'body is not JSON' }] });
    }
    const parsed = portalInboundBody.safeParse(json);
    if (!parsed.success)
      throw appError('VALIDATION_FAILED', {
        fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    const r = await receivePortalDossier(deps.db, parsed.data);
    return c.json(
      {
        error_code: '00',
        MaHoSo: r.code,
        state: r.state,
        courierTask: r.taskId ? 'pickup' : null,
        replayed: r.replayed,
      },
      r.replayed ? 200 : 201,
    );
  });
  api.onError(jsonError);
  return api;
};
