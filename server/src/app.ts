import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { trpcServer } from '@hono/trpc-server';
import { appError, isAppError } from '@postdesk/shared';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { agencyDeskRoutes } from './agency/http';
import { apiRoutes } from './api/routes';
import { createLimits, createLimitStore, type LimitStore } from './auth/rate-limit';
import { reportRoutes } from './board/http';
import { courierFieldRoutes } from './courier/http';
import { findSession, readSessionCookie } from './auth/sessions';
import { type Database, type Db, isDatabaseUnavailable } from './db/client';
import { createEidClient, type EidClient, eidSettings } from './eid/client';
import { citizenFileRoutes, eidRoutes } from './eid/routes';
import { findCitizenSession, readCitizenCookie } from './eid/sessions';
import type { Env } from './env';
import type { FileStore } from './files/store';
import { deskRoutes } from './http/desk-routes';
import { formsRoutes } from './http/forms-routes';
import { clientIp } from './http/client-ip';
import {
  type AppVariables,
  limitBodies,
  requestContext,
  sameOriginWrites,
  securityHeaders,
} from './http/middleware';
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
  /** Where rate-limit counters live; unset = Redis at REDIS_URL, or this process's memory without it. */
  limitStore?: LimitStore;
  /** The e-ID relying party; unset = made from EID_* (null when the issuer is not configured). */
  eid?: EidClient | null;
  /** What /ready checks besides Redis, the object store and the signer: the database's own round trip. */
  ready?: { database?: Pick<Database, 'ping'>; extra?: Record<string, ReadyCheck> };
};

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Vite names built assets by their content (`assets/index-3f9a1c.js`): they never change, so browsers keep
 * them a year; index.html names the current ones and is checked on every visit.
 */
const cacheFor = (path: string) =>
  /\/assets\/[^/]+-[\w-]{8,}\.\w+$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';

/** Paths that name a file (an asset, an icon, a map): when no such file exists they are a 404, not the app's page. */
const ASSET_PATH =
  /\.(?:ico|png|jpe?g|gif|svg|webp|avif|js|mjs|css|map|json|webmanifest|txt|xml|woff2?|ttf|otf|wasm|pdf|html?)$/i;

/**
 * A built web app served from its dist folder, with its index.html for client-side routes; the build's
 * precompressed `.br`/`.gz` copies are sent to browsers that accept them.
 */
const webApp = (dist: string, mount: string) => {
  const app = new Hono();
  const root = relative(process.cwd(), dist) || '.';
  // Set on the finished response: serveStatic has built it by the time its onFound hook runs.
  app.use('*', async (c, next) => {
    await next();
    if (c.res.ok && !c.res.headers.has('cache-control'))
      c.res.headers.set('Cache-Control', cacheFor(c.req.path));
  });
  app.use(
    '*',
    serveStatic({ root, precompressed: true, rewriteRequestPath: (p) => p.slice(mount.length - 1) || '/' }),
  );
  app.get('*', async (c) => {
    if (ASSET_PATH.test(c.req.path)) return c.text('Not found', 404);
    const index = join(dist, 'index.html');
    if (!existsSync(index)) return c.text('Web app not built: run `npm run build`.', 503);
    c.header('Cache-Control', 'no-cache');
    return c.html(await readFile(index, 'utf8'));
  });
  return app;
};

/**
 * Routes that take files: each has its own body limit (and message); here they get only a backstop. Every
 * other route takes MAX_BODY_BYTES: a new upload route must be listed here, or its uploads are refused.
 */
const UPLOAD_ROUTES = [
  /^\/desk\/dossiers\/[^/]+\/components\/[^/]+\/pages$/,
  /^\/desk\/verify$/,
  /^\/field\/uploads$/,
  /^\/agency-desk\/dossiers\/[^/]+\/(decide|release)$/,
  // Agency systems post result PDFs as base64 JSON or multipart.
  /^\/api\/agency\/dossiers\/[^/]+\/[a-z-]+$/,
];

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

export const createApp = (appDeps: AppDeps) => {
  const limitStore =
    appDeps.limitStore ??
    createLimitStore({
      redisUrl: appDeps.env.REDIS_URL,
      onError: (err) => appDeps.log.warn({ err: err.message }, 'rate-limit store unreachable'),
    });
  const settings = eidSettings(appDeps.env);
  const eid =
    appDeps.eid !== undefined ? appDeps.eid : settings ? createEidClient(settings, appDeps.log) : null;
  const deps = { ...appDeps, limitStore, eid };
  const limits = createLimits(limitStore, { smsPerDay: deps.env.SMS_DAILY_BUDGET });
  const sessionPolicy = {
    ttlMs: deps.env.SESSION_TTL_HOURS * 3_600_000,
    idleMs: deps.env.SESSION_IDLE_MINUTES * 60_000,
  };
  const app = new Hono<{ Variables: AppVariables }>();
  app.use(
    '*',
    requestContext(deps.log),
    securityHeaders({ production: deps.env.NODE_ENV === 'production', tileUrl: deps.env.COURIER_TILE_URL }),
    async (c, next) => {
      c.set('sessionPolicy', sessionPolicy);
      await next();
    },
    // Refused before the body is read: a cross-site write riding the cookie, then an oversized body.
    sameOriginWrites(deps.env.PUBLIC_URL),
    limitBodies({
      maxBytes: deps.env.MAX_BODY_BYTES,
      // A backstop only: each upload route has its own, tighter limit with its own message.
      uploadBytes: 4 * deps.env.MAX_UPLOAD_BYTES + 64 * 1024,
      uploadRoutes: UPLOAD_ROUTES,
    }),
  );

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
          ? await findSession(deps.db, token, sessionPolicy).catch((err: unknown) => {
              // The session is read before any procedure runs: a database outage here is a 503 as well.
              if (isDatabaseUnavailable(err))
                throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', cause: appError('DATABASE_UNAVAILABLE') });
              throw err;
            })
          : null;
        const citizenToken = readCitizenCookie(c.req.header('cookie'));
        const citizen = citizenToken ? await findCitizenSession(deps.db, citizenToken) : null;
        return {
          db: deps.db,
          ...(deps.readDb ? { readDb: deps.readDb } : {}),
          config: deps.env,
          jobs: deps.jobs,
          files: deps.files,
          signer: deps.signer,
          log: c.get('log'),
          requestId: c.get('requestId'),
          ip: clientIp(c, deps.env.proxyHops),
          limits,
          user: session?.user ?? null,
          sessionId: session?.sessionId ?? null,
          citizen,
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
  app.route('/auth/eid', eidRoutes({ ...deps, limits }));
  app.route('/citizen', citizenFileRoutes(deps));
  app.route('/courier', webApp(join(REPO_ROOT, 'web-courier/dist'), '/courier/'));
  app.route('/', webApp(join(REPO_ROOT, 'web-counter/dist'), '/'));
  return app;
};

export type App = ReturnType<typeof createApp>;
