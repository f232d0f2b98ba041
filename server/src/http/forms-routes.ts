import { appError, ERRORS, isAppError, type Role, vietnamDate } from '@postdesk/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { renderAgencyForm } from '../agency/forms';
import { officeIdsOf, renderDossierForm, renderGuidanceFor, renderTrackingBookFor } from '../intake/forms';
import { officeFor, requireStaff, type StaffVariables } from './staff-session';

const STAFF: Role[] = ['clerk', 'supervisor', 'agency_official', 'admin'];

const pdf = (bytes: Uint8Array, filename: string) =>
  new Response(Buffer.from(bytes), {
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="${filename}"`,
      'cache-control': 'private, no-store',
    },
  });

const errorPage = (code: keyof typeof ERRORS, requestId: string) => {
  const e = ERRORS[code];
  return `<!doctype html><html lang="vi"><meta charset="utf-8"><title>PostDesk</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1 style="font-size:1.25rem">${e.vi}</h1><p lang="en" style="color:#444">${e.en}</p>
<p style="color:#666;font-size:.85rem">Mã yêu cầu / request id: ${requestId}</p></body></html>`;
};

/** `/forms/*`: the PDF forms, opened by the apps in a new tab with the session cookie. */
export const formsRoutes = (deps: AppDeps) => {
  const app = new Hono<{ Variables: StaffVariables }>();
  app.onError((err, c) => {
    const code = isAppError(err) ? err.code : 'INTERNAL';
    if (!isAppError(err)) c.get('log').error({ err: err.message, stack: err.stack }, 'form failed');
    return c.html(errorPage(code, c.get('requestId')), ERRORS[code].status);
  });
  app.use('*', requireStaff(deps.db, STAFF));

  app.get('/guidance/:code', async (c) => {
    const officeId = officeFor(c.get('user'), STAFF, c.req.query('office'));
    const bytes = await renderGuidanceFor(deps.db, {
      procedureCode: c.req.param('code'),
      officeId,
      publicUrl: deps.env.PUBLIC_URL,
    });
    return pdf(bytes, `huong-dan-${c.req.param('code')}.pdf`);
  });

  // The agency's Mẫu 02 (supplement) and Mẫu 03 (refusal), Mẫu 04 (apology), Mẫu 05 (control slip), from the event log.
  app.get('/dossiers/:id/:form{mau02-agency|mau03-agency|mau04|mau05}', async (c) => {
    const params = z
      .object({ id: z.uuid(), form: z.enum(['mau02-agency', 'mau03-agency', 'mau04', 'mau05']) })
      .safeParse(c.req.param());
    if (!params.success) throw appError('NOT_FOUND');
    const user = c.get('user');
    const bytes = await renderAgencyForm(deps.db, {
      dossierId: params.data.id,
      form: params.data.form,
      officeIds: officeIdsOf(user.memberships.filter((m) => STAFF.includes(m.role))),
      isAdmin: user.memberships.some((m) => m.role === 'admin'),
    });
    return pdf(bytes, `${params.data.form}-${params.data.id.slice(0, 8)}.pdf`);
  });

  app.get('/dossiers/:id/:form', async (c) => {
    const params = z
      .object({ id: z.uuid(), form: z.enum(['mau01', 'mau02', 'mau03']) })
      .safeParse(c.req.param());
    if (!params.success) throw appError('NOT_FOUND');
    const user = c.get('user');
    const bytes = await renderDossierForm(deps.db, {
      dossierId: params.data.id,
      form: params.data.form,
      officeIds: officeIdsOf(user.memberships.filter((m) => STAFF.includes(m.role))),
      isAdmin: user.memberships.some((m) => m.role === 'admin'),
      publicUrl: deps.env.PUBLIC_URL,
      secret: deps.env.SESSION_SECRET,
      userId: user.id,
    });
    return pdf(bytes, `${params.data.form}-${params.data.id.slice(0, 8)}.pdf`);
  });

  app.get('/tracking-book', async (c) => {
    const today = vietnamDate(new Date());
    const query = z
      .object({
        from: z.iso.date().default(today),
        to: z.iso.date().default(today),
        office: z.uuid().optional(),
      })
      .safeParse(c.req.query());
    if (!query.success) throw appError('VALIDATION_FAILED');
    const officeId = officeFor(c.get('user'), ['clerk', 'supervisor'], query.data.office);
    const bytes = await renderTrackingBookFor(deps.db, {
      officeId,
      from: query.data.from,
      to: query.data.to,
    });
    return pdf(bytes, `so-theo-doi-${query.data.from}-${query.data.to}.pdf`);
  });
  return app;
};
