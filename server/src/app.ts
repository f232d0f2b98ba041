import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { trpcServer } from '@hono/trpc-server';
import { appError, isAppError } from '@postdesk/shared';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { agencyDeskRoutes } from './agency/http';
import { apiRoutes } from './api/routes';
import { createRateLimiter } from './auth/rate-limit';
import { reportRoutes } from './board/http';
import { courierFieldRoutes } from './courier/http';
import { findSession, readSessionCookie } from './auth/sessions';
import { type Database, type Db, isDatabaseUnavailable } from './db/client';
import type { Env } from './env';
import type { FileStore } from './files/store';
import { deskRoutes } from './http/desk-routes';
import { formsRoutes } from './http/forms-routes';
import { type AppVariables, requestContext, securityHeaders } from './http/middleware';
import { probeRoutes, type ReadyCheck, readyChecks } from './http/probes';
import { jsonError } from './http/staff-session';
import type { JobRunner } from './jobs/queue';
import type { Logger } from './logger';
import { paymentFileRoutes } from './payments/http';
import type { Signer } from './signing';
import type { Context } from './trpc/init';
import { appRouter } from './trpc/router';

export type AppDeps = {
  db: Db;
  /** The read replica the board and reports query (DATABASE_REPLICA_URL); absent = `db`. */
  readDb?: Db;
  env: Env;
  log: Logger;
  jobs: JobRunner;
  files: FileStore;
  signer: Signer;
  /** What /ready checks besides Redis, the object store and the signer: the database's own round trip. */
  ready?: { database?: Pick<Database, 'ping'>; extra?: Record<string, ReadyCheck> };
};

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const clientIp = (c: Parameters<typeof getConnInfo>[0], trustProxy: boolean) => {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'local';
  }
};

/** A built web app served from its dist folder, with its index.html for client-side routes. */
const webApp = (dist: string, mount: string) => {
  const app = new Hono();
  const root = relative(process.cwd(), dist) || '.';
  app.use('*', serveStatic({ root, rewriteRequestPath: (p) => p.slice(mount.length - 1) || '/' }));
  app.get('*', async (c) => {
    const index = join(dist, 'index.html');
    if (!existsSync(index)) return c.text('Web app not built: run `npm run build`.', 503);
    return c.html(await readFile(index, 'utf8'));
  });
  return app;
};

/** The checks /ready runs for this app: the database (a `select 1` on the pool when not given), Redis, … */
const appReadyChecks = (deps: AppDeps) =>
  readyChecks({
    database: deps.ready?.database ?? {
      ping: async () => {
        await deps.db.execute(sql`select 1`);
      },
    },
    jobs: deps.jobs,
    files: deps.files,
    signer: deps.signer,
    ...(deps.ready?.extra ? { extra: deps.ready.extra } : {}),
  });

/** A worker process's only routes: /health and /ready for its supervisor. */
export const createProbeApp = (deps: AppDeps) => probeRoutes(appReadyChecks(deps), { role: 'worker' });

export const createApp = (deps: AppDeps) => {
  const limits = {
    login: createRateLimiter({ limit: 20, windowMs: 5 * 60_000 }),
    // A citizen checks a few times a day; 30 tries in 10 minutes is far above that and far below guessing.
    track: createRateLimiter({ limit: 30, windowMs: 10 * 60_000 }),
  };
  const app = new Hono<{ Variables: AppVariables }>();
  app.use('*', requestContext(deps.log), securityHeaders());

  // /health: liveness (the process answers); /ready: database, Redis, object store, signer, each named when down.
  app.route('/', probeRoutes(appReadyChecks(deps)));
  app.onError(jsonError);

  app.use(
    '/trpc/*',
    trpcServer({
      router: appRouter,
      endpoint: '/trpc',
      createContext: async (opts, c): Promise<Context> => {
        const token = readSessionCookie(c.req.header('cookie'));
        const session = token
          ? await findSession(deps.db, token).catch((err: unknown) => {
              // The session is read before any procedure runs: a database outage here is a 503 as well.
              if (isDatabaseUnavailable(err))
                throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', cause: appError('DATABASE_UNAVAILABLE') });
              throw err;
            })
          : null;
        return {
          db: deps.db,
          ...(deps.readDb ? { readDb: deps.readDb } : {}),
          config: deps.env,
          jobs: deps.jobs,
          files: deps.files,
          signer: deps.signer,
          log: c.get('log'),
          requestId: c.get('requestId'),
          ip: clientIp(c, deps.env.TRUST_PROXY),
          limits,
          user: session?.user ?? null,
          sessionId: session?.sessionId ?? null,
          officeHint: c.req.header('x-office-id') ?? null,
          resHeaders: opts.resHeaders,
          internal: false,
        };
      },
      onError: ({ error, path, ctx }) => {
        if (isAppError(error.cause) || error.code !== 'INTERNAL_SERVER_ERROR') return;
        (ctx?.log ?? deps.log).error(
          { path, err: error.cause?.message ?? error.message, stack: error.cause?.stack },
          'procedure failed',
        );
      },
    }),
  );

  app.route('/api', apiRoutes(deps));
  app.route('/forms', formsRoutes(deps));
  app.route('/desk', deskRoutes(deps));
  app.route('/agency-desk', agencyDeskRoutes(deps));
  app.route('/field', courierFieldRoutes(deps));
  app.route('/reports', reportRoutes(deps));
  app.route('/receipts', paymentFileRoutes(deps));
  app.route('/courier', webApp(join(REPO_ROOT, 'web-courier/dist'), '/courier/'));
  app.route('/', webApp(join(REPO_ROOT, 'web-counter/dist'), '/'));
  return app;
};

export type App = ReturnType<typeof createApp>;
