import { createHash } from 'node:crypto';
import { appError } from '@postdesk/shared';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import {
  acceptDossier,
  agencyTrustRoots,
  apologizeAndExtend,
  decideDossier,
  releaseResult,
  requestAgencySupplement,
  stopProcessing,
} from '../agency/actions';
import type { AppDeps } from '../app';
import { createMemoryLimitStore } from '../auth/rate-limit';
import { clientIp } from '../http/client-ip';
import type { Db } from '../db/client';
import type { EventActor } from '../dossiers/engine';
import type { AppVariables } from '../http/middleware';
import { jsonError } from '../http/staff-session';
import {
  AGENCY_VISIBLE_STATES,
  type AgencyVisibleState,
  agencyDossierView,
  dossierFileShas,
  findAgencyDossier,
  listAgencyDossiers,
} from './dossiers';
import { IDEMPOTENCY_KEY_PATTERN, once, requestHash } from './idempotency';
import { type ApiCaller, authenticateApiKey } from './keys';
import { AGENCY_API_OPENAPI } from './openapi';

/** OpenAPI paths of `/api/agency/*`, merged into the API's document. */
export const AGENCY_OPENAPI_PATHS: Record<string, unknown> = AGENCY_API_OPENAPI;

type Vars = AppVariables & { caller: ApiCaller };

/** The agency's system acts as an agency official of that agency, with no user behind it. */
const apiActor = (agencyId: string): EventActor => ({
  kind: 'agency_official',
  userId: null,
  role: 'agency_official',
  officeId: agencyId,
});

const validation = (error: z.ZodError) =>
  appError('VALIDATION_FAILED', {
    fields: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });

const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
  const r = schema.safeParse(value);
  if (!r.success) throw validation(r.error);
  return r.data;
};

const readJson = async (c: Context) => {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw appError('VALIDATION_FAILED', { fields: [{ path: '', message: 'body is not JSON' }] });
  }
};

const supplementBody = z.object({
  items: z
    .array(z.object({ item: z.string().trim().min(1).max(500), note: z.string().max(1000).optional() }))
    .min(1)
    .max(50),
  officialName: z.string().max(200).optional(),
});

const decisionBody = z.object({
  outcome: z.enum(['approved', 'refused']),
  reasons: z.array(z.string().max(1000)).max(20).optional(),
  resultNumber: z.string().max(100).optional(),
  paperResult: z.boolean().optional(),
  /** The signed result PDF, base64; or a multipart file named `result`. */
  resultPdfBase64: z.string().optional(),
});

const resultBody = z.object({
  paperResult: z.boolean().optional(),
  resultPdfBase64: z.string().optional(),
});

const apologyBody = z.object({
  reason: z.string().trim().min(1).max(2000),
  newDueAt: z.iso.datetime({ offset: true }),
  officialName: z.string().max(200).optional(),
});

const stopBody = z.object({ reason: z.string().trim().min(1).max(2000) });

const listQuery = z.object({
  state: z
    .string()
    .default('forwarded')
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(AGENCY_VISIBLE_STATES)).min(1)),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  after: z.string().max(50).optional(),
});

const decodeBase64Pdf = (value: string) => {
  const clean = value.replace(/^data:application\/pdf;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean))
    throw appError('VALIDATION_FAILED', { fields: [{ path: 'resultPdfBase64', message: 'not base64' }] });
  return new Uint8Array(Buffer.from(clean, 'base64'));
};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A JSON body, or multipart with the JSON fields as form fields (`reasons` may repeat or be a JSON array) and
 * the PDF as the file `result`. Returns the fields and the PDF bytes, if any.
 */
const readDecisionLike = async (c: Context) => {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) {
    const json = (await readJson(c)) as Record<string, unknown>;
    const pdf = typeof json.resultPdfBase64 === 'string' ? decodeBase64Pdf(json.resultPdfBase64) : null;
    return { fields: json, pdf };
  }
  const form = await c.req.parseBody({ all: true });
  const fields: Record<string, unknown> = {};
  let pdf: Uint8Array | null = null;
  for (const [name, value] of Object.entries(form)) {
    const values = Array.isArray(value) ? value : [value];
    if (name === 'result') {
      const file = values.find((v): v is File => typeof v !== 'string');
      if (file) pdf = new Uint8Array(await file.arrayBuffer());
      continue;
    }
    const strings = values.filter((v): v is string => typeof v === 'string');
    if (name === 'reasons') {
      fields.reasons =
        strings.length === 1 && strings[0]!.trim().startsWith('[')
          ? (JSON.parse(strings[0]!) as unknown)
          : strings;
    } else if (name === 'paperResult') {
      fields.paperResult = strings[0] === 'true' || strings[0] === '1';
    } else {
      fields[name] = strings[0];
    }
  }
  return { fields, pdf };
};

/** `/api/agency/*`: agencies' own systems pull forwarded dossiers and post decisions, with an API key. */
export const agencyApiRoutes = (deps: AppDeps) => {
  const api = new Hono<{ Variables: Vars }>();
  // Per key: a busy agency system polls and posts well under this; a runaway loop is slowed down.
  const store = deps.limitStore ?? createMemoryLimitStore();
  const perKey = store.limiter('agency-key', { limit: 300, windowMs: 60_000 });
  // Per address, for requests with a wrong key: guessing keys gets nowhere fast.
  const badKeys = store.limiter('agency-bad-key', { limit: 30, windowMs: 10 * 60_000 });
  let trustRoots: Promise<Uint8Array[]> | null = null;
  const roots = () => {
    trustRoots ??= agencyTrustRoots({ signingTrustRoots: deps.env.SIGNING_TRUST_ROOTS, signer: deps.signer });
    return trustRoots;
  };
  const apiBase = `${deps.env.PUBLIC_URL.replace(/\/$/, '')}/api/agency`;
  const maxBody = Math.ceil(deps.env.MAX_UPLOAD_BYTES * 1.4) + 64 * 1024;

  api.use(
    '*',
    createMiddleware<{ Variables: Vars }>(async (c, next) => {
      const header = c.req.header('authorization') ?? '';
      const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? c.req.header('x-api-key') ?? '';
      const caller = key ? await authenticateApiKey(deps.db, key) : null;
      if (!caller) {
        if (!(await badKeys.consume(clientIp(c, deps.env.proxyHops)))) throw appError('RATE_LIMITED');
        throw appError('AGENCY_API_KEY_INVALID');
      }
      if (!(await perKey.consume(caller.keyId))) throw appError('RATE_LIMITED');
      c.set('caller', caller);
      c.header('cache-control', 'no-store');
      await next();
    }),
  );
  api.use(
    '*',
    bodyLimit({
      maxSize: maxBody,
      onError: () => {
        throw appError('FILE_TOO_LARGE', { limit: deps.env.MAX_UPLOAD_BYTES });
      },
    }),
  );

  api.get('/dossiers', async (c) => {
    const q = parse(listQuery, c.req.query());
    const page = await listAgencyDossiers(deps.db, {
      agencyId: c.get('caller').agencyId,
      states: q.state as AgencyVisibleState[],
      limit: q.limit,
      ...(q.after ? { after: q.after } : {}),
      apiBase,
    });
    return c.json(page);
  });

  api.get('/dossiers/:code', async (c) => {
    const row = await findAgencyDossier(deps.db, c.get('caller').agencyId, c.req.param('code'));
    return c.json(await agencyDossierView(deps.db, row, apiBase));
  });

  api.get('/dossiers/:code/files/:sha256', async (c) => {
    const row = await findAgencyDossier(deps.db, c.get('caller').agencyId, c.req.param('code'));
    const sha = c.req.param('sha256');
    if (!(await dossierFileShas(deps.db, row)).has(sha)) throw appError('NOT_FOUND');
    const bytes = await deps.files.get(sha);
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${sha}.pdf"`,
      etag: `"${sha}"`,
    });
  });

  /**
   * A state-changing POST: needs an Idempotency-Key; the action runs once per key and its answer is stored.
   * `build` reads the body into the domain call and what identifies the request.
   */
  const action = (
    path: string,
    build: (
      c: Context<{ Variables: Vars }>,
    ) => Promise<{ identity: unknown; run: (tx: Db, dossierId: string) => Promise<unknown> }>,
  ) =>
    api.post(`/dossiers/:code/${path}`, async (c) => {
      const key = c.req.header('idempotency-key') ?? '';
      if (!IDEMPOTENCY_KEY_PATTERN.test(key)) throw appError('AGENCY_API_IDEMPOTENCY_KEY_REQUIRED');
      const caller = c.get('caller');
      const code = c.req.param('code');
      const { identity, run } = await build(c);
      const answer = await once(
        deps.db,
        { agencyId: caller.agencyId, key, hash: requestHash('POST', `/dossiers/${code}/${path}`, identity) },
        async (tx) => {
          const row = await findAgencyDossier(tx, caller.agencyId, code);
          const result = await run(tx, row.id);
          const after = await findAgencyDossier(tx, caller.agencyId, code);
          return { status: 200, body: { result, dossier: await agencyDossierView(tx, after, apiBase) } };
        },
      );
      if (answer.replayed) c.header('idempotent-replayed', 'true');
      return c.json(answer.body as Record<string, unknown>, answer.status as 200);
    });

  const common = (c: Context<{ Variables: Vars }>) => ({
    agencyId: c.get('caller').agencyId,
    actor: apiActor(c.get('caller').agencyId),
  });

  action('accept', async (c) => {
    await readJson(c);
    return { identity: {}, run: (tx, dossierId) => acceptDossier(tx, { ...common(c), dossierId }) };
  });

  action('supplement-request', async (c) => {
    const body = parse(supplementBody, await readJson(c));
    return {
      identity: body,
      run: (tx, dossierId) =>
        requestAgencySupplement(tx, {
          ...common(c),
          dossierId,
          items: body.items.map((i) => ({ item: i.item, ...(i.note ? { note: i.note } : {}) })),
          ...(body.officialName ? { officialName: body.officialName } : {}),
        }),
    };
  });

  action('decision', async (c) => {
    const { fields, pdf } = await readDecisionLike(c);
    const body = parse(decisionBody, fields);
    const trust = await roots();
    return {
      identity: { ...body, resultPdfBase64: undefined, resultSha256: pdf ? sha256(pdf) : null },
      run: (tx, dossierId) =>
        decideDossier(tx, {
          ...common(c),
          dossierId,
          outcome: body.outcome,
          ...(body.reasons ? { reasons: body.reasons } : {}),
          ...(body.resultNumber ? { resultNumber: body.resultNumber } : {}),
          ...(body.paperResult !== undefined ? { paperResult: body.paperResult } : {}),
          ...(pdf ? { result: { bytes: pdf } } : {}),
          files: deps.files,
          signer: deps.signer,
          trustRoots: trust,
        }),
    };
  });

  action('result', async (c) => {
    const { fields, pdf } = await readDecisionLike(c);
    const body = parse(resultBody, fields);
    const trust = await roots();
    return {
      identity: { paperResult: body.paperResult ?? null, resultSha256: pdf ? sha256(pdf) : null },
      run: (tx, dossierId) =>
        releaseResult(tx, {
          ...common(c),
          dossierId,
          ...(pdf ? { result: { bytes: pdf } } : {}),
          ...(body.paperResult !== undefined ? { paperResult: body.paperResult } : {}),
          files: deps.files,
          signer: deps.signer,
          trustRoots: trust,
        }),
    };
  });

  action('apology', async (c) => {
    const body = parse(apologyBody, await readJson(c));
    return {
      identity: body,
      run: (tx, dossierId) =>
        apologizeAndExtend(tx, {
          ...common(c),
          dossierId,
          reason: body.reason,
          newDueAt: new Date(body.newDueAt),
          ...(body.officialName ? { officialName: body.officialName } : {}),
        }),
    };
  });

  action('stop', async (c) => {
    const body = parse(stopBody, await readJson(c));
    return {
      identity: body,
      run: (tx, dossierId) => stopProcessing(tx, { ...common(c), dossierId, reason: body.reason }),
    };
  });

  api.onError(jsonError);
  return api;
};
