import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { trpcServer } from '@hono/trpc-server';
import { isAppError } from '@postdesk/shared';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { agencyDeskRoutes } from './agency/http';
import { apiRoutes } from './api/routes';
import { createRateLimiter } from './auth/rate-limit';
import { reportRoutes } from './board/http';
import { courierFieldRoutes } from './courier/http';
import { findSession, readSessionCookie } from './auth/sessions';
import type { Db } from './db/client';
import type { Env } from './env';
import type { FileStore } from './files/store';
import { deskRoutes } from './http/desk-routes';
import { formsRoutes } from './http/forms-routes';
import { type AppVariables, requestContext, securityHeaders } from './http/middleware';
import type { JobRunner } from './jobs/queue';
import type { Logger } from './logger';
import { paymentFileRoutes } from './payments/http';
import type { Signer } from './signing';
import type { Context } from './trpc/init';
import { appRouter } from './trpc/router';

export type AppDeps = { db: Db; env: Env; log: Logger; jobs: JobRunner; files: FileStore; signer: Signer };

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

/** Paths that name a file (an asset, an icon, a map): when no such file exists they are a 404, not the app's page. */
const ASSET_PATH = /\.(?:ico|png|jpe?g|gif|svg|webp|avif|js|mjs|css|map|json|webmanifest|txt|xml|woff2?|ttf|otf|wasm|pdf|html?)$/i;

/** A built web app served from its dist folder, with its index.html for client-side routes. */
const webApp = (dist: string, mount: string) => {
  const app = new Hono();
  const root = relative(process.cwd(), dist) || '.';
  app.use('*', serveStatic({ root, rewriteRequestPath: (p) => p.slice(mount.length - 1) || '/' }));
  app.get('*', async (c) => {
    if (ASSET_PATH.test(c.req.path)) return c.text('Not found', 404);
    const index = join(dist, 'index.html');
    if (!existsSync(index)) return c.text('Web app not built: run `npm run build`.', 503);
    return c.html(await readFile(index, 'utf8'));
  });
  return app;
};

export const createApp = (deps: AppDeps) => {
  const limits = {
    login: createRateLimiter({ limit: 20, windowMs: 5 * 60_000 }),
    // A citizen checks a few times a day; 30 tries in 10 minutes is far above that and far below guessing.
    track: createRateLimiter({ limit: 30, windowMs: 10 * 60_000 }),
  };
  const app = new Hono<{ Variables: AppVariables }>();
  app.use('*', requestContext(deps.log), securityHeaders());

  app.get('/health', async (c) => {
    try {
      await deps.db.execute(sql`select 1`);
      return c.json({ status: 'ok', db: 'ok', jobs: deps.jobs.mode });
    } catch (err) {
      c.get('log').error({ err: (err as Error).message }, 'health check failed');
      return c.json({ status: 'unavailable', db: 'down', jobs: deps.jobs.mode }, 503);
    }
  });

  app.use(
    '/trpc/*',
    trpcServer({
      router: appRouter,
      endpoint: '/trpc',
      createContext: async (opts, c): Promise<Context> => {
        const token = readSessionCookie(c.req.header('cookie'));
        const session = token ? await findSession(deps.db, token) : null;
        return {
          db: deps.db,
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
