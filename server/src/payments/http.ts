import { appError, ERRORS, isAppError } from '@postdesk/shared';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from '../app';
import type { AppVariables } from '../http/middleware';
import { jsonError } from '../http/staff-session';
import { BILL_CODE_PATTERN } from './bills';
import { CALLBACK_WINDOW_MS, gatewayConfig, MESSAGE_FIELDS } from './gateway';
import { handleCallback } from './online';
import { receiptFor } from './receipt';

/** OpenAPI paths of `/api/payments/*`, merged into the API's document. */
export const PAYMENTS_OPENAPI_PATHS: Record<string, unknown> = {
  '/api/payments/callback': {
    post: {
      summary: 'The payment gateway notifies a payment (NOTIFY)',
      description:
        `JSON body with the fields ${MESSAGE_FIELDS.NOTIFY.join(', ')} and MaXacThuc = HMAC-SHA256 (hex, keyed ` +
        'with the shared secret) of the JSON array ["NOTIFY", <those fields in that order, as strings>]. ' +
        'LoaiBanTin must be NOTIFY, MaTienTe VND, SoTien and MaGiaoDich those of the bill, ThoiGianGD within ' +
        `${CALLBACK_WINDOW_MS / 60_000} minutes of our clock. A "thanh-cong" notice marks the bill paid only once ` +
        'the gateway\'s own status query (GET_BILL) confirms it; a repeat changes nothing. Only the "00" answer ' +
        `is signed (MaXacThuc over ${MESSAGE_FIELDS.NOTIFY_RESULT.join(', ')}); a refusal carries no MaXacThuc. ` +
        'MaLoi "03": the bill was already paid another way, do not capture.',
      responses: {
        '200': { description: 'Accepted (also for a repeat)', content: { 'application/json': {} } },
        '403': { description: 'Bad checksum, message type, merchant, or outside the time window: refused' },
        '404': { description: 'Unknown bill code (MaThamChieu), or a bill never sent to the gateway' },
        '409': {
          description:
            'Amount, currency or transaction differ; not confirmed by the status query; or already paid ' +
            '(MaLoi 03): refused, nothing changed, flagged in reconciliation',
        },
        '503': { description: 'Online payment is not configured, or the status query failed (retry later)' },
      },
    },
  },
};

/** `/api/payments/*`: the payment gateway's callbacks. */
export const paymentApiRoutes = (deps: AppDeps) => {
  const api = new Hono<{ Variables: AppVariables }>();
  // A NOTIFY is well under 2 kB: nothing bigger is read, let alone parsed.
  api.post(
    '/callback',
    bodyLimit({
      maxSize: 16 * 1024,
      onError: () => {
        throw appError('VALIDATION_FAILED');
      },
    }),
    async (c) => {
      const cfg = gatewayConfig(deps.env);
      if (!cfg) throw appError('PAYMENT_ONLINE_UNAVAILABLE');
      let message: unknown;
      try {
        message = await c.req.json();
      } catch {
        throw appError('VALIDATION_FAILED');
      }
      if (!message || typeof message !== 'object' || Array.isArray(message))
        throw appError('VALIDATION_FAILED');
      const outcome = await handleCallback(deps.db, {
        cfg,
        message: message as Record<string, unknown>,
        jobs: deps.jobs,
        log: c.get('log'),
      });
      return c.json(outcome.body, outcome.status);
    },
  );
  api.onError(jsonError);
  return api;
};

const errorPage = (code: keyof typeof ERRORS, requestId: string) => {
  const e = ERRORS[code];
  return `<!doctype html><html lang="vi"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>PostDesk</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1 style="font-size:1.25rem">${e.vi}</h1><p lang="en" style="color:#444">${e.en}</p>
<p style="color:#666;font-size:.85rem">Mã yêu cầu / request id: ${requestId}</p></body></html>`;
};

/** `/receipts/<billCode>.pdf`: the payer's receipt of a paid bill (whoever holds the unguessable bill code). */
export const paymentFileRoutes = (deps: AppDeps) => {
  const app = new Hono<{ Variables: AppVariables }>();
  app.onError((err, c) => {
    const code = isAppError(err) ? err.code : 'INTERNAL';
    if (!isAppError(err)) c.get('log').error({ err: err.message, stack: err.stack }, 'receipt failed');
    return c.html(errorPage(code, c.get('requestId')), ERRORS[code].status);
  });
  app.get('/:file', async (c) => {
    const match = /^(.+)\.pdf$/.exec(c.req.param('file'));
    const billCode = match?.[1] ?? '';
    if (!BILL_CODE_PATTERN.test(billCode)) throw appError('PAYMENT_NOT_FOUND');
    const bytes = await receiptFor(deps.db, deps.files, {
      billCode,
      publicUrl: deps.env.PUBLIC_URL,
      signer: deps.signer,
    });
    return new Response(Buffer.from(bytes), {
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="bien-lai-${billCode}.pdf"`,
        'cache-control': 'private, no-store',
      },
    });
  });
  return app;
};
