import { appError, ERRORS, type ErrorCode, isAppError, type Role } from '@postdesk/shared';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { Limits } from '../auth/rate-limit';
import type { AuthUser } from '../auth/sessions';
import type { CitizenSession } from '../eid/sessions';
import { type Db, isDatabaseUnavailable } from '../db/client';
import type { Env } from '../env';
import type { FileStore } from '../files/store';
import type { JobRunner } from '../jobs/queue';
import type { Logger } from '../logger';
import { findInvalidText } from '../http/text-check';
import type { Signer } from '../signing';

export type Context = {
  db: Db;
  /** A read replica for the board and reports (DATABASE_REPLICA_URL); absent = `db`. Reads only. */
  readDb?: Db;
  /** Parsed configuration (not `env`: @hono/trpc-server overwrites that key with Hono's bindings). */
  config: Env;
  log: Logger;
  jobs: JobRunner;
  files: FileStore;
  /** Signs digitized copies: the PKCS#11 token configured, or the demo's software key. */
  signer: Signer;
  requestId: string;
  /** The caller's address, for rate limits only; never stored with personal data. */
  ip: string;
  /** Per-address limits of the public, password- and code-guessing procedures (shared by every process). */
  limits: Limits;
  user: AuthUser | null;
  sessionId: string | null;
  /** A citizen signed in with the national e-ID (their own cookie), or null. */
  citizen?: CitizenSession | null;
  /** The office the caller acts for (header `x-office-id`), when they hold roles at several. */
  officeHint: string | null;
  resHeaders: Headers;
  /** True only for in-process callers (jobs, the server itself); never over HTTP. */
  internal: boolean;
};

const TRPC_CODE_BY_STATUS: Record<number, TRPCError['code']> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** tRPC's own errors (unknown path, unparsable request) in our catalogue's words; anything else is a 500. */
const FALLBACK_CODES: Partial<Record<TRPCError['code'], ErrorCode>> = {
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_REQUEST: 'VALIDATION_FAILED',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE: 'FILE_TOO_LARGE',
};

/** The one place where errors become what a client sees: a code, a Vietnamese message, English second. */
const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter: ({ shape, error }) => {
    const cause = error.cause;
    if (isAppError(cause)) {
      const entry = ERRORS[cause.code];
      return {
        ...shape,
        message: entry.vi,
        data: {
          ...shape.data,
          stack: undefined,
          appCode: cause.code,
          messageEn: entry.en,
          details: cause.details ?? null,
        },
      };
    }
    if (cause instanceof ZodError) {
      const fields = cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      return {
        ...shape,
        message: ERRORS.VALIDATION_FAILED.vi,
        data: {
          ...shape.data,
          stack: undefined,
          appCode: 'VALIDATION_FAILED',
          messageEn: ERRORS.VALIDATION_FAILED.en,
          details: { fields },
        },
      };
    }
    const code = FALLBACK_CODES[error.code] ?? 'INTERNAL';
    const entry = ERRORS[code];
    return {
      ...shape,
      message: entry.vi,
      data: { ...shape.data, stack: undefined, appCode: code, messageEn: entry.en, details: null },
    };
  },
});

/** Domain functions throw AppError; give it the HTTP/tRPC status its code names. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  // A database that cannot be reached (restarting, connections killed) is a 503 with its own message, not a 500.
  if (!result.ok && isDatabaseUnavailable(result.error.cause)) {
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', cause: appError('DATABASE_UNAVAILABLE') });
  }
  if (!result.ok && isAppError(result.error.cause)) {
    const status = ERRORS[result.error.cause.code].status;
    throw new TRPCError({
      code: TRPC_CODE_BY_STATUS[status] ?? 'INTERNAL_SERVER_ERROR',
      cause: result.error.cause,
    });
  }
  return result;
});

/**
 * Every input, before its schema: text nobody types (NUL, control and bidi characters, broken surrogates)
 * is refused with the field's path, so it never reaches the database (where NUL was a 500) or a document.
 */
const cleanText = t.middleware(async ({ getRawInput, next }) => {
  const bad = findInvalidText(await getRawInput());
  if (bad)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      cause: appError('TEXT_INVALID', { fields: [bad] }),
    });
  return next();
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(appErrors).use(cleanText);

const requireUser = t.middleware(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', cause: appError('UNAUTHENTICATED') });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Any signed-in user, whatever the role. */
export const authedProcedure = publicProcedure.use(requireUser);

export type Membership = AuthUser['memberships'][number];

/** Staff holding one of `roles`; `ctx.membership` is the office and role they act in for this call. */
export const staffProcedure = (...roles: Role[]) =>
  authedProcedure.use(({ ctx, next }) => {
    const candidates = ctx.user.memberships.filter((m) => roles.includes(m.role));
    const membership = ctx.officeHint ? candidates.find((m) => m.officeId === ctx.officeHint) : candidates[0];
    if (!membership) throw new TRPCError({ code: 'FORBIDDEN', cause: appError('FORBIDDEN') });
    return next({ ctx: { ...ctx, membership } });
  });

/** A citizen signed in with the national e-ID; `ctx.citizen` is their session. */
export const citizenProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.citizen) throw new TRPCError({ code: 'UNAUTHORIZED', cause: appError('UNAUTHENTICATED') });
  return next({ ctx: { ...ctx, citizen: ctx.citizen } });
});

/** In-process callers only (jobs, the server itself). */
export const internalProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.internal) throw new TRPCError({ code: 'FORBIDDEN', cause: appError('FORBIDDEN') });
  return next();
});
