import { randomUUID } from 'node:crypto';
import { ERRORS, type ErrorCode } from '@postdesk/shared';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import { SESSION_COOKIE, type SessionPolicy } from '../auth/sessions';
import { CITIZEN_COOKIE } from '../eid/sessions';
import type { Logger } from '../logger';
import { findInvalidText, invalidUtf8 } from './text-check';

export type AppVariables = { requestId: string; log: Logger; sessionPolicy?: SessionPolicy };

/** A request id on every request and response, and one log line per request (path and status; no query, no body). */
export const requestContext = (log: Logger) =>
  createMiddleware<{ Variables: AppVariables }>(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    const child = log.child({ requestId });
    c.set('requestId', requestId);
    c.set('log', child);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    child.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

/**
 * An error answered by a middleware, before any route: the project's JSON error (code, both languages,
 * request id); on `/trpc` in tRPC's envelope, so the apps' client shows the message like any other.
 */
export const edgeError = (c: Context, code: ErrorCode, details: Record<string, unknown> | null = null) => {
  const entry = ERRORS[code];
  const requestId = c.get('requestId') as string | undefined;
  if (c.req.path.startsWith('/trpc/')) {
    const one = {
      error: {
        json: {
          message: entry.vi,
          code: -32600,
          data: {
            code: 'BAD_REQUEST',
            httpStatus: entry.status,
            appCode: code,
            messageEn: entry.en,
            details,
          },
        },
      },
    };
    // The apps batch calls (`/trpc/a,b?batch=1`): one answer per call, as the batch link expects.
    if (c.req.query('batch') !== '1') return c.json(one, entry.status);
    const calls = c.req.path.slice('/trpc/'.length).split(',').length;
    return c.json(
      Array.from({ length: calls }, () => one),
      entry.status,
    );
  }
  return c.json({ code, message: entry.vi, messageEn: entry.en, details, requestId }, entry.status);
};

/**
 * Every request body is limited before anything reads it: `maxBytes` everywhere, `uploadBytes` only on the
 * upload routes (which keep their own, tighter limits too). JSON and text bodies must be valid UTF-8: a
 * broken byte is refused here rather than silently turned into U+FFFD and stored.
 */
export const limitBodies = (opts: { maxBytes: number; uploadBytes: number; uploadRoutes: RegExp[] }) => {
  const tooLarge = (limit: number) => (c: Context) => edgeError(c, 'BODY_TOO_LARGE', { limit });
  const small = bodyLimit({ maxSize: opts.maxBytes, onError: tooLarge(opts.maxBytes) });
  const large = bodyLimit({ maxSize: opts.uploadBytes, onError: tooLarge(opts.uploadBytes) });
  return createMiddleware(async (c, next) => {
    const upload = c.req.method === 'POST' && opts.uploadRoutes.some((r) => r.test(c.req.path));
    return (upload ? large : small)(c, async () => {
      const type = c.req.header('content-type') ?? '';
      if (c.req.raw.body && /^(application\/json|text\/)/i.test(type)) {
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        if (invalidUtf8(bytes)) {
          c.res = edgeError(c, 'TEXT_INVALID', { fields: [{ path: '', message: 'not UTF-8' }] });
          return;
        }
        // tRPC checks its inputs itself (with the field's path); the machine APIs' JSON is checked here.
        const bad = c.req.path.startsWith('/trpc/') ? null : invalidJsonText(bytes, type);
        if (bad) {
          c.res = edgeError(c, 'TEXT_INVALID', { fields: [bad] });
          return;
        }
        // Routes that read the raw stream (another body limit) get the same bytes again.
        c.req.raw = new Request(c.req.raw, { body: bytes });
      }
      await next();
    });
  });
};

/** Text nobody types inside a JSON body (the route reports a body that is not JSON in its own words). */
const invalidJsonText = (bytes: Uint8Array, type: string) => {
  if (!/^application\/json/i.test(type)) return null;
  try {
    return findInvalidText(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return null;
  }
};

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A state-changing request that carries the staff or the citizen's session cookie must come from our own pages: a browser
 * says where a request comes from (Sec-Fetch-Site, else Origin), and anything cross-site is refused.
 * Requests with neither header come from programs, not browsers, and cannot ride a user's cookie.
 */
export const sameOriginWrites = (publicUrl: string) => {
  const allowed = new URL(publicUrl).origin;
  return createMiddleware(async (c, next) => {
    if (!UNSAFE_METHODS.has(c.req.method)) return next();
    const cookies = c.req.header('cookie') ?? '';
    if (!cookies.includes(`${SESSION_COOKIE}=`) && !cookies.includes(`${CITIZEN_COOKIE}=`)) return next();
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const own = new URL(c.req.url).origin;
    const ok = site ? site === 'same-origin' : origin ? origin === allowed || origin === own : true;
    if (!ok) return edgeError(c, 'ORIGIN_REFUSED');
    return next();
  });
};

/** Tile servers the maps may load images from (`https://{s}.tile.example/{z}/{x}/{y}.png` → `https://*.tile.example`). */
const tileSource = (url: string | undefined) => {
  if (!url) return [];
  const m = /^(https?):\/\/([^/]+)/.exec(url);
  return m ? [`${m[1]}://${m[2]!.replace(/\{[a-z]\}/gi, '*')}`] : [];
};

/**
 * Headers every response carries. The apps are Vite builds with no inline script or style element, so the
 * CSP allows scripts and styles from our origin only; `style-src-attr` allows style attributes (the dispatch
 * map's pins carry their colour in one). Camera (scan station, courier QR scanner) and geolocation (courier)
 * only for our own pages; HSTS in production; no framing by anyone.
 */
export const securityHeaders = (opts: { production: boolean; tileUrl?: string | undefined }) => {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      styleSrcAttr: ["'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:', ...tileSource(opts.tileUrl)],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      mediaSrc: ["'self'", 'blob:'],
      workerSrc: ["'self'", 'blob:'],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      ...(opts.production ? { upgradeInsecureRequests: [] } : {}),
    },
    permissionsPolicy: {
      camera: ['self'],
      geolocation: ['self'],
      microphone: [],
      payment: [],
      usb: [],
      serial: [],
      bluetooth: [],
      hid: [],
    },
    strictTransportSecurity: opts.production ? 'max-age=31536000; includeSubDomains' : false,
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    crossOriginEmbedderPolicy: false,
  });
  return createMiddleware(async (c, next) => {
    await headers(c, next);
    // A CSP belongs to pages; on a PDF or an image it only gets in the browser's viewer's way.
    if (!(c.res.headers.get('content-type') ?? '').startsWith('text/html'))
      c.res.headers.delete('content-security-policy');
  });
};
