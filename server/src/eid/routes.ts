import { appError, type ErrorCode, isAppError } from '@postdesk/shared';
import { and, eq, isNotNull } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppDeps } from '../app';
import type { Limits } from '../auth/rate-limit';
import { documents } from '../db/schema';
import { clientIp } from '../http/client-ip';
import type { AppVariables } from '../http/middleware';
import { jsonError } from '../http/staff-session';
import type { EidClient } from './client';
import {
  beginLogin,
  citizenCookie,
  findCitizenSession,
  loginCookie,
  openCitizenSession,
  readCitizenCookie,
  readLoginCookie,
  takeLogin,
} from './sessions';

/** The citizen's page: where a sign-in ends, and where a failed one says why (`?error=<code>`). */
const HOME = '/my';
const failed = (code: ErrorCode) => `${HOME}?error=${code}`;

/**
 * `/auth/eid/start` sends the browser to the provider; `/auth/eid/callback` is where it comes back. Failures go
 * back to the citizen's page with the error's code, which shows the catalogue's words in the chosen language;
 * nothing is signed in and the one-time sign-in row is gone whatever happened.
 */
export const eidRoutes = (deps: AppDeps & { limits: Limits; eid: EidClient | null }) => {
  const app = new Hono<{ Variables: AppVariables }>();
  const secure = deps.env.NODE_ENV === 'production';

  app.get('/start', async (c) => {
    if (!deps.eid) return c.redirect(failed('EID_NOT_CONFIGURED'), 302);
    if (!(await deps.limits.login.consume(clientIp(c, deps.env.proxyHops))))
      return c.redirect(failed('RATE_LIMITED'), 302);
    try {
      const { url, ...expected } = await deps.eid.begin();
      const { browserToken, maxAgeSeconds } = await beginLogin(deps.db, expected);
      c.header('Set-Cookie', loginCookie(browserToken, { maxAgeSeconds, secure }));
      c.header('Cache-Control', 'no-store');
      return c.redirect(url.href, 302);
    } catch (err) {
      if (!isAppError(err)) throw err;
      return c.redirect(failed(err.code), 302);
    }
  });

  app.get('/callback', async (c) => {
    c.header('Cache-Control', 'no-store');
    // The sign-in row goes whatever happens next: a callback is answered once.
    c.header('Set-Cookie', loginCookie('', { maxAgeSeconds: 0, secure }), { append: true });
    const log = c.get('log');
    if (!deps.eid) return c.redirect(failed('EID_NOT_CONFIGURED'), 302);
    if (!(await deps.limits.login.consume(clientIp(c, deps.env.proxyHops))))
      return c.redirect(failed('RATE_LIMITED'), 302);
    try {
      const browserToken = readLoginCookie(c.req.header('cookie'));
      const expected = browserToken ? await takeLogin(deps.db, browserToken) : null;
      if (!expected) throw appError('EID_STATE_MISMATCH');
      // The URL the provider redirected to, as registered (not as the proxy in front rewrote the host).
      const here = new URL(c.req.url);
      const callback = new URL(deps.eid.settings.redirectUrl);
      callback.search = here.search;
      const person = await deps.eid.finish(callback, expected);
      const session = await openCitizenSession(deps.db, {
        ...person,
        minutes: deps.eid.settings.sessionMinutes,
      });
      if (session.subjectChanged)
        log.warn('e-ID: the provider vouched for this id number under a new subject');
      log.info('e-ID sign-in');
      c.header(
        'Set-Cookie',
        citizenCookie(session.token, { maxAgeSeconds: deps.eid.settings.sessionMinutes * 60, secure }),
        { append: true },
      );
      return c.redirect(HOME, 302);
    } catch (err) {
      if (!isAppError(err)) throw err;
      // Which check failed goes to the log (never the token or the number); the person sees what to do.
      log.warn({ code: err.code, details: err.details ?? null }, 'e-ID sign-in refused');
      return c.redirect(failed(err.code), 302);
    }
  });
  return app;
};

/**
 * `/citizen/documents/:id`: the signed electronic copy of one of the signed-in citizen's own digitized
 * documents (the document store keyed by the owner's id number). Anyone else's, or one not signed yet, is a 404.
 */
export const citizenFileRoutes = (deps: AppDeps) => {
  const app = new Hono<{ Variables: AppVariables }>();
  app.onError(jsonError);
  app.get('/documents/:id', async (c) => {
    const token = readCitizenCookie(c.req.header('cookie'));
    const session = token ? await findCitizenSession(deps.db, token) : null;
    if (!session) throw appError('UNAUTHENTICATED');
    const id = c.req.param('id');
    if (!/^[0-9a-f-]{36}$/.test(id)) throw appError('NOT_FOUND');
    const [doc] = await deps.db
      .select({ sha256: documents.signedFileSha256, code: documents.digitizedCode })
      .from(documents)
      .where(
        and(
          eq(documents.id, id),
          eq(documents.ownerCitizenId, session.citizenId),
          isNotNull(documents.signedFileSha256),
        ),
      );
    if (!doc?.sha256) throw appError('NOT_FOUND');
    const bytes = await deps.files.get(doc.sha256);
    const name = (doc.code ?? id).replace(/[^\w.-]+/g, '_');
    return new Response(new Uint8Array(bytes), {
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="${name}.pdf"`,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  });
  return app;
};
