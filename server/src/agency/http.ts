import { spawn } from 'node:child_process';
import { appError, type Role } from '@postdesk/shared';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AppDeps } from '../app';
import type { AuthUser } from '../auth/sessions';
import { jsonError, officeFor, requireStaff, type StaffVariables } from '../http/staff-session';
import { agencyTrustRoots, decideDossier, releaseResult } from './actions';
import { dossierOwnsFile } from './queries';

const STAFF: Role[] = ['clerk', 'supervisor', 'agency_official', 'admin'];

/** Staff of the deciding agency or the receiving office (or an admin) may read the dossier's files. */
const mayRead = (user: AuthUser, scope: { agencyId: string; receivingOfficeId: string }) =>
  user.memberships.some(
    (m) =>
      m.role === 'admin' ||
      (m.role === 'agency_official' && m.officeId === scope.agencyId) ||
      ((m.role === 'clerk' || m.role === 'supervisor') && m.officeId === scope.receivingOfficeId),
  );

/** One page of a PDF as PNG (poppler's pdftoppm), so the page shows in any browser, side by side with data. */
const renderPage = (pdf: Uint8Array, page: number, dpi: number) =>
  new Promise<Buffer>((resolve, reject) => {
    const child = spawn(
      'pdftoppm',
      ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', '-'],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const out = Buffer.concat(chunks);
      if (code === 0 && out.length > 0) resolve(out);
      else reject(appError('NOT_FOUND'));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(Buffer.from(pdf));
  });

const flag = (v: unknown) => v === 'true' || v === '1' || v === 'on';
const lines = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

/** `/agency-desk/*`: the agency official's uploads (signed result PDFs) and the dossier's files. */
export const agencyDeskRoutes = (deps: AppDeps) => {
  const app = new Hono<{ Variables: StaffVariables }>();
  app.onError(jsonError);
  app.use('*', requireStaff(deps.db, STAFF));

  const fileParams = z.object({ id: z.uuid(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

  const readFile = async (user: AuthUser, params: unknown) => {
    const p = fileParams.safeParse(params);
    if (!p.success) throw appError('NOT_FOUND');
    const scope = await dossierOwnsFile(deps.db, { dossierId: p.data.id, sha256: p.data.sha256 });
    if (!scope || !mayRead(user, scope)) throw appError('NOT_FOUND');
    return deps.files.get(p.data.sha256);
  };

  // A component's signed copy (or the result): opened in a new tab, where the viewer shows the signature.
  app.get('/dossiers/:id/files/:sha256', async (c) => {
    const bytes = await readFile(c.get('user'), c.req.param());
    return new Response(new Uint8Array(bytes), {
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="${c.req.param('sha256').slice(0, 12)}.pdf"`,
        'cache-control': 'private, max-age=86400, immutable',
        'x-content-type-options': 'nosniff',
      },
    });
  });

  // The same PDF's page n (1-based) as an image, for the side-by-side view.
  app.get('/dossiers/:id/files/:sha256/pages/:n', async (c) => {
    const n = z.coerce.number().int().min(1).max(500).safeParse(c.req.param('n'));
    if (!n.success) throw appError('NOT_FOUND');
    const dpi = z.coerce
      .number()
      .int()
      .min(40)
      .max(150)
      .catch(96)
      .parse(c.req.query('dpi') ?? 96);
    const bytes = await readFile(c.get('user'), c.req.param());
    const png = await renderPage(bytes, n.data, dpi).catch(() => {
      throw appError('NOT_FOUND');
    });
    return new Response(new Uint8Array(png), {
      headers: {
        'content-type': 'image/png',
        'cache-control': 'private, max-age=86400, immutable',
        'x-content-type-options': 'nosniff',
      },
    });
  });

  const upload = bodyLimit({
    maxSize: deps.env.MAX_UPLOAD_BYTES + 64 * 1024,
    onError: () => {
      throw appError('FILE_TOO_LARGE', { limit: deps.env.MAX_UPLOAD_BYTES });
    },
  });

  const officialOf = (user: AuthUser, office: string | undefined) => {
    const agencyId = officeFor(user, ['agency_official'], office);
    return {
      agencyId,
      actor: {
        kind: 'agency_official' as const,
        userId: user.id,
        role: 'agency_official' as const,
        officeId: agencyId,
      },
      agencyName: user.memberships.find((m) => m.officeId === agencyId)?.officeName ?? '',
    };
  };

  /**
   * Signing in PostDesk with the official's own key, as the desk signs digitized copies: the token PIN the
   * official typed (`pin`, when the server has none configured) unlocks signing for this login session only.
   */
  const signingBy = (user: AuthUser, sessionId: string, pin: unknown) => {
    if (pin !== undefined && pin !== '' && (typeof pin !== 'string' || !/^.{4,32}$/u.test(pin)))
      throw appError('VALIDATION_FAILED', { fields: [{ path: 'pin', message: '4 to 32 characters' }] });
    return {
      signerName: user.fullName,
      session: { userId: user.id, sessionId },
      ...(typeof pin === 'string' && pin !== '' ? { pin } : {}),
    };
  };

  /**
   * The decision with its result (multipart): `outcome` approved|refused, `reasons` (one per line, for a
   * refusal), `resultNumber`, `paperResult`, `signInPostDesk` (with `pin`, the token PIN, when the server has
   * none), and `file` (the result PDF). An unsigned or
   * tampered PDF is refused with a clear error and nothing changes; the same decision again is a replay.
   */
  app.post('/dossiers/:id/decide', upload, async (c) => {
    const id = z.uuid().safeParse(c.req.param('id'));
    if (!id.success) throw appError('NOT_FOUND');
    const user = c.get('user');
    const { agencyId, actor, agencyName } = officialOf(user, c.req.query('office'));
    const body = await c.req.parseBody();
    const outcome = z.enum(['approved', 'refused']).safeParse(body.outcome);
    if (!outcome.success)
      throw appError('VALIDATION_FAILED', { fields: [{ path: 'outcome', message: 'approved or refused' }] });
    const file = body.file instanceof File && body.file.size > 0 ? body.file : null;
    const resultNumber = typeof body.resultNumber === 'string' ? body.resultNumber.slice(0, 60) : undefined;
    const result = await decideDossier(deps.db, {
      dossierId: id.data,
      agencyId,
      actor,
      agencyName,
      outcome: outcome.data,
      requireResult: true,
      reasons: lines(body.reasons),
      ...(resultNumber ? { resultNumber } : {}),
      paperResult: flag(body.paperResult),
      ...(file
        ? {
            result: {
              bytes: new Uint8Array(await file.arrayBuffer()),
              signInPostDesk: flag(body.signInPostDesk),
              ...signingBy(user, c.get('sessionId'), body.pin),
            },
          }
        : {}),
      files: deps.files,
      signer: deps.signer,
      trustRoots: await agencyTrustRoots({
        signingTrustRoots: deps.env.SIGNING_TRUST_ROOTS,
        signer: deps.signer,
      }),
    });
    return c.json(result, result.replayed ? 200 : 201);
  });

  /** Releases the result (optionally with the file, when it did not come with the decision). */
  app.post('/dossiers/:id/release', upload, async (c) => {
    const id = z.uuid().safeParse(c.req.param('id'));
    if (!id.success) throw appError('NOT_FOUND');
    const user = c.get('user');
    const { agencyId, actor, agencyName } = officialOf(user, c.req.query('office'));
    const body = await c.req.parseBody();
    const file = body.file instanceof File && body.file.size > 0 ? body.file : null;
    const result = await releaseResult(deps.db, {
      dossierId: id.data,
      agencyId,
      actor,
      agencyName,
      ...(body.paperResult === undefined ? {} : { paperResult: flag(body.paperResult) }),
      ...(file
        ? {
            result: {
              bytes: new Uint8Array(await file.arrayBuffer()),
              signInPostDesk: flag(body.signInPostDesk),
              ...signingBy(user, c.get('sessionId'), body.pin),
            },
          }
        : {}),
      files: deps.files,
      signer: deps.signer,
      trustRoots: await agencyTrustRoots({
        signingTrustRoots: deps.env.SIGNING_TRUST_ROOTS,
        signer: deps.signer,
      }),
    });
    return c.json(result, result.replayed ? 200 : 201);
  });

  return app;
};
